"""The pepper is required in production and generated once for the local default."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.runtime.pepper import resolve_pepper
from bot.runtime.settings import DEFAULT_DATABASE_URL, ConfigurationError, Settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


def test_missing_pepper_with_a_configured_database_stops_start_up() -> None:
    with pytest.raises(ConfigurationError, match="NPS_PEPPER is required"):
        resolve_pepper(make(database_url="postgresql+asyncpg://db/nps", nps_pepper=None))


def test_short_pepper_stops_start_up() -> None:
    with pytest.raises(ConfigurationError, match="at least 32"):
        resolve_pepper(make(nps_pepper="short"))


def test_default_database_gets_one_generated_pepper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = make(database_url=DEFAULT_DATABASE_URL, nps_pepper=None)
    first, warning = resolve_pepper(settings)
    assert warning is not None and "generated" in warning
    pepper_file = tmp_path / "nps.db.pepper"
    assert stat.S_IMODE(os.stat(pepper_file).st_mode) == 0o600
    second, again = resolve_pepper(settings)
    assert first == second and again is not None and "generated" not in again


def test_given_pepper_is_used_as_is() -> None:
    value = "z" * 32
    assert resolve_pepper(make(nps_pepper=value)) == (value.encode(), None)
