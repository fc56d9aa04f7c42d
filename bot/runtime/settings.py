"""Runtime settings, read from the environment and `.env` (pydantic-settings).

Every field here is documented in `.env.example`. Settings are built once in the
composition root and passed down; nothing reads the environment elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.drivers import parse_drivers

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./nps.db"
MIN_PEPPER_LENGTH = 32
MIN_API_TOKEN_LENGTH = 32


DEFAULT_HEALTH_PORT = 8080

DEFAULT_CLAIM_LEASE_SECONDS = 600
"""An invitation claimed this long ago and never confirmed was left by a stopped sender:
well past the longest send (slack_sdk's rate-limit retries wait out Retry-After)."""


class Settings(BaseSettings):
    """All configuration of one nps-bot process."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    database_url: str = DEFAULT_DATABASE_URL
    nps_pepper: SecretStr | None = None

    default_locale: Literal["en", "ja"] = "en"
    reason_retention_months: int = Field(default=24, ge=1, le=240)
    survey_subject: str = Field(default="", description="What people are asked to recommend.")
    survey_kind: Literal["nps", "enps"] = "nps"
    survey_drivers: str = Field(
        default="",
        description='Driver questions of the default survey: "growth=Growth,manager=My manager".',
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base_url: str | None = None
    slack_admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Distribution mode (many workspaces through Slack's OAuth install flow).
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    slack_redirect_uri: str | None = None
    slack_uninstall_data: Literal["keep", "delete"] = "keep"
    slack_team_id: str | None = None
    token_encryption_key: SecretStr | None = None

    discord_token: SecretStr | None = None
    discord_admin_role_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)
    discord_application_id: int | None = None
    discord_members_intent: bool = False
    discord_guild_id: int | None = None

    api_token: SecretStr | None = None
    delivery_lease_seconds: int = Field(default=DEFAULT_CLAIM_LEASE_SECONDS, ge=0, le=86_400)

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=3000, ge=1, le=65535)
    health_port: int = Field(
        default=DEFAULT_HEALTH_PORT,
        ge=1,
        le=65535,
        description="Where /healthz, /metrics and the send API are served when no Slack "
        "HTTP server runs (with one, they are served on HTTP_PORT).",
    )
    shutdown_grace_seconds: float = Field(default=20.0, ge=0, le=600)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator(
        "slack_admin_user_ids", "discord_admin_role_ids", "slack_scopes", mode="before"
    )
    @classmethod
    def _split_comma_list(cls, value: object) -> object:
        # Lists arrive from the environment as "U1,U2"; accept a real list as well.
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("api_token")
    @classmethod
    def _long_api_token(cls, value: SecretStr | None) -> SecretStr | None:
        # A short bearer token can be guessed; the endpoint stays off without one.
        if value is not None and len(value.get_secret_value()) < MIN_API_TOKEN_LENGTH:
            raise ValueError(f"API_TOKEN must be at least {MIN_API_TOKEN_LENGTH} characters")
        return value

    @field_validator("survey_drivers")
    @classmethod
    def _check_drivers(cls, value: str) -> str:
        parse_drivers(value)  # raises ValueError with the reason
        return value

    @property
    def uses_default_database(self) -> bool:
        """True when the database is the embedded local SQLite file."""
        return self.database_url == DEFAULT_DATABASE_URL

    @property
    def slack_distribution(self) -> bool:
        """True when Slack runs for many workspaces through the OAuth install flow."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def slack_configured(self) -> bool:
        return self.slack_bot_token is not None or self.slack_distribution

    @property
    def discord_configured(self) -> bool:
        return self.discord_token is not None
