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


@pytest.mark.parametrize(
    ("given", "driven"),
    [
        (
            "postgresql://nps:pw@db.example:5432/nps",
            "postgresql+asyncpg://nps:pw@db.example:5432/nps",
        ),
        ("postgres://nps:pw@db.example/nps", "postgresql+asyncpg://nps:pw@db.example/nps"),
        (
            "postgres://nps@db.example/nps?sslmode=require",
            "postgresql+asyncpg://nps@db.example/nps?ssl=require",
        ),
        ("postgresql+asyncpg://nps@db.example/nps", "postgresql+asyncpg://nps@db.example/nps"),
        (
            "postgresql+asyncpg://nps@db.example/nps?sslmode=require",
            "postgresql+asyncpg://nps@db.example/nps?ssl=require",
        ),
        ("POSTGRES://nps@db.example/nps", "postgresql+asyncpg://nps@db.example/nps"),
        ("SQLite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite:////var/lib/nps/nps.db", "sqlite+aiosqlite:////var/lib/nps/nps.db"),
        ("sqlite+aiosqlite:///./nps.db", "sqlite+aiosqlite:///./nps.db"),
    ],
)
def test_common_database_url_forms_are_driven_asynchronously(given: str, driven: str) -> None:
    assert Settings(_env_file=None, database_url=given).database_url == driven


def test_a_plain_sqlite_url_of_the_default_file_is_the_default_database() -> None:
    assert Settings(_env_file=None, database_url="sqlite:///./nps.db").uses_default_database


def test_a_database_url_of_another_driver_names_the_forms_that_work(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "mysql+aiomysql://root@localhost/nps")
    with pytest.raises(ConfigurationError) as raised:
        load_settings(Settings)
    assert str(raised.value) == (
        "invalid setting DATABASE_URL: the 'mysql+aiomysql' driver is not supported; use "
        "postgresql+asyncpg://user:password@host/db or sqlite+aiosqlite:///path/to/nps.db"
    )
