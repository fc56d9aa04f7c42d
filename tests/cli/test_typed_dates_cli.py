"""Dates an operator types or a file gives are read as ``YYYY-MM-DD`` only, on SQLite and
PostgreSQL: the compact ``20250102`` and a week date ``2025-W01-4`` (which Python's ISO
reader also takes, as a day the writer may not have meant) are refused in the one line
a bad date gets, by line for a file, and nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.runtime.services import Services
from storage.models import DirectoryEntry, Response
from storage.plan_models import ActionPlan
from tests.cli.conftest import Run

CONSOLE = ("--platform", "console")
NOT_DAYS = ["20250102", "2025-W01-4", "2025W014", "2025-1-2", "+2025-01-02"]


async def rows_of(services: Services, table: type[object]) -> int:
    async with services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("typed", NOT_DAYS)
async def test_an_answer_dated_other_than_yyyy_mm_dd_is_refused_on_its_line(
    nps_bot_on: Run, services: Services, tmp_path: Path, typed: str
) -> None:
    answers = write(tmp_path, f"date,score\n2025-01-02,9\n{typed},7\n")
    done = nps_bot_on("import", str(answers), *CONSOLE, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"line 3: date {typed!r} is not an ISO date (YYYY-MM-DD)",
        f"error: 1 problem in {answers}: nothing was imported",
    ]
    assert await rows_of(services, Response) == 0


async def test_an_answer_dated_in_full_width_digits_is_still_read(
    nps_bot_on: Run, services: Services, tmp_path: Path
) -> None:
    answers = write(tmp_path, "date,score\n２０２５－０１－０２,9\n")
    assert "imported 1 answer" in nps_bot_on("import", str(answers), *CONSOLE).stderr
    assert await rows_of(services, Response) == 1


@pytest.mark.parametrize("typed", ["20200102", "2020/W01/4"])
async def test_a_start_date_other_than_yyyy_mm_dd_or_slashes_is_refused_on_its_line(
    nps_bot_on: Run, services: Services, tmp_path: Path, typed: str
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *CONSOLE)
    roster = write(
        tmp_path, f"user,team,start_date\nU0ONE0001,ops,2020/01/02\nU0TWO0002,ops,{typed}\n"
    )
    done = nps_bot_on("people", "import", str(roster), *CONSOLE, "--tenant", "local", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"line 3: date {typed!r} is not an ISO date (YYYY-MM-DD)" in done.stderr
    assert await rows_of(services, DirectoryEntry) == 0


@pytest.mark.parametrize("shape", ["{:%Y%m%d}", "{:%G-W%V-%u}"])
async def test_a_due_date_other_than_yyyy_mm_dd_is_refused_in_one_line(
    nps_bot_on: Run, services: Services, shape: str
) -> None:
    where = ("--survey", "pulse", *CONSOLE)
    nps_bot_on("survey", "create", *where)
    due = shape.format(datetime.now(UTC).date() + timedelta(days=10))
    given = ("--title", "Buddies", "--owner", "U0ADMIN01")
    done = nps_bot_on("actions", "add", *where, *given, "--due", due, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == f"error: {due!r} is not a date (YYYY-MM-DD)"
    assert await rows_of(services, ActionPlan) == 0
    nps_bot_on("actions", "add", *where, *given, "--due", f"{datetime.now(UTC).date():%Y-%m-%d}")
    moved = nps_bot_on("actions", "update", *where, "--number", "1", "--due", due, check=False)
    assert moved.returncode == 1 and moved.stderr.strip() == done.stderr.strip()
    async with services.database.transaction() as session:
        assert await session.scalar(select(ActionPlan.due_on)) == datetime.now(UTC).date()
