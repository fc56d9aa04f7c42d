"""The frequency cap (``survey create --cap``, ``edit --set cap_max_asks=``) and the
reminders (``edit --set reminders=``) an operator gives: bounded on the command line as
on every other path, refused in one line, on SQLite and PostgreSQL, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.runtime.services import Services
from storage.models import Survey
from tests.cli.conftest import Run

WHERE = ("--survey", "pulse", "--platform", "console")
# Past SQLite's 64-bit integers, past PostgreSQL's 32-bit ones, and merely absurd.
HUGE = ["99999999999999999999", "3000000000", "1000000"]


async def settings_of(services: Services) -> tuple[int, int]:
    async with services.database.transaction() as session:
        row = (
            await session.execute(
                select(Survey.cap_max_asks, Survey.reminders).where(Survey.name == "pulse")
            )
        ).one()
    return row[0], row[1]


@pytest.mark.parametrize("cap", [*HUGE, "13"])
async def test_a_cap_past_twelve_is_refused_when_creating_and_nothing_is_created(
    nps_bot_on: Run, services: Services, cap: str
) -> None:
    done = nps_bot_on("survey", "create", *WHERE, "--cap", cap, check=False)

    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "error: the cap can allow at most 12 asks a year"
    assert "pulse" not in nps_bot_on("survey", "list").stdout
    nps_bot_on("survey", "create", *WHERE, "--cap", "12")
    assert await settings_of(services) == (12, 2)


@pytest.mark.parametrize(("setting", "value"), [("cap_max_asks", "13"), ("reminders", "11")])
async def test_a_setting_past_its_bound_is_refused_when_editing_and_stays(
    nps_bot_on: Run, services: Services, setting: str, value: str
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    for typed in (value, *HUGE):
        done = nps_bot_on("survey", "edit", *WHERE, "--set", f"{setting}={typed}", check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "at most" in done.stderr
    assert await settings_of(services) == (2, 2)

    nps_bot_on("survey", "edit", *WHERE, "--set", "cap_max_asks=12", "--set", "reminders=10")
    assert await settings_of(services) == (12, 10)


async def test_the_refusal_names_every_bound_crossed_at_once(nps_bot_on: Run) -> None:
    nps_bot_on("survey", "create", *WHERE)
    done = nps_bot_on(
        "survey", "edit", *WHERE, "--set", "cap_max_asks=50", "--set", "reminders=50", check=False
    )
    assert done.returncode == 1
    assert "at most 12 asks a year" in done.stderr
    assert "at most 10 reminders" in done.stderr


async def test_a_survey_stored_with_more_before_the_bounds_can_still_be_edited(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(cap_max_asks=40, reminders=30))

    nps_bot_on("survey", "edit", *WHERE, "--set", "window_days=20")

    assert await settings_of(services) == (40, 30)
    async with services.database.transaction() as session:
        window = await session.scalar(select(Survey.window_days).where(Survey.name == "pulse"))
    assert window == 20
