"""Parsing what people type: scores, ids, free text and /nps commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import Verb, parse_command
from bot.domain.inputs import clean_text, parse_score, parse_uuid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, 0),
        (10, 10),
        ("7", 7),
        (" 9 ", 9),
        ("10", 10),
        (11, None),
        (-1, None),
        ("-1", None),
        ("7.0", None),
        (7.0, None),
        (True, None),
        ("", None),
        ("٣", None),
        ("１", None),
        (None, None),
    ],
)
def test_parse_score(raw: object, expected: int | None) -> None:
    assert parse_score(raw) == expected


@given(st.text())
def test_parse_score_never_raises_and_stays_in_range(raw: str) -> None:
    value = parse_score(raw)
    assert value is None or 0 <= value <= 10


def test_parse_uuid() -> None:
    assert parse_uuid("0f8fad5b-d9cb-469f-a165-70867728950e") is not None
    assert parse_uuid("nope") is None and parse_uuid(None) is None


def test_clean_text_drops_control_characters_but_keeps_lines() -> None:
    assert clean_text("  a\x00b\x07c\nd\te  ") == "abc\nd\te"


@pytest.mark.parametrize(
    ("text", "verb", "args", "options"),
    [
        ("", Verb.ANSWER, (), {}),
        ("/nps", Verb.ANSWER, (), {}),
        ("/nps report", Verb.REPORT, (), {}),
        (
            "report eng --by team --period=month",
            Verb.REPORT,
            ("eng",),
            {"by": "team", "period": "month"},
        ),
        ("OPTOUT", Verb.OPT_OUT, (), {}),
        ("opt-in", Verb.OPT_IN, (), {}),
        ("privacy", Verb.PRIVACY, (), {}),
        ("help", Verb.HELP, (), {}),
        ("dance now", Verb.UNKNOWN, ("now",), {}),
        ('report "two words"', Verb.REPORT, ("two words",), {}),
        ('report "unbalanced', Verb.REPORT, ('"unbalanced',), {}),
    ],
)
def test_parse_command(
    text: str, verb: Verb, args: tuple[str, ...], options: dict[str, str]
) -> None:
    command = parse_command(text)
    assert (command.verb, command.args, command.options) == (verb, args, options)


def test_forget_me_command_spellings() -> None:
    assert parse_command("forget-me").verb is Verb.FORGET_ME
    assert parse_command("/nps forgetme").verb is Verb.FORGET_ME
