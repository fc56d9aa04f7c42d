"""``nps-bot people import`` fed the files a careless operator or an attacker would give
it, on SQLite and PostgreSQL: each refused in lines that say why, with the roster before
kept whole, or stored with nothing a terminal or a database would choke on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run

WHERE = ("--platform", "slack", "--tenant", "T0HOSTILE")
GOOD = "user,team\nU0HOSTILE1,eng\nU0HOSTILE2,sales\n"


@pytest.fixture
def people(nps_bot_on: Run, tmp_path: Path) -> Run:
    """The command on a database whose tenant holds a roster of two."""
    nps_bot_on("survey", "create", "--survey", "pulse", *WHERE)
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    nps_bot_on("people", "import", str(good), *WHERE)
    return nps_bot_on


def refused(run: Run, path: Path) -> str:
    done = run("people", "import", str(path), *WHERE, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "2 people in the roster" in run("people", "list", *WHERE).stdout  # kept whole
    return " ".join(done.stderr.split())  # as read, wherever the terminal wrapped it


async def test_a_quote_never_closed_is_refused_on_its_line(people: Run, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text('user,team\nU0NEW00001,"eng\nU0NEW00002,ops\nU0NEW00003,ops\n')
    err = refused(people, path)
    assert "line 2: a quote opened here is never closed" in err


async def test_control_characters_and_bidi_overrides_leave_labels_and_names(
    people: Run, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "user,te\x00am,\u202erole\n"
        "U0NEW00001,e\x00ng,\u202edev\u202c\n"
        "U0NEW00002,\x1b[31mops,lead\u2066\n",
        encoding="utf-8",
    )
    people("people", "import", str(path), *WHERE)
    listed = people("people", "list", *WHERE).stdout
    exported = people("people", "export", *WHERE).stdout
    for shown in (listed, exported):
        assert not any(ch in shown for ch in "\x00\x1b\u202e\u202c\u2066"), repr(shown)
    assert exported.splitlines()[0] == '"role","team","people"'
    assert {'"dev","eng",1', '"lead","[31mops",1'} <= set(exported.splitlines())


@pytest.mark.parametrize("content", ["", "user,team\n", "\ufeffuser,team\r\n,\r\n\r\n"])
async def test_a_file_that_names_no_one_leaves_the_roster_as_it_was(
    people: Run, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(content, encoding="utf-8")
    err = refused(people, path)
    assert "the file names no one" in err and "people clear" in err
    assert "date,score" not in err  # the answers' header is no hint for a roster


async def test_a_start_date_before_1900_is_refused_on_its_line(people: Run, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("user,hire_date\nU0NEW00001,0001-01-01\nU0NEW00002,2020-01-01\n")
    assert "line 2: date '0001-01-01' is before 1900-01-01" in refused(people, path)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("folder", "Is a directory"),
        ("missing.csv", "No such file or directory"),
        ("sheet.xlsx", "save it as CSV (UTF-8)"),
    ],
)
async def test_a_file_that_cannot_be_read_is_one_line_as_for_answers(
    people: Run, tmp_path: Path, name: str, said: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "sheet.xlsx").write_bytes(b"\xff\xfe\x00\xd8")  # no text in any encoding
    path = tmp_path / name
    err = refused(people, path)
    assert err.startswith(f"error: cannot read {path}: ") and said in err and "Errno" not in err
    assert err == " ".join(people("import", str(path), check=False).stderr.split())
