"""Settings from the environment and .env files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.runtime.settings import DEFAULT_DATABASE_URL, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_env_file_copied_as_is_configures_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "DATABASE_URL", "NPS_PEPPER"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert not settings.slack_configured and not settings.discord_configured
    assert settings.database_url == DEFAULT_DATABASE_URL and settings.nps_pepper is None


def test_lists_come_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_ADMIN_USER_IDS", "U1, U2,,")
    assert Settings(_env_file=None).slack_admin_user_ids == ["U1", "U2"]


def test_every_setting_is_documented_in_the_example() -> None:
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in documented, name
