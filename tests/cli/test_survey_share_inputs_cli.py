"""``nps-bot survey share`` on SQLite and PostgreSQL: a group no label can hold and a
person who is no user id of the platform are refused in one line, nothing is shared; a
group an imported answer carries, whatever its column's name, can be shared and read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain.people import Person
from bot.report.model import ReportRequest
from bot.runtime.services import Services
from bot.views.common import ReportView
from storage.models import ScopedViewer
from tests.cli.conftest import Run

SLACK = ("--platform", "slack", "--tenant", "T0TEAM001")
DISCORD = ("--platform", "discord", "--tenant", "1234567890123")
CONSOLE = ("--platform", "console")
CHARACTERS = "error: a label and its value hold no control, bidi or invisible character"
LENGTH = "error: a label and its value need 1 to 64 characters each"
SLACK_ID = (
    "error: give the person by their user id: on Slack, U or W and then capital letters "
    "and digits (U0123ABCD)"
)
DISCORD_ID = "error: give the person by their user id: on Discord, 15 to 20 digits"


async def shares_of(services: Services) -> int:
    async with services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ScopedViewer)) or 0)


@pytest.mark.parametrize(
    ("group", "refusal"),
    [
        ("team=\u202egne", CHARACTERS),  # shows as "eng" reversed
        ("team=e\u200bng", CHARACTERS),  # shows as "eng"
        ("te\u2066am=eng", CHARACTERS),
        ("team=" + "x" * 65, LENGTH),
        ("team=" + "x" * 10_000, LENGTH),
        ("t" * 65 + "=eng", LENGTH),
    ],
)
async def test_a_group_no_label_can_hold_is_refused_and_nothing_is_shared(
    nps_bot_on: Run, services: Services, group: str, refusal: str
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *SLACK)

    done = nps_bot_on(
        "survey", "share", "--survey", "pulse", *SLACK, "--user", "U0LEAD001", group, check=False
    )

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == refusal
    assert await shares_of(services) == 0


@pytest.mark.parametrize(
    ("where", "user", "refusal"),
    [
        (SLACK, "0", SLACK_ID),
        (SLACK, "u0lead001", SLACK_ID),
        (SLACK, "C0GENERAL", SLACK_ID),
        (DISCORD, "0", DISCORD_ID),
        (DISCORD, "12345", DISCORD_ID),
        (DISCORD, "U0LEAD001", DISCORD_ID),
    ],
)
async def test_a_person_who_is_no_user_id_of_the_platform_is_refused(
    nps_bot_on: Run, services: Services, where: tuple[str, ...], user: str, refusal: str
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *where)

    done = nps_bot_on(
        "survey", "share", "--survey", "pulse", *where, "--user", user, "team=eng", check=False
    )

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == refusal
    assert await shares_of(services) == 0


@pytest.mark.parametrize(
    ("where", "user"),
    [(SLACK, "U0LEAD001"), (SLACK, "W0LEAD001"), (DISCORD, "123456789012345678"), (CONSOLE, "0")],
)
async def test_a_user_id_of_the_platform_is_shared_with(
    nps_bot_on: Run, services: Services, where: tuple[str, ...], user: str
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *where)

    done = nps_bot_on("survey", "share", "--survey", "pulse", *where, "--user", user, "team=eng")

    assert done.stdout.strip() == "shared team=eng of survey pulse"
    assert await shares_of(services) == 1


async def test_a_group_of_imported_answers_with_a_column_as_named_is_shared_and_read(
    nps_bot_on: Run, services: Services, csv_file: Callable[[str], Path]
) -> None:
    """An imported answer keeps its columns' names as written (``Office city``), so a
    share of such a group is no slip: its viewer reads it."""
    nps_bot_on("survey", "create", "--survey", "pulse", *CONSOLE)
    rows = "".join(f"2026-03-{day:02d},{day % 11},Tokyo\n" for day in range(1, 13))
    nps_bot_on("import", str(csv_file(f"date,score,Office city\n{rows}")), "--survey", "pulse")

    done = nps_bot_on(
        "survey", "share", "--survey", "pulse", *CONSOLE, "--user", "bob", "Office city=Tokyo"
    )
    bob = Person(platform="console", tenant="local", user_id="bob")
    view = await services.viewers.report(bob, ReportRequest(survey="pulse"))

    assert done.stdout.strip() == "shared Office city=Tokyo of survey pulse"
    assert isinstance(view, ReportView) and "Office city=Tokyo" in view.title, view
