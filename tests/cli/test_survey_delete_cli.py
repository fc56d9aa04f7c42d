"""``nps-bot survey delete`` asks first (unless ``--yes``) and suggests an export."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.surveys import survey_app
from tests.conftest import TEST_PEPPER

WHERE = ["--platform", "slack", "--tenant", "T0TEAM001"]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    runner = CliRunner()
    created = runner.invoke(survey_app, ["create", "--survey", "pulse", *WHERE])
    assert created.exit_code == 0, created.output
    return runner


def listed(runner: CliRunner) -> str:
    return runner.invoke(survey_app, ["list"]).output


def test_declining_the_confirmation_keeps_the_survey(runner: CliRunner) -> None:
    declined = runner.invoke(survey_app, ["delete", "--survey", "pulse", *WHERE], input="n\n")
    assert declined.exit_code == 1
    assert "nps-bot export" in declined.output and "Delete survey pulse?" in declined.output
    assert "pulse" in listed(runner)


def test_confirming_deletes_the_survey(runner: CliRunner) -> None:
    confirmed = runner.invoke(survey_app, ["delete", "--survey", "pulse", *WHERE], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "deleted survey pulse: 0 waves, 0 invitations, 0 answers" in confirmed.output
    assert "pulse" not in listed(runner)


def test_yes_skips_the_question_and_an_unknown_survey_is_an_error(runner: CliRunner) -> None:
    done = runner.invoke(survey_app, ["delete", "--survey", "pulse", *WHERE, "--yes"])
    assert done.exit_code == 0 and "Delete survey" not in done.output
    again = runner.invoke(survey_app, ["delete", "--survey", "pulse", *WHERE, "--yes"])
    assert again.exit_code == 1 and "no survey called 'pulse'" in again.output


def test_another_tenant_cannot_delete_it(runner: CliRunner) -> None:
    other = ["--platform", "slack", "--tenant", "T0OTHER01"]
    refused = runner.invoke(survey_app, ["delete", "--survey", "pulse", *other, "--yes"])
    assert refused.exit_code == 1
    assert "pulse" in listed(runner)
