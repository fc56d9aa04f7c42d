"""Discord objects for the local Discord double: what a test configures, and their wire form.

A test describes the world (users, guilds with roles, channels and members) with the frozen
``*Spec`` dataclasses below; the double turns them into JSON objects in the shape Discord's
API v10 documents (and discord.py's ``discord/types`` declare). The functions here are pure:
ids and timestamps come in as arguments.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5

EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | EMBED_LINKS | ATTACH_FILES

TEXT_CHANNEL = 0
DM_CHANNEL = 1


class SnowflakeSource:
    """Hands out increasing, unique snowflakes whose timestamp part is plausible.

    Each double owns one source, so ids never collide within a test and stay ordered
    like Discord's (later objects have larger ids).
    """

    def __init__(self, *, start: datetime = datetime(2025, 1, 1, tzinfo=UTC)) -> None:
        millis = int(start.timestamp() * 1000) - DISCORD_EPOCH_MS
        self._counter: Iterator[int] = itertools.count((millis << 22) + 1)

    def next(self) -> int:
        return next(self._counter)


@dataclass(frozen=True, kw_only=True)
class UserSpec:
    """A Discord user (or bot account)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False


@dataclass(frozen=True, kw_only=True)
class RoleSpec:
    """A guild role; ``permissions`` is Discord's permission bit set."""

    id: int
    name: str
    permissions: int = 0
    position: int = 1
    managed: bool = False


@dataclass(frozen=True, kw_only=True)
class ChannelSpec:
    """A guild text channel."""

    id: int
    name: str
    position: int = 0
    topic: str | None = None


@dataclass(frozen=True, kw_only=True)
class MemberSpec:
    """A user's membership in a guild; ``role_ids`` exclude the implicit @everyone role."""

    user: UserSpec
    role_ids: tuple[int, ...] = ()
    nick: str | None = None


@dataclass(frozen=True, kw_only=True)
class GuildSpec:
    """A guild as the gateway announces it in GUILD_CREATE.

    The @everyone role (id == guild id) is implicit; ``everyone_permissions`` sets its bits.
    The bot is added as a member by the double, holding a managed role with
    ``bot_permissions``.
    """

    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    roles: tuple[RoleSpec, ...] = ()
    channels: tuple[ChannelSpec, ...] = ()
    members: tuple[MemberSpec, ...] = ()
    everyone_permissions: int = EVERYONE_PERMISSIONS
    bot_permissions: int = BOT_PERMISSIONS
    features: tuple[str, ...] = ()

    def member(self, user_id: int) -> MemberSpec | None:
        return next((m for m in self.members if m.user.id == user_id), None)

    def channel(self, channel_id: int) -> ChannelSpec | None:
        return next((c for c in self.channels if c.id == channel_id), None)


def iso_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def user_payload(user: UserSpec) -> JSON:
    return {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": user.global_name,
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
        "flags": 0,
    }


def bot_role_id(guild: GuildSpec, bot: UserSpec) -> int:
    """The id of the managed role Discord gives a bot in a guild (derived, so it is stable)."""
    return guild.id + bot.id % 1000 + 1


def role_payloads(guild: GuildSpec, bot: UserSpec) -> list[JSON]:
    everyone = RoleSpec(
        id=guild.id, name="@everyone", permissions=guild.everyone_permissions, position=0
    )
    bot_role = RoleSpec(
        id=bot_role_id(guild, bot),
        name=bot.username,
        permissions=guild.bot_permissions,
        managed=True,
    )
    return [_role_payload(role) for role in (everyone, *guild.roles, bot_role)]


def _role_payload(role: RoleSpec) -> JSON:
    return {
        "id": str(role.id),
        "name": role.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": False,
        "flags": 0,
    }


def member_payload(member: MemberSpec, *, joined_at: datetime) -> JSON:
    return {
        "user": user_payload(member.user),
        "nick": member.nick,
        "avatar": None,
        "roles": [str(role_id) for role_id in member.role_ids],
        "joined_at": iso_timestamp(joined_at),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
    }


def guild_members(guild: GuildSpec, bot: UserSpec) -> list[MemberSpec]:
    """The guild's members including the bot, ordered by user id (Discord's list order)."""
    members = list(guild.members)
    if guild.member(bot.id) is None:
        members.append(MemberSpec(user=bot, role_ids=(bot_role_id(guild, bot),)))
    return sorted(members, key=lambda m: m.user.id)


def member_permissions(guild: GuildSpec, member: MemberSpec) -> int:
    """The member's guild-level permissions: the union of @everyone and its roles."""
    if member.user.id == guild.owner_id:
        return ADMINISTRATOR | guild.everyone_permissions
    bits = guild.everyone_permissions
    for role in guild.roles:
        if role.id in member.role_ids:
            bits |= role.permissions
    return bits


def guild_channel_payload(guild: GuildSpec, channel: ChannelSpec) -> JSON:
    return {
        "id": str(channel.id),
        "type": TEXT_CHANNEL,
        "guild_id": str(guild.id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": channel.topic,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def dm_channel_payload(*, channel_id: int, recipient: UserSpec) -> JSON:
    return {
        "id": str(channel_id),
        "type": DM_CHANNEL,
        "last_message_id": None,
        "recipients": [user_payload(recipient)],
        "flags": 0,
    }


def guild_payload(guild: GuildSpec, *, bot: UserSpec, joined_at: datetime) -> JSON:
    """The REST form of a guild (``GET /guilds/{id}``): no members or channels."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": role_payloads(guild, bot),
        "emojis": [],
        "stickers": [],
        "features": list(guild.features),
        "mfa_level": 0,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": guild.preferred_locale,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "approximate_member_count": len(guild_members(guild, bot)),
        "approximate_presence_count": 0,
        "joined_at": iso_timestamp(joined_at),
    }


def guild_create_payload(
    guild: GuildSpec, *, bot: UserSpec, joined_at: datetime, all_members: bool
) -> JSON:
    """The gateway GUILD_CREATE form: the REST form plus members, channels and state.

    Without the members intent (``all_members=False``) Discord lists only the bot itself.
    """
    members = guild_members(guild, bot)
    listed = members if all_members else [m for m in members if m.user.id == bot.id]
    return {
        **guild_payload(guild, bot=bot, joined_at=joined_at),
        "large": False,
        "unavailable": False,
        "member_count": len(members),
        "members": [member_payload(m, joined_at=joined_at) for m in listed],
        "channels": [guild_channel_payload(guild, c) for c in guild.channels],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def attachment_payload(
    *, attachment_id: int, filename: str, size: int, content_type: str | None, base_url: str
) -> JSON:
    url = f"{base_url}/attachments/{attachment_id}/{filename}"
    return {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def message_payload(
    *,
    message_id: int,
    channel_id: int,
    author: UserSpec,
    body: Mapping[str, Any],
    attachments: Sequence[JSON],
    sent_at: datetime,
    guild_id: int | None = None,
) -> JSON:
    """The message Discord returns for a create request whose JSON body was ``body``."""
    message: JSON = {
        "id": str(message_id),
        "type": 0,
        "channel_id": str(channel_id),
        "author": user_payload(author),
        "content": body.get("content") or "",
        "timestamp": iso_timestamp(sent_at),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": list(attachments),
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "pinned": False,
        "flags": int(body.get("flags") or 0),
    }
    if guild_id is not None:
        message["guild_id"] = str(guild_id)
    return message


def edited_message_payload(
    message: Mapping[str, Any], *, body: Mapping[str, Any], edited_at: datetime
) -> JSON:
    """``message`` after an edit request with JSON ``body`` (absent keys stay unchanged)."""
    cleared: dict[str, Any] = {"content": "", "embeds": [], "components": [], "flags": 0}
    edited = dict(message)
    for key, empty in cleared.items():
        if key in body:
            # An explicit null clears the field, as Discord does.
            edited[key] = empty if body[key] is None else body[key]
    edited["edited_timestamp"] = iso_timestamp(edited_at)
    return edited
