"""Slack's own settings keep the variable names `.env.example` documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adapters.slack.settings import SlackSettings
from bot.runtime.settings import ConfigurationError, load_settings

ROOT = Path(__file__).resolve().parents[3]


def variable(field: str) -> str:
    alias = SlackSettings.model_fields[field].validation_alias
    return str(alias) if alias is not None else f"SLACK_{field.upper()}"


def test_every_variable_is_read_by_its_documented_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TOKEN_ENCRYPTION_KEY"):
        monkeypatch.setenv(name, f"value of {name}")
    monkeypatch.setenv("SLACK_TEAM_ID", "T0NPS0001")
    monkeypatch.setenv("SLACK_TOKEN_ENCRYPTION_KEY", "not this one")
    settings = SlackSettings()
    assert settings.bot_token is not None and settings.signing_secret is not None
    assert settings.bot_token.get_secret_value() == "value of SLACK_BOT_TOKEN"
    assert settings.token_encryption_key is not None
    assert settings.token_encryption_key.get_secret_value() == "value of TOKEN_ENCRYPTION_KEY"
    assert settings.team_id == "T0NPS0001" and settings.configured


def test_lists_come_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_ADMIN_USER_IDS", "U1, U2,,")
    assert SlackSettings(_env_file=None).admin_user_ids == ["U1", "U2"]


def test_the_example_env_file_copied_as_is_configures_no_slack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for field in SlackSettings.model_fields:
        monkeypatch.delenv(variable(field), raising=False)
    settings = SlackSettings()
    assert not settings.configured and settings.uninstall_data == "keep"


def test_every_setting_is_documented_in_the_example() -> None:
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for field in SlackSettings.model_fields:
        assert f"\n{variable(field)}=" in documented, field


def test_an_invalid_variable_is_named_with_its_prefix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_UNINSTALL_DATA", "shred")
    with pytest.raises(ConfigurationError, match=r"^invalid setting SLACK_UNINSTALL_DATA: "):
        load_settings(SlackSettings)


def test_label_settings_become_the_label_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_USERGROUP_LABEL", "team")
    monkeypatch.setenv("SLACK_USERGROUP_LABEL_GROUPS", "@sales, eng")
    monkeypatch.setenv("SLACK_PROFILE_LABELS", "Department:team, Office City:location")
    rules = SlackSettings(_env_file=None).label_rules()
    assert rules.usergroup_label == "team" and rules.usergroups == ("sales", "eng")
    assert rules.profile_fields == {"Department": "team", "Office City": "location"}
    assert rules.cache_seconds == 900 and rules.any
    unset = SlackSettings(_env_file=None, usergroup_label=None, profile_labels="")
    assert not unset.label_rules().any


@pytest.mark.parametrize(
    ("variable_name", "value"),
    [
        ("SLACK_USERGROUP_LABEL", "Team Name"),
        ("SLACK_PROFILE_LABELS", "Department"),
        ("SLACK_PROFILE_LABELS", "Department:team,Office:team"),
        ("SLACK_PROFILE_LABELS", "Department:Team"),
        ("SLACK_LABELS_CACHE_SECONDS", "5"),
    ],
)
def test_label_settings_that_cannot_work_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable_name: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable_name, value)
    with pytest.raises(ConfigurationError, match=rf"^invalid setting {variable_name}: "):
        load_settings(SlackSettings)
