"""Texts an admin writes that respondents read (a survey's subject, an action's title)
show as typed: a bidi override or zero-width character cannot reorder or hide them.
And an action number past any action is no action, whatever its size. Through the real
command, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.runtime.services import Services
from storage.models import Survey
from storage.plan_models import ActionPlan
from tests.cli.conftest import Run

WHERE = ("--survey", "pulse", "--platform", "console")
INVISIBLE = "the subject holds only visible characters"
CONTROL = "subject holds a control character"


@pytest.mark.parametrize(
    ("subject", "said"),
    [
        ("Acme\u202eduolC", INVISIBLE),
        ("Acme\u200bCloud", INVISIBLE),
        ("Acme\nCloud", CONTROL),
        ("Acme\tCloud", CONTROL),
        ("Acme\x07", CONTROL),
    ],
)
async def test_a_subject_with_characters_that_do_not_show_is_refused(
    nps_bot_on: Run, services: Services, subject: str, said: str
) -> None:
    done = nps_bot_on("survey", "create", *WHERE, "--subject", subject, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert said in done.stderr
    assert ";" not in done.stderr  # one refusal of the subject, not two

    nps_bot_on("survey", "create", *WHERE, "--subject", "Acme Cloud\u3000日本")
    edited = nps_bot_on("survey", "edit", *WHERE, "--set", f"subject={subject}", check=False)
    assert edited.returncode == 1
    async with services.database.transaction() as session:
        stored = (await session.execute(select(Survey.subject))).scalars().all()
    assert stored == ["Acme Cloud\u3000日本"]


async def test_an_action_title_keeps_only_what_shows(nps_bot_on: Run, services: Services) -> None:
    nps_bot_on("survey", "create", *WHERE)
    due = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    nps_bot_on(
        "actions",
        "add",
        *WHERE,
        "--title",
        "Buddy\u202e\u200b\nprogram",
        "--owner",
        "local",
        "--due",
        due,
    )
    async with services.database.transaction() as session:
        titles = (await session.execute(select(ActionPlan.title))).scalars().all()
    assert titles == ["Buddy program"]


@pytest.mark.parametrize("number", ["99999999999999999999", "3000000000", "1000000"])
async def test_an_action_number_past_the_database_integers_is_no_action(
    nps_bot_on: Run, number: str
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    done = nps_bot_on(
        "actions", "update", *WHERE, "--number", number, "--status", "done", check=False
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == f"error: no action #{number}"
