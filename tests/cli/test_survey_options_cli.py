"""``nps-bot survey …`` options as an operator types them: platforms that exist, a
tenant needed only when it is not clear, mistakes named with what would work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from tests.conftest import TEST_PEPPER


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    return CliRunner()


def survey(runner: CliRunner, *args: str) -> tuple[int, str]:
    done = runner.invoke(app, ["survey", *args])
    return done.exit_code, done.output


def test_a_platform_without_an_adapter_is_refused_naming_those_installed(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, output = survey(runner, "create", "--survey", "x", "--platform", "teams", "--tenant", "T")
    assert code == 2
    assert "no adapter called 'teams' is installed; use console, discord, slack" in output
    assert not (tmp_path / "nps.db").exists()
    code, output = survey(runner, "status", "--survey", "x", "--platform", "teams")
    assert code == 2 and "no adapter called 'teams'" in output


def test_console_surveys_need_no_tenant_and_are_started_in_the_console(
    runner: CliRunner,
) -> None:
    assert survey(runner, "create", "--survey", "pulse", "--platform", "console")[0] == 0
    code, output = survey(runner, "list")
    assert code == 0 and "console" in output and "local" in output and "pulse" in output
    assert survey(runner, "status", "--survey", "pulse", "--platform", "console")[0] == 0
    for verb in ("start", "close"):
        code, output = survey(runner, verb, "--survey", "pulse", "--platform", "console")
        assert code == 1
        assert f"run `nps-bot console --admin` and type /nps survey {verb} NAME" in output
    code, output = survey(runner, "send", "--survey", "pulse", "--platform", "console", "--to", "x")
    assert code == 1 and "cannot deliver surveys from the command line" in output


def test_the_tenant_is_needed_only_when_it_is_not_clear(runner: CliRunner) -> None:
    code, output = survey(runner, "create", "--survey", "pulse", "--platform", "slack")
    assert code == 1 and "name the slack workspace or guild with --tenant" in output
    assert "none is known yet" in output
    where = ["--platform", "slack", "--tenant", "T0TEAM001"]
    assert survey(runner, "create", "--survey", "pulse", *where)[0] == 0
    only = ["--survey", "pulse", "--platform", "slack"]
    assert survey(runner, "edit", *only, "--set", "k_min=7")[0] == 0
    code, output = survey(runner, "status", *only)
    assert code == 0 and "pulse: active" in output
    other = ["--platform", "slack", "--tenant", "T0OTHER01"]
    assert survey(runner, "create", "--survey", "pulse", *other)[0] == 0
    code, output = survey(runner, "status", *only)
    assert code == 1 and "it knows T0OTHER01, T0TEAM001" in output
    assert survey(runner, "delete", *only, "--tenant", "T0OTHER01", "--yes")[0] == 0


def test_an_unknown_setting_lists_the_settings_there_are(runner: CliRunner) -> None:
    where = ["--survey", "pulse", "--platform", "console"]
    survey(runner, "create", *where)
    code, output = survey(runner, "edit", *where, "--set", "foo=3")
    assert code == 1 and "cannot change foo" in output
    assert "the settings are alert_channel, audience, cadence" in output and "k_min" in output
    code, output = survey(runner, "edit", *where, "--set", "k_min=seven")
    assert code == 2 and "--set k_min takes a whole number, got 'seven'" in output


@pytest.mark.parametrize("command", [("report",), ("export", "--format", "csv")])
def test_an_unknown_survey_is_an_error(runner: CliRunner, command: tuple[str, ...]) -> None:
    survey(runner, "create", "--survey", "pulse", "--platform", "console")
    done = runner.invoke(app, [*command, "--survey", "nope"])
    assert done.exit_code == 1
    assert "no survey called 'nope' (nps-bot survey list shows them)" in done.output
    assert runner.invoke(app, [*command, "--survey", "pulse"]).exit_code == 0


@pytest.mark.parametrize(
    "command",
    [
        ("report",),
        ("export",),
        ("console",),
        ("import",),
        ("survey", "delete"),
        ("survey", "create"),
        ("db", "upgrade"),
        ("people", "import"),
        ("replies", "send"),
        ("actions", "add"),
        ("discord",),
        ("discord", "sync"),
    ],
)
def test_help_labels_no_flag_with_a_type(runner: CliRunner, command: tuple[str, ...]) -> None:
    done = runner.invoke(app, [*command, "--help"])
    assert done.exit_code == 0 and "--help" in done.output
    assert "<bool>" not in done.output and "BOOLEAN" not in done.output
    # Shell completion is not offered by the command itself, so no group offers it.
    assert "completion" not in done.output
