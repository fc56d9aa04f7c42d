"""The CLI's ways of seeing a workspace first store it with the configured DEFAULT_LOCALE."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from tests.conftest import TEST_PEPPER


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "nps.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    monkeypatch.setenv("DEFAULT_LOCALE", "ja")
    return path


def stored_locales(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT external_id, locale FROM tenant"))


def test_survey_create_stores_a_new_workspace_with_the_configured_locale(
    database: Path,
) -> None:
    where = ["--platform", "slack", "--tenant", "T0TEAM001"]
    created = CliRunner().invoke(
        app, ["survey", "create", "--survey", "pulse", *where, "--locale", "en"]
    )
    assert created.exit_code == 0, created.output
    assert stored_locales(database) == {"T0TEAM001": "ja"}


def test_import_stores_the_console_workspace_with_the_configured_locale(
    database: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text("date,score\n2026-03-01,9\n", encoding="utf-8")
    upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    imported = CliRunner().invoke(app, ["import", str(answers)])
    assert imported.exit_code == 0, imported.output
    assert stored_locales(database) == {"local": "ja"}
