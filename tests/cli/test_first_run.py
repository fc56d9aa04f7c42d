"""A new operator's first commands: one rule for the schema, one line for each mistake.

Commands that store something create the schema (or bring it up to date); commands that
only read refuse where there is no database and leave no file behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import TEST_PEPPER, create_database, require_postgres
from tests.support.waiting import HANG_GUARD_SECONDS

UNSET = ("DATABASE_URL", "NPS_PEPPER", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN")


def nps_bot(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """The real command in ``cwd``, with nothing configured but ``env``."""
    base = {name: value for name, value in os.environ.items() if name not in UNSET}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={**base, "LOG_LEVEL": "WARNING", **(env or {})},
        cwd=cwd,
        input=stdin,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ("report",),
        ("report", "--json"),
        ("export", "--format", "csv"),
        ("survey", "list"),
        ("people", "list", "--platform", "slack", "--tenant", "T0123"),
        ("people", "export", "--platform", "slack", "--tenant", "T0123"),
        ("people", "clear", "--platform", "slack", "--tenant", "T0123"),
    ],
)
def test_reading_commands_leave_nothing_behind_in_a_fresh_folder(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    line = one_error_line(nps_bot(tmp_path, *command))
    assert "no nps-bot schema yet" in line and "nps-bot db upgrade" in line
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_import_creates_the_schema_in_a_fresh_folder(tmp_path: Path) -> None:
    (tmp_path / "answers.csv").write_text("date,score\n2026-03-01,9\n", encoding="utf-8")
    imported = nps_bot(tmp_path, "import", "answers.csv")
    assert imported.returncode == 0, imported.stderr
    assert "imported 1 answer into survey 'default'" in imported.stderr
    assert {"nps.db", "nps.db.pepper"} <= {path.name for path in tmp_path.iterdir()}
    reported = nps_bot(tmp_path, "report", "--json")
    assert reported.returncode == 0 and '"n": 1' in reported.stdout


def test_db_upgrade_says_what_it_did(tmp_path: Path) -> None:
    created = nps_bot(tmp_path, "db", "upgrade")
    assert created.returncode == 0 and "created the database schema" in created.stderr
    again = nps_bot(tmp_path, "db", "upgrade")
    assert again.returncode == 0 and again.stderr.strip().endswith("database is up to date")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root@localhost/nps",
        "postgresql+psycopg2://nps@localhost/nps",
        "not a url",
        "sqlite+pysqlite:///nps.db",
    ],
)
def test_a_database_url_we_do_not_drive_is_one_line_naming_the_forms_that_work(
    tmp_path: Path, url: str
) -> None:
    line = one_error_line(
        nps_bot(tmp_path, "db", "upgrade", env={"DATABASE_URL": url, "NPS_PEPPER": TEST_PEPPER})
    )
    assert line.startswith("error: invalid setting DATABASE_URL: ")
    assert "postgresql+asyncpg://" in line and "sqlite+aiosqlite:///" in line
    assert list(tmp_path.iterdir()) == []


def test_a_plain_sqlite_url_is_driven_by_aiosqlite(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "sqlite:///plain.db", "NPS_PEPPER": TEST_PEPPER}
    done = nps_bot(tmp_path, "db", "upgrade", env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plain.db").exists()


@pytest.mark.parametrize(
    "command", [("db", "upgrade"), ("report",), ("console", "--user", "aiko"), ("run",)]
)
def test_a_missing_sqlite_folder_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nps.db'}"
    line = one_error_line(
        nps_bot(tmp_path, *command, env={"DATABASE_URL": url, "NPS_PEPPER": TEST_PEPPER})
    )
    assert f"the folder {tmp_path / 'missing'} of the SQLite database does not exist" in line
    assert not (tmp_path / "missing").exists()


async def test_a_hosted_postgresql_url_with_libpq_parameters_is_driven(
    tmp_path: Path, postgres_admin_url: str | None
) -> None:
    created = make_url(await create_database(require_postgres(postgres_admin_url)))
    hosted = created.set(drivername="postgres", query={"sslmode": "disable"})
    env = {"DATABASE_URL": hosted.render_as_string(hide_password=False), "NPS_PEPPER": TEST_PEPPER}
    done = nps_bot(tmp_path, "db", "upgrade", env=env)
    assert done.returncode == 0 and "created the database schema" in done.stderr, done.stderr
    again = created.set(drivername="postgresql+asyncpg", query={"sslmode": "disable"})
    env["DATABASE_URL"] = again.render_as_string(hide_password=False)
    assert nps_bot(tmp_path, "survey", "list", env=env).returncode == 0


@pytest.mark.parametrize("parameter", ["connect_timeout=10", "application_name=nps"])
def test_a_postgresql_url_parameter_asyncpg_cannot_take_is_one_line(
    tmp_path: Path, parameter: str
) -> None:
    url = f"postgresql://nps@127.0.0.1:1/nps?sslmode=require&{parameter}"
    line = one_error_line(
        nps_bot(tmp_path, "survey", "list", env={"DATABASE_URL": url, "NPS_PEPPER": TEST_PEPPER})
    )
    name = parameter.partition("=")[0]
    assert line.startswith(f"error: invalid setting DATABASE_URL: the URL parameter '{name}'")
