"""Parsing what people type: scores, ids, free text and /nps commands."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.command_words import OptionFault
from bot.domain.commands import (
    Command,
    ReplyCommand,
    ReportCommand,
    ReportUsage,
    SimpleCommand,
    SurveyAction,
    SurveyCommand,
    SurveyUsage,
    UnknownCommand,
    Verb,
    parse_command,
)
from bot.domain.inputs import clean_text, escaped, parse_score, parse_uuid, shows_as_itself


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
        ("１", 1),
        ("８", 8),
        ("１０", 10),
        ("10点", 10),
        ("１０点", 10),
        (" ７ 点 ", 7),
        ("\u30008\u3000", 8),
        ("１１", None),
        ("点", None),
        ("10点点", None),
        ("0010", None),
        ("-１", None),
        ("+5", None),
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


CREATE, EDIT, LIST, STATUS = (
    SurveyAction.CREATE,
    SurveyAction.EDIT,
    SurveyAction.LIST,
    SurveyAction.STATUS,
)
START, CLOSE, DELETE = SurveyAction.START, SurveyAction.CLOSE, SurveyAction.DELETE


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", SimpleCommand(Verb.ANSWER)),
        ("/nps", SimpleCommand(Verb.ANSWER)),
        ("answer", SimpleCommand(Verb.ANSWER)),
        ("/nps report", ReportCommand()),
        (
            "report eng --by team --period=month",
            ReportCommand(survey="eng", by="team", period="month"),
        ),
        ("report --by", ReportUsage("--by", OptionFault.NO_VALUE)),
        ("report --by --period month", ReportUsage("--by", OptionFault.NO_VALUE)),
        ("report --perod month", ReportUsage("--perod")),
        ("report last 3 months", ReportUsage("3")),
        ("report --by team --By=role", ReportUsage("--by", OptionFault.TWICE)),
        ("report --Period=Month --QUOTES", ReportCommand(period="Month", quotes=True)),
        ('report "two words"', ReportCommand(survey="two words")),
        ('report "unbalanced', ReportCommand(survey='"unbalanced')),
        ("report eng --quotes --by team", ReportCommand(survey="eng", by="team", quotes=True)),
        ("reply", ReplyCommand(survey="", comment="", text="")),
        ("reply pulse", ReplyCommand(survey="pulse", comment="", text="")),
        (
            'reply pulse AbCd2345 thanks, "we hear" you',
            ReplyCommand(survey="pulse", comment="AbCd2345", text="thanks, we hear you"),
        ),
        ("OPTOUT", SimpleCommand(Verb.OPT_OUT)),
        ("opt-out", SimpleCommand(Verb.OPT_OUT)),
        ("opt-in", SimpleCommand(Verb.OPT_IN)),
        ("privacy", SimpleCommand(Verb.PRIVACY)),
        ("help me", SimpleCommand(Verb.HELP)),
        ("forget-me", SimpleCommand(Verb.FORGET_ME)),
        ("/nps forgetme", SimpleCommand(Verb.FORGET_ME)),
        ("dance now", UnknownCommand("dance")),
        ("Dance", UnknownCommand("Dance")),
        ("survey", SurveyUsage()),
        ("survey dance", SurveyUsage()),
        ("survey create", SurveyCommand(CREATE)),
        ("survey create pulse", SurveyCommand(CREATE, name="pulse")),
        (
            'survey create pulse --kind nps --subject "Acme Cloud" --K 7 --window-days=3',
            SurveyCommand(
                CREATE,
                name="pulse",
                settings={"kind": "nps", "subject": "Acme Cloud", "k": "7", "window_days": "3"},
            ),
        ),
        ('survey edit pulse --cadence ""', SurveyCommand(EDIT, "pulse", settings={"cadence": ""})),
        # A channel or a group typed as chat writes it (Slack escapes "#general" and
        # "@team") is its id; elsewhere the text stays as typed.
        (
            "survey edit pulse --digest-channel <#C0GEN|general> --alert_channel <#C0ADM>"
            " --audience usergroup --audience_target <!subteam^S0TEAM|@team>",
            SurveyCommand(
                EDIT,
                "pulse",
                settings={
                    "digest_channel": "C0GEN",
                    "alert_channel": "C0ADM",
                    "audience": "usergroup",
                    "audience_target": "S0TEAM",
                },
            ),
        ),
        (
            "survey edit pulse --audience_target <@&123> --digest_channel <#456>",
            SurveyCommand(
                EDIT, "pulse", settings={"audience_target": "123", "digest_channel": "456"}
            ),
        ),
        (
            "survey edit pulse --subject <#C0GEN|general> --alert_channel <#>",
            SurveyCommand(
                EDIT, "pulse", settings={"subject": "<#C0GEN|general>", "alert_channel": "<#>"}
            ),
        ),
        ("survey edit pulse", SurveyCommand(EDIT, name="pulse")),
        ("survey edit", SurveyUsage()),
        ("survey edit --k 7", SurveyUsage()),
        ("survey LIST", SurveyCommand(LIST)),
        ("survey list pulse", SurveyCommand(LIST)),
        ("survey status", SurveyCommand(STATUS)),
        ("survey status pulse", SurveyCommand(STATUS, name="pulse")),
        ("survey start my pulse", SurveyCommand(START, name="my pulse")),
        ("survey start", SurveyUsage()),
        ("/nps survey close pulse", SurveyCommand(CLOSE, name="pulse")),
        ("survey close", SurveyUsage()),
        ("survey delete pulse", SurveyCommand(DELETE, name="pulse")),
        ("survey delete pulse --yes", SurveyCommand(DELETE, name="pulse", confirmed=True)),
        ("survey delete --yes pulse", SurveyCommand(DELETE, name="pulse", confirmed=True)),
        ("survey delete --yes", SurveyUsage()),
        ("survey start pulse --yes", SurveyCommand(START, name="pulse")),
        ("survey start pulse --k_min 9", SurveyUsage(START, "--k_min")),
        ("survey delete pulse --yes --Force", SurveyUsage(DELETE, "--Force")),
        ("survey list --all", SurveyUsage(LIST, "--all")),
    ],
)
def test_parse_command(text: str, command: Command) -> None:
    assert parse_command(text) == command


VERB_WORDS = {
    "answer",
    "report",
    "optout",
    "opt-out",
    "optin",
    "opt-in",
    "forget-me",
    "forgetme",
    "privacy",
    "help",
    "survey",
    "reply",
    "replies",
    "actions",
    "action",
}
"""Every word the grammar reads as a verb, in any case."""


@given(st.text() | st.sampled_from(sorted(VERB_WORDS)).map(lambda verb: f"{verb} x"))
def test_parsing_never_raises(text: str) -> None:
    assert isinstance(parse_command(text), Command)


WORD = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S"], exclude_characters="\"'\\"),
    min_size=1,
    max_size=12,
)
"""A word that splits as itself: no spaces, quotes or backslashes."""


@given(WORD.filter(lambda word: word.lower() not in VERB_WORDS | {"/nps"}), st.text())
def test_a_word_that_is_no_verb_is_named_back_whatever_follows(word: str, rest: str) -> None:
    assert parse_command(f"{word} {rest}") == UnknownCommand(word)


@given(WORD.filter(lambda word: word.lower() not in set(SurveyAction)), st.text())
def test_an_unknown_survey_subcommand_gives_the_usage(word: str, rest: str) -> None:
    assert parse_command(f"/nps survey {word} {rest}") == SurveyUsage()


REPORT_VALUE = WORD.filter(lambda word: not word.startswith("--"))
"""A survey name, a label or a period kind as typed: any word that is not an option."""

UNKNOWN_OPTION = st.from_regex(r"--[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True).filter(
    lambda option: option[2:].lower().replace("-", "_") not in {"by", "period", "quotes"}
)


@given(
    survey=st.none() | REPORT_VALUE,
    by=st.none() | REPORT_VALUE,
    period=st.none() | REPORT_VALUE,
    quotes=st.booleans(),
    joined=st.booleans(),
    order=st.randoms(use_true_random=False),
)
def test_a_report_command_reads_back_whatever_the_order_of_its_words(
    survey: str | None,
    by: str | None,
    period: str | None,
    quotes: bool,
    joined: bool,
    order: random.Random,
) -> None:
    parts = [[survey]] if survey is not None else []
    for option, value in (("--by", by), ("--period", period)):
        if value is not None:
            parts.append([f"{option}={value}"] if joined else [option, value])
    if quotes:
        parts.append(["--quotes"])
    order.shuffle(parts)
    text = " ".join(["report", *(word for part in parts for word in part)])

    assert parse_command(text) == ReportCommand(survey=survey, by=by, period=period, quotes=quotes)


@given(option=UNKNOWN_OPTION, rest=st.lists(REPORT_VALUE | st.sampled_from(["--by", "--quotes"])))
def test_an_option_report_does_not_take_is_named_back_not_ignored(
    option: str, rest: list[str]
) -> None:
    assert parse_command(" ".join(["report", option, *rest])) == ReportUsage(option)


@given(
    action=st.sampled_from([START, CLOSE, DELETE, SurveyAction.STATUS]),
    option=UNKNOWN_OPTION.filter(lambda option: option[2:].lower() != "yes"),
    confirmed=st.booleans(),
)
def test_an_option_a_survey_subcommand_does_not_take_is_named_back(
    action: SurveyAction, option: str, confirmed: bool
) -> None:
    words = ["survey", action.value, "pulse", *(["--yes"] if confirmed else []), option]
    assert parse_command(" ".join(words)) == SurveyUsage(action, option)


@given(st.text(alphabet=st.characters(exclude_characters="\"'\\")))
def test_a_report_usage_names_a_word_that_was_typed(text: str) -> None:
    # Without quotes or backslashes, every word splits out as typed.
    command = parse_command(f"report {text}")
    assert isinstance(command, ReportCommand | ReportUsage)
    if isinstance(command, ReportUsage):
        assert command.word and command.word in text


@given(st.text())
def test_escaped_text_shows_as_itself_and_changes_only_what_does_not(text: str) -> None:
    shown = escaped(text)
    assert shows_as_itself(shown)
    assert (shown == text) is shows_as_itself(text)


def test_escaped_writes_hidden_characters_as_their_escapes() -> None:
    assert escaped("te\u202eam\u200b\x1b\n部署\u3000x") == "te\\u202eam\\u200b\\x1b\\n部署\u3000x"
