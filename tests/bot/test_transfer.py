"""CSV import parsing (all or nothing, every problem with its line) and export rules."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.csv_rows import ProblemCode, parse_answers


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_valid_file_yields_answers_with_labels() -> None:
    parsed = parse_answers(
        lines(
            "date,score,reason,survey,team,category\n"
            "2026-03-01,9,great team,eng,A,promoter\n"
            "2026-03-02,3,,,B,\n"
            "\n"
            "2026-03-03,10,とても良い,eng,,\n"
        )
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
        lines(
            "date,score,reason,'+where\n"
            '2026-03-01,3,"\'=HYPERLINK(""http://x"",""y"")",\'@HQ\n'
            "2026-03-01,9,''=typed with a quote,'-1\n"
            "2026-03-01,9,'just a quote,HQ\n"
        )
    )
    assert parsed.problems == ()
    assert [(a.reason, a.segments) for a in parsed.answers] == [
        ('=HYPERLINK("http://x","y")', {"+where": "@HQ"}),
        ("'=typed with a quote", {"+where": "-1"}),
        ("'just a quote", {"+where": "HQ"}),
    ]


def test_every_problem_is_listed_with_its_line_and_nothing_is_returned() -> None:
    parsed = parse_answers(
        lines(
            "date,score,team\n"
            "2026-03-01,9,A\n"
            "2026-13-01,9,A\n"
            "2026-03-01,11,A\n"
            "2026-03-01,seven,A\n"
            "2026-03-01,9\n"
            "yesterday,-1,B\n"
        )
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
    parsed = parse_answers(lines("when,team,team,\n2026-03-01,A,B,C\n"))
    codes = {(p.code, p.column) for p in parsed.problems}
    assert (ProblemCode.MISSING_COLUMN, "date") in codes
    assert (ProblemCode.MISSING_COLUMN, "score") in codes
    assert (ProblemCode.DUPLICATE_COLUMN, "team") in codes
    assert (ProblemCode.BLANK_COLUMN, "") in codes
    assert parse_answers([]).problems[0].code is ProblemCode.EMPTY_FILE


def test_reason_over_the_limit_is_a_problem() -> None:
    parsed = parse_answers(lines(f"date,score,reason\n2026-03-01,2,{'x' * 2001}\n"))
    assert [(p.line, p.code) for p in parsed.problems] == [(2, ProblemCode.REASON_TOO_LONG)]


@given(st.lists(st.integers(min_value=-3, max_value=14), min_size=1, max_size=30))
def test_all_or_nothing(scores: list[int]) -> None:
    text = "date,score\n" + "".join(f"2026-03-01,{s}\n" for s in scores)
    parsed = parse_answers(lines(text))
    bad = [i + 2 for i, s in enumerate(scores) if not 0 <= s <= 10]
    assert [p.line for p in parsed.problems] == bad
    assert len(parsed.answers) == (0 if bad else len(scores))
