"""Discord's own settings keep the variable names `.env.example` documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adapters.discord.settings import DiscordSettings
from bot.runtime.settings import ConfigurationError, load_settings

ROOT = Path(__file__).resolve().parents[3]


def test_every_variable_is_read_by_its_documented_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "secret")
    monkeypatch.setenv("DISCORD_ADMIN_ROLE_IDS", "81, 82,,")
    monkeypatch.setenv("DISCORD_MEMBERS_INTENT", "true")
    monkeypatch.setenv("DISCORD_GUILD_ID", "12")
    monkeypatch.setenv("DISCORD_APPLICATION_ID", "42")
    settings = DiscordSettings()
    assert settings.token is not None and settings.token.get_secret_value() == "secret"
    assert settings.admin_role_ids == ["81", "82"] and settings.members_intent
    assert (settings.guild_id, settings.application_id) == (12, 42) and settings.configured


def test_the_example_env_file_copied_as_is_configures_no_discord(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for field in DiscordSettings.model_fields:
        monkeypatch.delenv(f"DISCORD_{field.upper()}", raising=False)
    settings = DiscordSettings()
    assert not settings.configured and not settings.members_intent


def test_every_setting_is_documented_in_the_example() -> None:
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for field in DiscordSettings.model_fields:
        assert f"\nDISCORD_{field.upper()}=" in documented, field


def test_an_invalid_variable_is_named_with_its_prefix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_GUILD_ID", "the big one")
    with pytest.raises(ConfigurationError, match=r"^invalid setting DISCORD_GUILD_ID: "):
        load_settings(DiscordSettings)
