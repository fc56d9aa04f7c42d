"""Reading rosters and the bytes spreadsheets save them in (pure)."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from bot.domain.csv_rows import ProblemCode
from bot.domain.csv_text import decode_text
from bot.domain.roster_rows import parse_roster

ROSTER = "User,EMAIL,Team,Location,Hire_Date\nU1,,開発,東京,2024-04-01\n,ann@example.com,営業,,\n"


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ROSTER.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ROSTER.encode("utf-8"), "utf-8-sig"),
        (ROSTER.encode("cp932"), "cp932"),
        (ROSTER.encode("utf-16"), "utf-16"),  # with its byte order mark
        (ROSTER.encode("utf-16-le"), "utf-16-le"),  # without: the header's NULs tell
        (ROSTER.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_every_encoding_a_spreadsheet_saves_reads_the_same(data: bytes, encoding: str) -> None:
    text, _found = decode_text(data)
    assert text.lstrip("\ufeff") == ROSTER, encoding


def test_a_latin_1_roster_reads_as_latin_1() -> None:
    # Windows-1252/Latin-1 files (a spreadsheet in a Western European locale) are read,
    # not refused: the same decoder serves answers and rosters.
    text, _found = decode_text("user,team\nU1,Café\n".encode("latin-1"))
    assert text == "user,team\nU1,Café\n"


def test_headers_match_without_case_and_label_names_are_lower_case() -> None:
    parsed = parse_roster(lines(ROSTER))
    assert parsed.problems == ()
    first, second = parsed.rows
    assert (first.line, first.user, first.email) == (2, "U1", None)
    assert first.labels == {"team": "開発", "location": "東京"}
    assert first.started_on == date(2024, 4, 1)
    assert (second.line, second.user, second.email, second.labels) == (
        3,
        None,
        "ann@example.com",
        {"team": "営業"},
    )


def test_every_problem_is_listed_with_its_line_and_no_row_is_returned() -> None:
    parsed = parse_roster(
        lines(
            "user,email,team,start_date\n"
            "U1,,A,2024-04-01\n"
            ",,B,\n"  # nobody named
            "U2,,A,April 2024\n"  # not a date
            "U1,,C,\n"  # U1 again
            ",ANN@example.com,A,\n"
            ",ann@EXAMPLE.com,B,\n"  # the same email in other case
            "U3,,A\n"  # a cell short
            f"U4,,{'x' * 65},\n"  # a label too long
        )
    )
    assert parsed.rows == ()
    assert [(p.line, p.code) for p in parsed.problems] == [
        (3, ProblemCode.NO_PERSON),
        (4, ProblemCode.BAD_DATE),
        (5, ProblemCode.DUPLICATE_PERSON),
        (7, ProblemCode.DUPLICATE_PERSON),
        (8, ProblemCode.WRONG_WIDTH),
        (9, ProblemCode.VALUE_TOO_LONG),
    ]
    assert parsed.problems[2].value == "2" and parsed.problems[3].value == "6"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("team,role", ProblemCode.MISSING_PERSON_COLUMN),
        ("user,hire_date,Start_Date", ProblemCode.TWO_START_COLUMNS),
        ("user,Team,team", ProblemCode.DUPLICATE_COLUMN),
        ("user,,team", ProblemCode.BLANK_COLUMN),
    ],
)
def test_a_bad_header_is_refused_before_any_row(header: str, code: ProblemCode) -> None:
    parsed = parse_roster(lines(f"{header}\nU1,x,y\n"))
    assert parsed.rows == () and [p.code for p in parsed.problems] == [code]


def test_a_tenure_column_gives_way_to_the_band_of_a_start_date() -> None:
    parsed = parse_roster(lines("user,tenure,hire_date\nU1,old,2020/01/31\nU2,old,\n"))
    first, second = parsed.rows
    assert first.labels == {} and first.started_on == date(2020, 1, 31)
    assert second.labels == {"tenure": "old"} and second.started_on is None
