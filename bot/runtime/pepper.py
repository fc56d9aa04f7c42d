"""The secret pepper behind respondent keys: required in production.

Without ``NPS_PEPPER`` the bot only starts on the default local SQLite file, where a
random pepper is generated once and kept beside the database (so keys stay stable
across restarts of one installation).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.runtime.settings import MIN_PEPPER_LENGTH, ConfigurationError, Settings


def pepper_file_for(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database:
        raise ConfigurationError("the default database URL names no file")
    return Path(database + ".pepper")


def resolve_pepper(settings: Settings) -> tuple[bytes, str | None]:
    """Return the pepper and, when one had to be generated or reused locally, a warning."""
    if settings.nps_pepper is not None:
        value = settings.nps_pepper.get_secret_value()
        if len(value) < MIN_PEPPER_LENGTH:
            raise ConfigurationError(
                f"NPS_PEPPER must be at least {MIN_PEPPER_LENGTH} characters "
                f"(it is {len(value)}); generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return value.encode(), None
    if not settings.uses_default_database:
        raise ConfigurationError(
            "NPS_PEPPER is required when DATABASE_URL is set; generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    path = pepper_file_for(settings.database_url)
    if path.exists():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) < MIN_PEPPER_LENGTH:
            raise ConfigurationError(f"the local pepper file {path} is damaged; restore it")
        return value.encode(), f"using the local pepper in {path} (set NPS_PEPPER in production)"
    value = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(value + "\n", encoding="utf-8")
    return value.encode(), (
        f"NPS_PEPPER is not set: generated a local pepper in {path}; keep that file with "
        "the database (losing it resets everyone's frequency cap and opt-outs)"
    )
