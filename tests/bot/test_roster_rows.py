"""Reading rosters and the bytes spreadsheets save them in (pure)."""

from __future__ import annotations

import codecs
import io
from datetime import date, timedelta

import pytest

from bot.domain.csv_rows import ProblemCode
from bot.domain.csv_text import decode_text
from bot.domain.roster_rows import parse_roster

TODAY = date(2026, 3, 10)
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
    parsed = parse_roster(lines(ROSTER), today=TODAY)
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
        today=TODAY,
        lines=lines(
            "user,email,team,start_date\n"
            "U1,,A,2024-04-01\n"
            ",,B,\n"  # nobody named
            "U2,,A,April 2024\n"  # not a date
            "U1,,C,\n"  # U1 again
            ",ANN@example.com,A,\n"
            ",ann@EXAMPLE.com,B,\n"  # the same email in other case
            "U3,,A\n"  # a cell short
            f"U4,,{'x' * 65},\n"  # a label too long
            "@ann,,A,\n"  # a handle, not a user id
            "U5,,A,2026-03-12\n"  # starts after tomorrow
        ),
    )
    assert parsed.rows == ()
    assert [(p.line, p.code) for p in parsed.problems] == [
        (3, ProblemCode.NO_PERSON),
        (4, ProblemCode.BAD_DATE),
        (5, ProblemCode.DUPLICATE_PERSON),
        (7, ProblemCode.DUPLICATE_PERSON),
        (8, ProblemCode.WRONG_WIDTH),
        (9, ProblemCode.VALUE_TOO_LONG),
        (10, ProblemCode.BAD_USER),
        (11, ProblemCode.FUTURE_DATE),
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
    parsed = parse_roster(lines(f"{header}\nU1,x,y\n"), today=TODAY)
    assert parsed.rows == () and [p.code for p in parsed.problems] == [code]


def test_a_tenure_column_gives_way_to_the_band_of_a_start_date() -> None:
    parsed = parse_roster(lines("user,tenure,hire_date\nU1,old,2020/01/31\nU2,old,\n"), today=TODAY)
    first, second = parsed.rows
    assert first.labels == {} and first.started_on == date(2020, 1, 31)
    assert second.labels == {"tenure": "old"} and second.started_on is None


@pytest.mark.parametrize(
    "user",
    [
        "@ann",
        "<@U0ANN0001>",
        "ann lee",
        "U0ANN\u200b0001",
        "Ann Lee (Sales)",
        "u-1",
        "ｕ１",
        "x" * 65,
    ],
)
def test_a_user_cell_that_is_no_platform_user_id_is_a_problem_of_its_line(user: str) -> None:
    parsed = parse_roster(lines(f'user,team\nU0BEN0001,A\n"{user}",B\n'), today=TODAY)
    assert parsed.rows == ()
    assert [(p.line, p.code, p.value) for p in parsed.problems] == [(3, ProblemCode.BAD_USER, user)]


@pytest.mark.parametrize("user", ["U0ANN0001", "W0ANN0001", "123456789012345678", "ivy"])
def test_slack_and_discord_user_ids_are_taken(user: str) -> None:
    parsed = parse_roster(lines(f"user,team\n{user},A\n"), today=TODAY)
    assert parsed.problems == () and [row.user for row in parsed.rows] == [user]


@pytest.mark.parametrize(
    ("started", "refused"),
    [
        (TODAY - timedelta(days=3650), False),
        (TODAY, False),
        (TODAY + timedelta(days=1), False),  # already that day east of here
        (TODAY + timedelta(days=2), True),
        (date(2062, 3, 1), True),  # 2026 typed backwards
    ],
)
def test_a_start_date_after_tomorrow_is_a_problem(started: date, refused: bool) -> None:
    for column in ("hire_date", "start_date"):
        parsed = parse_roster(lines(f"user,{column}\nU1,{started}\n"), today=TODAY)
        expected = [(2, ProblemCode.FUTURE_DATE, column)] if refused else []
        assert [(p.line, p.code, p.column) for p in parsed.problems] == expected
        assert len(parsed.rows) == (0 if refused else 1)


def test_a_quote_never_closed_is_a_problem_of_its_line_not_one_long_label() -> None:
    text = 'user,team\nU1,"eng\nU2,sales\n'
    parsed = parse_roster(io.StringIO(text, newline=""), today=TODAY)
    assert parsed.rows == ()
    assert [(p.line, p.code) for p in parsed.problems] == [(2, ProblemCode.UNCLOSED_QUOTE)]


def test_control_characters_leave_label_names_and_values() -> None:
    parsed = parse_roster(
        lines("user,te\x00am,\u202erole\nU1,e\x00ng\x1b,\u202edev\u202c\n"), today=TODAY
    )
    assert parsed.problems == ()
    (row,) = parsed.rows
    assert row.labels == {"team": "eng", "role": "dev"}


@pytest.mark.parametrize("text", ["", "user,team\n", "user,team\n,\n\n"])
def test_a_file_that_names_no_one_is_a_problem_not_an_empty_roster(text: str) -> None:
    parsed = parse_roster(lines(text), today=TODAY)
    assert parsed.rows == ()
    assert [problem.code for problem in parsed.problems] == [ProblemCode.NO_ONE]


@pytest.mark.parametrize("column", ["hire_date", "start_date"])
def test_a_start_date_before_1900_is_a_problem(column: str) -> None:
    parsed = parse_roster(lines(f"user,{column}\nU1,0001-01-01\nU2,1900/01/01\n"), today=TODAY)
    assert [(p.line, p.code, p.column) for p in parsed.problems] == [
        (2, ProblemCode.PAST_DATE, column)
    ]
