"""Discord's settings: every ``DISCORD_*`` variable.

Read from the environment and `.env` like the core settings (documented in
`.env.example`). The plugin and ``nps-bot discord …`` read them when they need them;
tests construct them directly.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from bot.runtime.context import CommaList, settings_config


class DiscordSettings(BaseSettings):
    """One Discord application's bot."""

    model_config = settings_config(env_prefix="DISCORD_")

    token: SecretStr | None = None
    admin_role_ids: CommaList = Field(default_factory=list)
    application_id: int | None = None
    members_intent: bool = False
    guild_id: int | None = None

    @property
    def configured(self) -> bool:
        return self.token is not None
