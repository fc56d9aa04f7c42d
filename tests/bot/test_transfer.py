"""CSV import parsing (all or nothing, every problem with its line) and export rules."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.csv_rows import ProblemCode, parse_answers

TODAY = date(2026, 12, 1)


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_valid_file_yields_answers_with_labels() -> None:
    parsed = parse_answers(
        today=TODAY,
        lines=lines(
            "date,score,reason,survey,team,category\n"
            "2026-03-01,9,great team,eng,A,promoter\n"
            "2026-03-02,3,,,B,\n"
            "\n"
            "2026-03-03,10,とても良い,eng,,\n"
        ),
    )
    assert parsed.problems == ()
    first, second, third = parsed.answers
    assert (first.survey, first.score, first.reason, first.segments) == (
        "eng",
        9,
        "great team",
        {"team": "A"},
    )
    assert (second.survey, second.reason, second.answered_on) == (
        "default",
        None,
        date(2026, 3, 2),
    )
    assert third.segments == {} and third.reason == "とても良い"


def test_cells_the_export_neutralised_import_as_they_were_written() -> None:
    parsed = parse_answers(
        today=TODAY,
        lines=lines(
            "date,score,reason,'+where\n"
            '2026-03-01,3,"\'=HYPERLINK(""http://x"",""y"")",\'@HQ\n'
            "2026-03-01,9,''=typed with a quote,'-1\n"
            "2026-03-01,9,'just a quote,HQ\n"
        ),
    )
    assert parsed.problems == ()
    assert [(a.reason, a.segments) for a in parsed.answers] == [
        ('=HYPERLINK("http://x","y")', {"+where": "@HQ"}),
        ("'=typed with a quote", {"+where": "-1"}),
        ("'just a quote", {"+where": "HQ"}),
    ]


def test_every_problem_is_listed_with_its_line_and_nothing_is_returned() -> None:
    parsed = parse_answers(
        today=TODAY,
        lines=lines(
            "date,score,team\n"
            "2026-03-01,9,A\n"
            "2026-13-01,9,A\n"
            "2026-03-01,11,A\n"
            "2026-03-01,seven,A\n"
            "2026-03-01,9\n"
            "yesterday,-1,B\n"
        ),
    )
    assert parsed.answers == ()
    found = [(p.line, p.code) for p in parsed.problems]
    assert found == [
        (3, ProblemCode.BAD_DATE),
        (4, ProblemCode.BAD_SCORE),
        (5, ProblemCode.BAD_SCORE),
        (6, ProblemCode.WRONG_WIDTH),
        (7, ProblemCode.BAD_DATE),
        (7, ProblemCode.BAD_SCORE),
    ]


def test_header_problems() -> None:
    parsed = parse_answers(today=TODAY, lines=lines("when,team,team,\n2026-03-01,A,B,C\n"))
    codes = {(p.code, p.column) for p in parsed.problems}
    assert (ProblemCode.MISSING_COLUMN, "date") in codes
    assert (ProblemCode.MISSING_COLUMN, "score") in codes
    assert (ProblemCode.DUPLICATE_COLUMN, "team") in codes
    assert (ProblemCode.BLANK_COLUMN, "") in codes
    assert parse_answers([], today=TODAY).problems[0].code is ProblemCode.EMPTY_FILE


def test_reason_over_the_limit_is_a_problem() -> None:
    parsed = parse_answers(
        today=TODAY, lines=lines(f"date,score,reason\n2026-03-01,2,{'x' * 2001}\n")
    )
    assert [(p.line, p.code) for p in parsed.problems] == [(2, ProblemCode.REASON_TOO_LONG)]


@given(st.lists(st.integers(min_value=-3, max_value=14), min_size=1, max_size=30))
def test_all_or_nothing(scores: list[int]) -> None:
    text = "date,score\n" + "".join(f"2026-03-01,{s}\n" for s in scores)
    parsed = parse_answers(today=TODAY, lines=lines(text))
    bad = [i + 2 for i, s in enumerate(scores) if not 0 <= s <= 10]
    assert [p.line for p in parsed.problems] == bad
    assert len(parsed.answers) == (0 if bad else len(scores))


def test_scores_are_read_as_people_type_them() -> None:
    parsed = parse_answers(
        today=TODAY, lines=lines("date,score\n2026-03-01,１０\n2026-03-02,８点\n2026-03-03, 7 \n")
    )
    assert parsed.problems == ()
    assert [answer.score for answer in parsed.answers] == [10, 8, 7]


def test_header_names_are_read_in_any_case() -> None:
    parsed = parse_answers(
        today=TODAY, lines=lines("Date,SCORE,Reason,Survey,Team\n2026-03-01,9,ok,eng,A\n")
    )
    assert parsed.problems == ()
    (answer,) = parsed.answers
    assert (answer.survey, answer.reason, answer.segments) == ("eng", "ok", {"Team": "A"})
    twice = parse_answers(today=TODAY, lines=lines("date,Date,score\n2026-03-01,2026-03-01,9\n"))
    assert [(p.code, p.column) for p in twice.problems] == [(ProblemCode.DUPLICATE_COLUMN, "date")]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(separator: str) -> None:
    text = 'date,score,reason,team\n2026-03-01,9,"fast, friendly",A\n'.replace(",", separator)
    text = text.replace(f'"fast{separator} friendly"', '"fast, friendly"')
    parsed = parse_answers(today=TODAY, lines=lines(text))
    assert parsed.problems == ()
    (answer,) = parsed.answers
    assert (answer.score, answer.reason, answer.segments) == (9, "fast, friendly", {"team": "A"})


def test_a_comma_in_a_comma_separated_header_wins_a_tie() -> None:
    parsed = parse_answers(today=TODAY, lines=lines("date,score\n2026-03-01,9\n"))
    assert [answer.score for answer in parsed.answers] == [9]


def test_dates_after_today_are_refused_with_their_line() -> None:
    parsed = parse_answers(
        today=TODAY,
        lines=lines("date,score\n2026-12-01,9\n2026-12-02,9\n2031-01-01,3\n"),
    )
    assert parsed.answers == ()
    assert [(p.line, p.code, p.value) for p in parsed.problems] == [
        (3, ProblemCode.FUTURE_DATE, "2026-12-02"),
        (4, ProblemCode.FUTURE_DATE, "2031-01-01"),
    ]


def test_control_characters_leave_labels_and_names() -> None:
    parsed = parse_answers(
        today=TODAY, lines=lines("date,score,survey,te\x00am\n2026-03-01,9,e\x00ng,A\x00B\x07\n")
    )
    assert parsed.problems == ()
    (answer,) = parsed.answers
    assert (answer.survey, answer.segments) == ("eng", {"team": "AB"})


def test_a_quote_never_closed_is_a_problem_of_its_line_not_one_long_reason() -> None:
    text = 'date,score,reason\n2026-03-01,9,fine\n2026-03-01,7,"never closed\n2026-03-02,8,x\n'
    parsed = parse_answers(io.StringIO(text, newline=""), today=TODAY)
    assert parsed.answers == ()
    assert [(p.line, p.code) for p in parsed.problems] == [(3, ProblemCode.UNCLOSED_QUOTE)]


def test_text_after_a_closing_quote_is_a_problem_of_its_line() -> None:
    text = 'date,score,reason\n2026-03-01,9,"fine"ish\n'
    parsed = parse_answers(io.StringIO(text, newline=""), today=TODAY)
    assert [(p.line, p.code) for p in parsed.problems] == [(2, ProblemCode.NOT_CSV)]


@pytest.mark.parametrize(
    ("day", "refused"), [("0001-01-01", True), ("1899-12-31", True), ("1900-01-01", False)]
)
def test_dates_before_1900_are_refused_with_their_line(day: str, refused: bool) -> None:
    parsed = parse_answers(lines(f"date,score\n{day},9\n"), today=TODAY)
    assert [(p.line, p.code) for p in parsed.problems] == (
        [(2, ProblemCode.PAST_DATE)] if refused else []
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(["eng", "ops", ""]), st.sampled_from(["lead", "ic", ""])),
        min_size=1,
        max_size=30,
    )
)
def test_each_answer_carries_its_own_lines_groups(groups: list[tuple[str, str]]) -> None:
    """Answers of the same groups share what they hold; each still reads its own line's."""
    text = "date,score,team,role\n" + "".join(f"2026-03-01,7,{t},{r}\n" for t, r in groups)
    parsed = parse_answers(io.StringIO(text, newline=""), today=date(2026, 12, 1))

    expected = [{k: v for k, v in (("team", t), ("role", r)) if v} for t, r in groups]
    assert [answer.segments for answer in parsed.answers] == expected
