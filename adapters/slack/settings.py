"""Slack's settings: every ``SLACK_*`` variable, plus ``TOKEN_ENCRYPTION_KEY``.

Read from the environment and `.env` like the core settings (documented in
`.env.example`). The plugin reads them when it is asked whether Slack is configured and
again when it serves; tests construct them directly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from adapters.slack.deps import SLACK_MESSAGES_PER_SECOND
from adapters.slack.labels import DEFAULT_CACHE_SECONDS, SlackLabelRules
from bot.domain.labels import LabelRuleError, is_label_name, parse_field_labels
from bot.runtime.context import CommaList, settings_config


class SlackSettings(BaseSettings):
    """One Slack app: a single workspace by bot token, or many by the OAuth install flow."""

    model_config = settings_config(env_prefix="SLACK_")

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    api_base_url: str | None = None
    admin_user_ids: CommaList = Field(default_factory=list)
    messages_per_second: float = Field(default=SLACK_MESSAGES_PER_SECOND, gt=0, le=1_000)
    """Start slots per second for sends to one workspace, shared by every replica on one
    PostgreSQL database; set it just under the workspace's limit."""
    # Distribution mode (many workspaces through Slack's OAuth install flow).
    client_id: str | None = None
    client_secret: SecretStr | None = None
    scopes: CommaList = Field(default_factory=list)
    redirect_uri: str | None = None
    uninstall_data: Literal["keep", "delete"] = "keep"
    team_id: str | None = None
    token_encryption_key: SecretStr | None = Field(
        default=None, validation_alias="TOKEN_ENCRYPTION_KEY"
    )
    """Named without the prefix, as it has always been documented."""
    # Labels from the workspace's own groups (adapters.slack.labels).
    usergroup_label: str | None = None
    usergroup_label_groups: CommaList = Field(default_factory=list)
    profile_labels: str = ""
    labels_cache_seconds: int = Field(default=DEFAULT_CACHE_SECONDS, ge=30, le=86_400)

    @field_validator("usergroup_label")
    @classmethod
    def _label_name(cls, value: str | None) -> str | None:
        if value is not None and not is_label_name(value):
            raise ValueError(f"{value!r} is not a label name (a-z, 0-9, _)")
        return value

    @field_validator("usergroup_label_groups")
    @classmethod
    def _handles(cls, value: list[str]) -> list[str]:
        return [handle.removeprefix("@") for handle in value]

    @field_validator("profile_labels")
    @classmethod
    def _field_labels(cls, value: str) -> str:
        try:
            parse_field_labels(value)
        except LabelRuleError as error:
            raise ValueError(str(error)) from None
        return value

    def label_rules(self) -> SlackLabelRules:
        """What becomes a person's labels in every workspace this app serves."""
        return SlackLabelRules(
            usergroup_label=self.usergroup_label,
            usergroups=tuple(self.usergroup_label_groups),
            profile_fields=parse_field_labels(self.profile_labels),
            cache_seconds=self.labels_cache_seconds,
        )

    @property
    def distribution(self) -> bool:
        """True when Slack runs for many workspaces through the OAuth install flow."""
        return self.client_id is not None and self.client_secret is not None

    @property
    def configured(self) -> bool:
        """True when there is something to connect with: a bot token or app credentials."""
        return self.bot_token is not None or self.distribution
