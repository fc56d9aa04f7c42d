"""``nps-bot survey …`` through Typer's runner on a real SQLite database."""

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
    return CliRunner()


def test_create_list_edit_and_status(runner: CliRunner) -> None:
    created = runner.invoke(
        survey_app, ["create", "--survey", "pulse", *WHERE, "--kind", "enps", "--k", "6"]
    )
    assert created.exit_code == 0, created.output
    listed = runner.invoke(survey_app, ["list"])
    assert "pulse" in listed.output and "enps" in listed.output

    edited = runner.invoke(survey_app, ["edit", "--survey", "pulse", *WHERE, "--set", "k_min=4"])
    assert edited.exit_code == 0, edited.output
    status = runner.invoke(survey_app, ["status", "--survey", "pulse", *WHERE])
    assert "0 answers" in status.output and "no wave yet" in status.output


def test_invalid_settings_and_duplicates_are_refused(runner: CliRunner) -> None:
    bad = runner.invoke(survey_app, ["create", "--survey", "x", *WHERE, "--cadence", "nope"])
    assert bad.exit_code == 1 and "invalid cadence" in bad.output
    runner.invoke(survey_app, ["create", "--survey", "x", *WHERE])
    twice = runner.invoke(survey_app, ["create", "--survey", "x", *WHERE])
    assert twice.exit_code == 1 and "exists already" in twice.output


def test_start_needs_a_platform_that_can_deliver(runner: CliRunner) -> None:
    runner.invoke(survey_app, ["create", "--survey", "pulse", *WHERE])
    started = runner.invoke(survey_app, ["start", "--survey", "pulse", "--platform", "console"])
    assert started.exit_code == 1
    assert "cannot deliver surveys from the command line" in started.output


@pytest.mark.parametrize(
    ("verb", "where"),
    [
        (("start",), "type /nps survey start NAME there"),
        (("close",), "type /nps survey close NAME there"),
        (("send", "--to", "bob"), "the console asks the one person typing"),
    ],
)
def test_a_console_survey_is_run_in_the_console_by_the_verb_the_operator_typed(
    runner: CliRunner, verb: tuple[str, ...], where: str
) -> None:
    runner.invoke(survey_app, ["create", "--survey", "pulse", "--platform", "console"])
    done = runner.invoke(
        survey_app, [verb[0], "--survey", "pulse", "--platform", "console", *verb[1:]]
    )
    assert done.exit_code == 1 and where in " ".join(done.output.split()), done.output


def test_digest_cadence_and_alert_channel_are_set_and_validated(runner: CliRunner) -> None:
    created = runner.invoke(
        survey_app,
        [
            "create",
            "--survey",
            "pulse",
            *WHERE,
            "--digest-cadence",
            "0 9 * * 1",
            "--alert-channel",
            "C0ADMINS1",
        ],
    )
    assert created.exit_code == 0, created.output
    status = runner.invoke(survey_app, ["status", "--survey", "pulse", *WHERE])
    # Channels and the audience in words, never a raw id or a stored "yes".
    assert "Alert channel: channel C0ADMINS1" in status.output
    assert "Digest channel: -" in status.output and "Audience: Everyone" in status.output
    assert "yes" not in status.output
    bad = runner.invoke(
        survey_app, ["edit", "--survey", "pulse", *WHERE, "--set", "digest_cadence=weekly"]
    )
    assert bad.exit_code == 1 and "invalid digest cadence" in bad.output
    cleared = runner.invoke(
        survey_app, ["edit", "--survey", "pulse", *WHERE, "--set", "alert_channel="]
    )
    assert cleared.exit_code == 0, cleared.output


def test_a_survey_takes_only_the_states_there_are(runner: CliRunner) -> None:
    runner.invoke(survey_app, ["create", "--survey", "pulse", *WHERE])
    paused = runner.invoke(
        survey_app, ["edit", "--survey", "pulse", *WHERE, "--set", "status=paused"]
    )
    assert paused.exit_code == 0, paused.output
    unknown = runner.invoke(
        survey_app, ["edit", "--survey", "pulse", *WHERE, "--set", "status=stopped"]
    )
    assert (
        unknown.exit_code == 1 and "status must be one of active, paused, closed" in unknown.output
    )
    status = runner.invoke(survey_app, ["status", "--survey", "pulse", *WHERE])
    assert "pulse: paused" in status.output
