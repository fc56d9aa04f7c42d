"""The core settings from the environment and .env files; platforms bring their own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.runtime.settings import (
    DEFAULT_DATABASE_URL,
    ConfigurationError,
    Settings,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_env_file_copied_as_is_configures_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "NPS_PEPPER", "API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL and settings.nps_pepper is None
    assert settings.api_token is None and settings.delivery_lease_seconds == 600


def test_every_setting_is_documented_in_the_example() -> None:
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in documented, name


def test_the_core_knows_no_platform() -> None:
    assert not [name for name in Settings.model_fields if name.startswith(("slack", "discord"))]


def test_an_invalid_variable_is_named_as_the_environment_spells_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DELIVERY_LEASE_SECONDS", "-1")
    with pytest.raises(ConfigurationError, match=r"^invalid setting DELIVERY_LEASE_SECONDS: "):
        load_settings(Settings)
