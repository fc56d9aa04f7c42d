"""Builders for INTERACTION_CREATE payloads (the event's ``d``) in Discord's documented shape.

Every builder returns a fresh interaction with a unique id and token. The field list follows
Discord's interaction object and discord.py's ``discord/types/interactions.py``: id,
application_id, type, data, guild_id/guild, channel_id/channel, member (in a guild) or user
(in a DM), token, version, app_permissions, locale, guild_locale, entitlements,
authorizing_integration_owners, context and attachment_size_limit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from .discord_payloads import (
    ATTACH_FILES,
    EMBED_LINKS,
    JSON,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    GuildSpec,
    MemberSpec,
    SnowflakeSource,
    UserSpec,
    dm_channel_payload,
    guild_channel_payload,
    member_payload,
    member_permissions,
    message_payload,
    user_payload,
)

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
MODAL_SUBMIT = 5

CHAT_INPUT = 1
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
BUTTON = 2
ACTION_ROW = 1
TEXT_INPUT = 4

# Interaction context types: where the interaction happened.
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# What Discord reports as the app's permissions in its DM channel.
DM_APP_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
)
# Members in built payloads joined at a fixed moment: no test depends on it.
_JOINED_AT = datetime(2025, 1, 1, tzinfo=UTC)

OptionValue = str | int | float | bool


class InteractionWorld(Protocol):
    """What the builders need to know about the double's state."""

    bot: UserSpec

    def dm_channel_id(self, user: UserSpec) -> int:
        """The id of the bot's DM channel with ``user`` (created on first use)."""
        ...

    def command_id(self, name: str, guild_id: int | None) -> tuple[int, int | None]:
        """The registered id of top-level command ``name`` and the guild it was synced to.

        Prefers the guild's own command over a global one, like Discord's routing.
        """
        ...


def _option_type(value: OptionValue) -> int:
    # bool is an int subclass, so it must be tested first.
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _value_options(options: Mapping[str, OptionValue]) -> list[JSON]:
    return [
        {"name": name, "type": _option_type(value), "value": value}
        for name, value in options.items()
    ]


def command_options(path: Sequence[str], options: Mapping[str, OptionValue]) -> list[JSON]:
    """The ``data.options`` tree for invoking ``path`` below the top-level command.

    ``path`` is ``()`` for a plain command, ``("sub",)`` for a subcommand and
    ``("group", "sub")`` for a subcommand in a group.
    """
    if len(path) > 2:
        raise ValueError(f"a command path has at most two levels below the command: {path!r}")
    leaf = _value_options(options)
    if not path:
        return leaf
    nested: list[JSON] = [{"name": path[-1], "type": SUB_COMMAND, "options": leaf}]
    if len(path) == 2:
        nested = [{"name": path[0], "type": SUB_COMMAND_GROUP, "options": nested}]
    return nested


class InteractionFactory:
    """Builds interactions that the bound double's client can answer.

    The application id, bot user, DM channels and command ids come from the double, so a
    built payload matches what the client learned at login and through ``tree.sync()``.
    """

    def __init__(
        self, *, application_id: int, snowflakes: SnowflakeSource, world: InteractionWorld
    ) -> None:
        self._application_id = application_id
        self._snowflakes = snowflakes
        self._world = world

    def slash_command(
        self,
        command: str,
        *,
        user: UserSpec,
        guild: GuildSpec | None = None,
        channel_id: int | None = None,
        options: Mapping[str, OptionValue] | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """A chat-input command, e.g. ``slash_command("nps report", options={"days": 30})``.

        ``command`` is the name as a user types it: command, then subcommand group and
        subcommand separated by spaces. With ``guild=None`` it happens in the bot's DM.
        """
        name, *path = command.split()
        command_id, command_guild_id = self._world.command_id(
            name, None if guild is None else guild.id
        )
        data: JSON = {
            "id": str(command_id),
            "name": name,
            "type": CHAT_INPUT,
            "options": command_options(path, options or {}),
        }
        if command_guild_id is not None:
            data["guild_id"] = str(command_guild_id)
        return self._interaction(
            APPLICATION_COMMAND,
            data,
            user=user,
            guild=guild,
            channel_id=channel_id,
            locale=locale,
        )

    def button_click(
        self,
        custom_id: str,
        *,
        user: UserSpec,
        guild: GuildSpec | None = None,
        channel_id: int | None = None,
        message: Mapping[str, Any] | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """A click on a button with ``custom_id`` on ``message``.

        Pass the message the client sent (e.g. ``RecordedMessage.message``) to click on it;
        without one, a bot message holding just that button is synthesised.
        """
        interaction = self._interaction(
            MESSAGE_COMPONENT,
            {"custom_id": custom_id, "component_type": BUTTON},
            user=user,
            guild=guild,
            channel_id=channel_id,
            locale=locale,
        )
        interaction["message"] = (
            dict(message)
            if message is not None
            else self._bot_message_with_button(interaction, custom_id)
        )
        return interaction

    def modal_submit(
        self,
        custom_id: str,
        *,
        values: Mapping[str, str],
        user: UserSpec,
        guild: GuildSpec | None = None,
        channel_id: int | None = None,
        message: Mapping[str, Any] | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """A submitted modal: ``values`` maps each text input's custom id to its text."""
        rows = [
            {
                "type": ACTION_ROW,
                "components": [{"type": TEXT_INPUT, "custom_id": input_id, "value": text}],
            }
            for input_id, text in values.items()
        ]
        interaction = self._interaction(
            MODAL_SUBMIT,
            {"custom_id": custom_id, "components": rows},
            user=user,
            guild=guild,
            channel_id=channel_id,
            locale=locale,
        )
        if message is not None:
            interaction["message"] = dict(message)
        return interaction

    def _interaction(
        self,
        kind: int,
        data: JSON,
        *,
        user: UserSpec,
        guild: GuildSpec | None,
        channel_id: int | None,
        locale: str,
    ) -> JSON:
        interaction_id = self._snowflakes.next()
        interaction: JSON = {
            "id": str(interaction_id),
            "application_id": str(self._application_id),
            "type": kind,
            "data": data,
            "token": f"itok.{interaction_id}.{secrets.token_urlsafe(24)}",
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is None:
            dm_id = self._world.dm_channel_id(user)
            interaction |= {
                "channel_id": str(dm_id),
                "channel": dm_channel_payload(channel_id=dm_id, recipient=user),
                "user": user_payload(user),
                "context": CONTEXT_BOT_DM,
                "app_permissions": str(DM_APP_PERMISSIONS),
                # For a guild-installed app used in its DM, Discord reports owner "0".
                "authorizing_integration_owners": {"0": "0"},
            }
            return interaction
        interaction |= self._guild_fields(guild, user=user, channel_id=channel_id)
        return interaction

    def _guild_fields(self, guild: GuildSpec, *, user: UserSpec, channel_id: int | None) -> JSON:
        member = guild.member(user.id) or MemberSpec(user=user)
        channel = guild.channel(channel_id) if channel_id is not None else None
        if channel is None:
            if channel_id is not None or not guild.channels:
                raise ValueError(f"guild {guild.id} has no channel {channel_id}")
            channel = guild.channels[0]
        permissions = member_permissions(guild, member)
        member_json = member_payload(member, joined_at=_JOINED_AT)
        member_json["permissions"] = str(permissions)
        return {
            "guild_id": str(guild.id),
            "guild": {
                "id": str(guild.id),
                "locale": guild.preferred_locale,
                "features": list(guild.features),
            },
            "guild_locale": guild.preferred_locale,
            "channel_id": str(channel.id),
            "channel": {**guild_channel_payload(guild, channel), "permissions": str(permissions)},
            "member": member_json,
            "app_permissions": str(guild.bot_permissions),
            "context": CONTEXT_GUILD,
            "authorizing_integration_owners": {"0": str(guild.id)},
        }

    def _bot_message_with_button(self, interaction: Mapping[str, Any], custom_id: str) -> JSON:
        button = {"type": BUTTON, "style": 1, "label": custom_id, "custom_id": custom_id}
        return message_payload(
            message_id=self._snowflakes.next(),
            channel_id=int(interaction["channel_id"]),
            author=self._world.bot,
            body={"components": [{"type": ACTION_ROW, "components": [button]}]},
            attachments=[],
            sent_at=_JOINED_AT,
            guild_id=int(interaction["guild_id"]) if "guild_id" in interaction else None,
        )
