"""Runtime settings, read from the environment and `.env` (pydantic-settings).

:class:`Settings` holds what the core needs; each platform adapter declares its own
settings class (``adapters/<platform>/settings.py``) with its own prefix, built on
:func:`settings_config` and :data:`CommaList` so every class reads the environment and
`.env` the same way. Every field is documented in `.env.example`. Settings are built
once per command and passed down; nothing reads the environment elsewhere.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.actions import DEFAULT_LEAD_DAYS
from bot.domain.drivers import hidden_label, parse_drivers
from bot.domain.leases import DEFAULT_SEND_TIMEOUT_SECONDS
from storage.pool_wait import DEFAULT_POOL_WAIT_SECONDS
from storage.urls import async_url

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./nps.db"
MIN_PEPPER_LENGTH = 32
MIN_API_TOKEN_LENGTH = 32


DEFAULT_HEALTH_PORT = 8080

DEFAULT_CLAIM_LEASE_SECONDS = 600
"""An invitation claimed this long ago and never confirmed was left by a stopped sender:
well past the longest send (slack_sdk's rate-limit retries wait out Retry-After)."""

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


class ConfigurationError(RuntimeError):
    """Settings that cannot work; the message says what to change."""


def settings_config(*, env_prefix: str = "") -> SettingsConfigDict:
    """How every settings class reads its values: the environment, then `.env`; names
    case-insensitive; empty values count as unset; unknown names are someone else's."""
    return SettingsConfigDict(
        env_prefix=env_prefix,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )


def _split_commas(value: object) -> object:
    # Lists arrive from the environment as "U1,U2"; accept a real list as well.
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


CommaList = Annotated[list[str], NoDecode, BeforeValidator(_split_commas)]
"""A list setting written ``"U1, U2"`` (blank items dropped)."""


def load_settings(kind: type[SettingsT]) -> SettingsT:
    """``kind`` read from the environment and `.env`.

    Raises ``ConfigurationError`` naming the first invalid variable as it is spelled in
    the environment (prefix included).
    """
    try:
        return kind()
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigurationError(
            f"invalid setting {_variable(kind, first['loc'])}: {message}"
        ) from None


def _variable(kind: type[BaseSettings], loc: tuple[int | str, ...]) -> str:
    name = ".".join(str(part) for part in loc)
    field = kind.model_fields.get(str(loc[0])) if loc else None
    if field is not None and field.validation_alias is None:
        name = str(kind.model_config.get("env_prefix", "")) + name
    return name.upper()


class Settings(BaseSettings):
    """The core configuration of one nps-bot process (platforms bring their own)."""

    model_config = settings_config()

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

    api_token: SecretStr | None = None
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, GET /metrics answers only requests with this bearer token.",
    )
    send_timeout_seconds: int = Field(
        default=DEFAULT_SEND_TIMEOUT_SECONDS,
        ge=1,
        le=3_600,
        description="One message send, its SDK's retries included, is given up after this.",
    )
    database_pool_wait_seconds: float = Field(
        default=DEFAULT_POOL_WAIT_SECONDS,
        gt=0,
        le=3_600,
        description="How long a request waits for a free database connection before the "
        "person is asked to try again.",
    )
    delivery_lease_seconds: int = Field(default=DEFAULT_CLAIM_LEASE_SECONDS, ge=0, le=86_400)
    action_reminder_days: int = Field(
        default=DEFAULT_LEAD_DAYS,
        ge=0,
        le=60,
        description="Days before its due date an action's owner is reminded (once).",
    )
    scheduler_tick_seconds: int = Field(
        default=60,
        ge=1,
        le=3_600,
        description="How often due invitations are delivered, reminders sent and waves closed.",
    )

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

    @field_validator("api_token", "metrics_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # A short bearer token can be guessed.
        if value is not None and len(value.get_secret_value()) < MIN_API_TOKEN_LENGTH:
            name = str(info.field_name).upper()
            raise ValueError(f"{name} must be at least {MIN_API_TOKEN_LENGTH} characters")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_database_url(cls, value: str) -> str:
        # postgresql:// and sqlite:/// as providers and tutorials write them, made async.
        return async_url(value)

    @field_validator("survey_drivers")
    @classmethod
    def _check_drivers(cls, value: str) -> str:
        hidden_label(parse_drivers(value))  # raises ValueError with the reason
        return value

    @property
    def uses_default_database(self) -> bool:
        """True when the database is the embedded local SQLite file."""
        return self.database_url == DEFAULT_DATABASE_URL
