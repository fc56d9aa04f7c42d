"""A setting given twice on one command line is refused, not read as its last value:
``--set k_min=7 --set k_min=6`` stored 6 without a word, though either could be the
one meant. Nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.runtime.services import Services
from storage.models import Survey
from tests.cli.conftest import Run

CONSOLE = ("--survey", "pulse", "--platform", "console")


async def stored(services: Services) -> list[tuple[int, int, object, object]]:
    async with services.database.transaction() as session:
        rows = await session.execute(
            select(Survey.k_min, Survey.window_days, Survey.audience, Survey.drivers)
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (("--set", "k_min=7", "--set", "k_min=6"), "--set k_min is given twice"),
        (("--set", "k_min=7", "--set", " k_min =7"), "--set k_min is given twice"),
        (
            ("--set", "audience=everyone=yes,everyone=no"),
            "--set audience everyone is given twice",
        ),
        (
            ("--set", "drivers=growth=Growth", "--drivers", "team=My team"),
            "the drivers are given twice",
        ),
        (
            ("--set", "\x1b[2Jk=1", "--set", "\x1b[2Jk=2"),
            "--set \\x1b[2Jk is given twice",
        ),
    ],
)
async def test_a_setting_given_twice_to_edit_is_refused_and_nothing_changes(
    nps_bot_on: Run, services: Services, given: tuple[str, ...], said: str
) -> None:
    nps_bot_on("survey", "create", *CONSOLE)
    before = await stored(services)

    done = nps_bot_on("survey", "edit", *CONSOLE, "--set", "window_days=9", *given, check=False)

    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"error: {said}"), done.stderr
    assert await stored(services) == before


async def test_an_audience_kind_given_twice_to_create_is_refused(
    nps_bot_on: Run, services: Services
) -> None:
    where = ("--survey", "pulse", "--platform", "slack", "--tenant", "T1")
    done = nps_bot_on(
        "survey",
        "create",
        *where,
        "--audience",
        "channel=C1",
        "--audience",
        "channel=C2",
        check=False,
    )

    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: --audience channel is given twice"), done.stderr
    assert await stored(services) == []


async def test_different_settings_together_are_all_stored(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *CONSOLE)
    nps_bot_on("survey", "edit", *CONSOLE, "--set", "k_min=7", "--set", "window_days=10")

    [(k_min, window_days, _, _)] = await stored(services)
    assert (k_min, window_days) == (7, 10)
