"""Text the command line prints back, whoever wrote it (an admin's action title, a reply,
a respondent's answer back, a name mistyped in an option), is printed as it is: square
brackets are no styling, so none can restyle the terminal or end the command in a
traceback after its work was stored. Through the real command, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from storage.plan_models import ActionPlan, WaveNote
from tests.cli.conftest import Run
from tests.support.replies_world import quoted, released_report, writers

WHERE = ("--survey", "pulse", "--platform", "console")
MARKUP = "[/] [b]loud[/b] [link=x]y"
"""Short enough that no table wraps it."""


def _due() -> str:
    return (datetime.now(UTC).date() + timedelta(days=10)).isoformat()


def _clean(done: object) -> None:
    stderr = getattr(done, "stderr", "")
    assert "Traceback" not in stderr and "MarkupError" not in stderr, stderr


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--survey", "[/]x"),
        ("report", "--platform", "console", "--tenant", "[/]x"),
        ("export", "--format", "csv", "--survey", "[/]x"),
        ("replies", "send", "--survey", "[/]x", "--comment", "aaaaaaaa", "--text", "hi"),
        ("actions", "list", "--survey", "[/]x", "--platform", "console"),
    ],
)
async def test_an_error_about_a_typed_value_names_it_as_typed(
    nps_bot_on: Run, command: tuple[str, ...]
) -> None:
    done = nps_bot_on(*command, check=False)

    _clean(done)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and "'[/]x'" in line


async def test_a_refused_option_value_is_quoted_as_typed(nps_bot_on: Run) -> None:
    nps_bot_on("survey", "create", *WHERE)
    done = nps_bot_on(
        "actions", "add", *WHERE, "--title", "t", "--owner", "local", "--due", _due(),
        "--status", "[/]done", check=False,
    )  # fmt: skip

    _clean(done)
    assert done.returncode == 1 and "[/]done" in done.stderr


async def test_an_action_titled_in_brackets_is_added_listed_and_updated(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    # An owner is a person's user id, so one in brackets is refused, and said as typed.
    bracketed = nps_bot_on(
        "actions", "add", *WHERE, "--title", MARKUP, "--owner", "[/]", "--due", _due(),
        check=False,
    )  # fmt: skip
    _clean(bracketed)
    assert bracketed.returncode == 1 and "'[/]'" in bracketed.stderr
    added = nps_bot_on(
        "actions", "add", *WHERE, "--title", MARKUP, "--owner", "local", "--due", _due(),
        "--theme", "[red]theme", check=False,
    )  # fmt: skip
    _clean(added)
    assert added.returncode == 0
    assert added.stdout.strip() == f"Action #1 added to pulse: {MARKUP}"

    listed = nps_bot_on("actions", "list", *WHERE, check=False)
    _clean(listed)
    assert listed.returncode == 0
    assert MARKUP in listed.stdout and "[red]theme" in listed.stdout

    updated = nps_bot_on(
        "actions", "update", *WHERE, "--number", "1", "--status", "done", check=False
    )
    _clean(updated)
    assert updated.returncode == 0
    async with services.database.transaction() as session:
        titles = (await session.execute(select(ActionPlan.title))).scalars().all()
    assert titles == [MARKUP]


async def test_a_next_wave_text_in_brackets_is_shown_as_written(nps_bot_on: Run) -> None:
    nps_bot_on("survey", "create", *WHERE)
    done = nps_bot_on("actions", "preview", *WHERE, "--set-text", MARKUP, check=False)

    _clean(done)
    assert done.returncode == 0 and done.stdout.startswith(MARKUP + "\n")


async def test_replies_in_brackets_are_listed_as_written(
    nps_bot_on: Run, services: Services
) -> None:
    everyone = await writers(services)
    handle, _writer = next(iter(quoted(await released_report(services), everyone).items()))
    sent = nps_bot_on(
        "replies", "send", "--survey", DEFAULT_SURVEY, "--comment", handle, "--text", MARKUP,
        check=False,
    )  # fmt: skip
    _clean(sent)
    assert sent.returncode == 0

    listed = nps_bot_on("replies", "list", "--survey", DEFAULT_SURVEY, check=False)

    _clean(listed)
    assert listed.returncode == 0
    assert MARKUP in listed.stdout


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--survey", "pulse\udcff"),
        ("report", "--survey", "pulse", "--by", "team\udcff"),
        ("replies", "send", "--survey", "pulse", "--comment", "aaaaaaaa", "--text", "hi\udcff"),
        ("actions", "add", *WHERE, "--title", "t\udcff", "--owner", "local", "--due", "2099-01-01"),
        ("console", "--user", "me\udcff"),
    ],
)
async def test_an_argument_that_is_not_utf8_is_refused_before_anything_runs(
    nps_bot_on: Run, services: Services, command: tuple[str, ...]
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    # The operating system hands the command these bytes; Python shows them as surrogates.
    done = nps_bot_on(*command, check=False, stdin="7\n")

    _clean(done)
    assert done.returncode == 2
    typed = next(arg for arg in command if "\udcff" in arg).replace("\udcff", "\\xff")
    assert done.stderr.strip() == f"error: '{typed}' is not UTF-8 text: type it again in UTF-8"
    async with services.database.transaction() as session:
        assert (await session.execute(select(ActionPlan.title))).scalars().all() == []


async def _notes(services: Services) -> list[str]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(WaveNote.text))).scalars().all())


async def test_a_next_wave_text_keeps_only_what_shows(nps_bot_on: Run, services: Services) -> None:
    """The text opens the next wave for everyone asked: a bidi override, a zero-width
    character or an escape sequence would hide or reorder what the admin wrote."""
    nps_bot_on("survey", "create", *WHERE)
    typed = "We \u202ehired\u200b two\x1b[31m people.\nThanks\t for telling us."
    done = nps_bot_on("actions", "preview", *WHERE, "--set-text", typed, check=False)

    _clean(done)
    assert done.returncode == 0
    assert await _notes(services) == ["We hired two[31m people.\nThanks\t for telling us."]
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout


async def test_a_next_wave_text_typed_with_a_nul_in_the_console_is_stored_without_it(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *WHERE)
    done = nps_bot_on(
        "console", "--user", "admin", "--admin",
        stdin='/nps actions preview pulse --set-text "two\x00 people"\n',
    )  # fmt: skip

    _clean(done)
    assert "two people" in done.stdout
    assert await _notes(services) == ["two people"]


@pytest.mark.parametrize("by", ['team"', '"', 'te"am'])
async def test_a_breakdown_by_a_label_holding_a_double_quote_is_a_report(
    nps_bot_on: Run, by: str
) -> None:
    """SQLite's JSON path cannot name such a label, so it is read on neither database
    (and is no group of the report) instead of failing the query.

    The answer is to the default survey, which the console asks at once: a wave's
    invitations wait for the person's working hours, so answering a started survey
    depended on the hour the test ran."""
    started = nps_bot_on(
        "console", "--user", "admin", "--admin", "--segment", "team=a", stdin="7\n\n"
    )
    assert "Thank you" in started.stdout

    where = ("--survey", DEFAULT_SURVEY)
    shown = nps_bot_on("report", *where, "--by", by, "--period", "wave", check=False)
    _clean(shown)
    assert shown.returncode == 0 and "Answers so far: 1." in shown.stdout
    as_json = nps_bot_on("report", *where, "--by", by, "--json", check=False)
    _clean(as_json)
    assert as_json.returncode == 0
    assert (json.loads(as_json.stdout)["by"], json.loads(as_json.stdout)["n"]) == (by, 1)


async def test_a_survey_named_in_brackets_is_created_and_listed_as_named(nps_bot_on: Run) -> None:
    created = nps_bot_on("survey", "create", "--survey", "[/]x", "--platform", "console")

    _clean(created)
    assert created.stdout.strip() == "created survey [/]x"
    listed = nps_bot_on("survey", "list")
    _clean(listed)
    assert "[/]x" in listed.stdout


@pytest.mark.parametrize(
    "by",
    ["te\x1b[31mam", "te\u202eam", "te\u200bam", "t" * 65],
    ids=["escape", "bidi", "zero-width", "long"],
)
async def test_a_breakdown_by_a_label_no_group_can_hold_is_refused_and_nothing_printed(
    nps_bot_on: Run, by: str
) -> None:
    """An escape would restyle the terminal, a bidi or zero-width character would print a
    spoofed label as the breakdown's heading: none is a label's name anywhere."""
    nps_bot_on("survey", "create", *WHERE)
    for args in (("--by", by), ("--by", by, "--json")):
        done = nps_bot_on("report", "--survey", "pulse", *args, check=False)
        _clean(done)
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.strip() == (
            "error: A label to break down by is 1 to 64 characters shown as themselves:"
            " no tab, control, bidi or zero-width character."
        )
        assert "\x1b" not in done.stderr and "\u202e" not in done.stderr
