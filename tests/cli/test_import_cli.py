"""``nps-bot import`` reads files as spreadsheets save them, and refuses in one line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Run

ROWS = [("2026-03-0" + str(day), score, reason, team) for day, score, reason, team in (
    (1, 9, "とても良い職場です", "開発"),
    (2, 3, "会議が多すぎる", "営業"),
    (3, 10, "très bien", "Zürich"),
)]  # fmt: skip


def csv_text(separator: str = ",") -> str:
    lines = [separator.join(("Date", "Score", "Reason", "team"))]
    lines += [separator.join((day, str(score), reason, team)) for day, score, reason, team in ROWS]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8"
        ("utf-16", "\t"),  # Excel's "Unicode text"
        ("utf-8", ";"),  # where the comma is the decimal mark
    ],
)
def test_files_as_excel_saves_them_import_with_their_words(
    nps_bot: Run, tmp_path: Path, encoding: str, separator: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(csv_text(separator).encode(encoding))
    done = nps_bot("import", str(path))
    assert "imported 3 answers into survey 'default'" in done.stderr
    exported = nps_bot("export", "--format", "json", "--raw").stdout.splitlines()
    assert sorted(json.loads(line)["reason"] for line in exported) == sorted(
        reason for _, _, reason, _ in ROWS
    )


@pytest.mark.parametrize(("encoding", "kept"), [("shift_jis", 2), ("latin-1", 1)])
def test_files_in_a_windows_code_page_import_with_their_words(
    nps_bot: Run, tmp_path: Path, encoding: str, kept: int
) -> None:
    rows = [
        row for row in ROWS if row[2].encode(encoding, errors="ignore").decode(encoding) == row[2]
    ]
    assert len(rows) == kept
    text = "date,score,reason,team\n" + "".join(
        f"{day},{score},{reason},{team}\n" for day, score, reason, team in rows
    )
    path = tmp_path / "answers.csv"
    path.write_bytes(text.encode(encoding))
    done = nps_bot("import", str(path))
    assert f"imported {kept} answer" in done.stderr and "codec" not in done.stderr
    exported = nps_bot("export", "--format", "json", "--raw").stdout.splitlines()
    assert sorted(json.loads(line)["reason"] for line in exported) == sorted(r[2] for r in rows)


def test_a_future_date_is_refused_with_its_line(nps_bot: Run, tmp_path: Path) -> None:
    tomorrow = date.today() + timedelta(days=2)
    path = tmp_path / "answers.csv"
    path.write_text(f"date,score\n2026-03-01,9\n{tomorrow},9\n", encoding="utf-8")
    done = nps_bot("import", str(path), check=False)
    assert done.returncode == 1
    assert f"line 3: date '{tomorrow}' is in the future" in done.stderr
    assert "nothing was imported" in done.stderr


def test_a_file_that_is_no_text_is_one_line(nps_bot: Run, tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")
    done = nps_bot("import", str(path), check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "save it as CSV (UTF-8)" in done.stderr and "codec" not in done.stderr


async def test_a_nul_in_a_label_reaches_neither_reports_nor_exports(
    nps_bot_on: Run, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    rows = "".join(f"2026-03-01,{i % 11},te\x00am A,\x00x\n" for i in range(12))
    path.write_text("date,score,reason,te\x00am\n" + rows, encoding="utf-8")
    nps_bot_on("import", str(path))
    report = json.loads(nps_bot_on("report", "--json", "--by", "team").stdout)
    assert report["n"] == 12
    exported = nps_bot_on("export", "--format", "json", "--raw").stdout.splitlines()
    records = [json.loads(line) for line in exported]
    assert len(records) == 12
    assert all("\x00" not in f"{key}{value}" for record in records for key, value in record.items())
    assert {(record["team"], record["reason"]) for record in records} == {("x", "team A")}


async def test_a_quote_never_closed_is_refused_on_its_line_and_nothing_stored(
    nps_bot_on: Run, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text('date,score,reason\n2026-03-01,9,"never closed\n2026-03-02,8,x\n')
    done = nps_bot_on("import", str(path), check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 2: a quote opened here is never closed" in done.stderr
    assert "nothing was imported" in done.stderr
    assert nps_bot_on("export", "--format", "json", "--raw").stdout == ""


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf_16_without_its_mark_imports_even_when_all_ascii(
    nps_bot: Run, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes("date,score,reason\r\n2026-03-01,9,fine\r\n".encode(encoding))
    assert "imported 1 answer" in nps_bot("import", str(path)).stderr
    (line,) = nps_bot("export", "--format", "json", "--raw").stdout.splitlines()
    assert json.loads(line)["reason"] == "fine"


async def test_a_date_before_1900_is_refused_with_its_line_and_nothing_stored(
    nps_bot_on: Run, tmp_path: Path
) -> None:
    # 0001-01-01 is what a spreadsheet may write for an empty date; PostgreSQL's driver
    # would store it as -infinity, which no report can group by month.
    path = tmp_path / "answers.csv"
    path.write_text("date,score\n2026-03-01,9\n0001-01-01,7\n1899-12-31,8\n", encoding="utf-8")
    done = nps_bot_on("import", str(path), check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "line 3: date '0001-01-01' is before 1900-01-01" in done.stderr
    assert "line 4: date '1899-12-31' is before 1900-01-01" in done.stderr
    assert nps_bot_on("export", "--format", "json", "--raw").stdout == ""
    path.write_text("date,score\n1900-01-01,7\n", encoding="utf-8")
    nps_bot_on("import", str(path))
    assert json.loads(nps_bot_on("report", "--json").stdout)["n"] == 1


async def test_a_file_with_a_problem_on_every_line_lists_the_first_hundred_and_counts_all(
    nps_bot_on: Run, tmp_path: Path
) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("date,score\n" + "".join(f"2026-03-01,{11 + n}\n" for n in range(300)))
    done = nps_bot_on("import", str(path), check=False)

    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert lines[0] == "line 2: score '11' is not a whole number from 0 to 10"
    assert lines[99] == "line 101: score '110' is not a whole number from 0 to 10"
    assert lines[100:] == [
        "… and 200 more problems, not listed",
        f"error: 300 problems in {path}: nothing was imported",
    ]
    assert nps_bot_on("export", "--format", "json", "--raw").stdout == ""

    path.write_text("date,score\n" + "".join(f"2026-03-01,{11 + n}\n" for n in range(101)))
    one_more = nps_bot_on("import", str(path), check=False).stderr.strip().splitlines()
    assert one_more[-2:] == [
        "… and 1 more problem, not listed",
        f"error: 101 problems in {path}: nothing was imported",
    ]
