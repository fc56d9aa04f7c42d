"""Run the real ``nps-bot`` command against a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.runtime.services import Services
from tests.conftest import TEST_PEPPER, SchemaTemplates
from tests.support.waiting import HANG_GUARD_SECONDS

Run = Callable[..., subprocess.CompletedProcess[str]]


def _runner(url: str, cwd: Path) -> Run:
    def run(
        *args: str, check: bool = True, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": url, "NPS_PEPPER": TEST_PEPPER, "LOG_LEVEL": "WARNING"}
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=HANG_GUARD_SECONDS,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"nps-bot {' '.join(args)} failed:\n{done.stderr}")
        return done

    return run


@pytest.fixture
async def nps_bot(tmp_path: Path, schema_templates: SchemaTemplates) -> Run:
    """``nps_bot("report", "--json")`` on a migrated, empty database."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    await schema_templates.fill(url)
    return _runner(url, tmp_path)


@pytest.fixture
def unmigrated_nps_bot(tmp_path: Path) -> Run:
    """The command on a database file that has no schema."""
    return _runner(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", tmp_path)


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "answers.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def nps_bot_on(services: Services, tmp_path: Path) -> Run:
    """The command on the migrated database of ``services`` (SQLite and PostgreSQL)."""
    return _runner(services.settings.database_url, tmp_path)
