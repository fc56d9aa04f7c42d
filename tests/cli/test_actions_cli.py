"""``nps-bot actions list|add|update|preview`` through Typer's runner on a real SQLite
file, and the actions in ``nps-bot report --json``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from tests.conftest import TEST_PEPPER

TENANT = "T0TEAM001"
WHERE = ["--platform", "slack", "--tenant", TENANT]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    return url


def test_an_operator_adds_lists_updates_and_previews_actions(database: str) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["survey", "create", "--survey", "pulse", *WHERE])
    assert created.exit_code == 0, created.output
    due = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    survey = ["--survey", "pulse", *WHERE]

    given = ["--title", "Onboarding buddies", "--owner", "U0ADMIN01", "--due", due]
    added = runner.invoke(app, ["actions", "add", *survey, *given, "--theme", "onboarding"])
    assert added.exit_code == 0, added.output
    assert "Action #1 added to pulse: Onboarding buddies" in added.output

    refused = runner.invoke(
        app, ["actions", "add", *survey, "--due", "2020-01-01", "--theme", "a", "--driver", "b"]
    )
    assert refused.exit_code == 1
    for reason in ("title is required", "owner is required", "the due date has passed"):
        assert reason in refused.output
    assert "a theme or a driver, not both" in refused.output

    updated = runner.invoke(
        app, ["actions", "update", *survey, "--number", "1", "--status", "in_progress"]
    )
    assert updated.exit_code == 0, updated.output
    assert "Action #1 of pulse saved; it is in progress." in updated.output
    bad_move = runner.invoke(
        app, ["actions", "update", *survey, "--number", "1", "--status", "nonsense"]
    )
    assert bad_move.exit_code == 1 and "unknown status" in bad_move.output

    listed = runner.invoke(app, ["actions", "list", *survey])
    assert listed.exit_code == 0, listed.output
    assert "Onboarding buddies" in listed.output and "in progress" in listed.output

    preview = runner.invoke(app, ["actions", "preview", *survey])
    assert preview.exit_code == 0, preview.output
    assert "We did: Onboarding buddies." in preview.output
    written = runner.invoke(app, ["actions", "preview", *survey, "--set-text", "Thank you."])
    assert "Thank you." in written.output and "Written by an admin" in written.output

    report = runner.invoke(app, ["report", "--json", "--survey", "pulse"])
    assert report.exit_code == 0, report.output
    [line] = [json.loads(text) for text in report.output.splitlines() if text.startswith("{")]
    [action] = line["actions"]
    assert action == {
        "number": 1,
        "title": "Onboarding buddies",
        "owner": "U0ADMIN01",
        "due": due,
        "status": "in_progress",
        "overdue": False,
        "theme": "onboarding",
        "driver": None,
        "tracking": None,
        "tracking_withheld": "waves",
    }
