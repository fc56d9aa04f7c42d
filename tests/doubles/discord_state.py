"""The Discord double's world and memory, shared by its REST routes and its gateway.

One ``DoubleState`` per double: the configured bot, guilds and users, the DM channels and
messages the client created, the interactions dispatched and answered, the synced
commands, the injected faults and a log of every REST request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from .discord_payloads import JSON, GuildSpec, SnowflakeSource, UserSpec, guild_members
from .discord_records import (
    CommandSync,
    InteractionRecord,
    RecordedMessage,
    RecordFeed,
    RequestLogEntry,
)

T = TypeVar("T")


@dataclass(kw_only=True)
class RateLimitFault:
    """Answer the next ``times`` requests on ``route`` with 429 and ``retry_after`` seconds."""

    route: str
    times: int
    retry_after: float
    is_global: bool = False


class DoubleState:
    """Everything the double knows; handlers mutate it, tests read its records."""

    def __init__(
        self,
        *,
        token: str,
        bot: UserSpec,
        application_id: int,
        guilds: Iterable[GuildSpec],
        users: Iterable[UserSpec],
        closed_dm_user_ids: Iterable[int],
        grant_members_intent: bool,
        wait_limit: float,
    ) -> None:
        self.token = token
        self.bot = bot
        self.application_id = application_id
        self.guilds: dict[int, GuildSpec] = {guild.id: guild for guild in guilds}
        self.closed_dm_user_ids: set[int] = set(closed_dm_user_ids)
        self.grant_members_intent = grant_members_intent
        self.wait_limit = wait_limit
        self.snowflakes = SnowflakeSource()
        self.joined_at = datetime(2025, 1, 1, tzinfo=UTC)
        self.base_url = ""

        self.users: dict[int, UserSpec] = {bot.id: bot}
        for guild in self.guilds.values():
            self.users.update((m.user.id, m.user) for m in guild_members(guild, bot))
        self.users.update((user.id, user) for user in users)

        self.dm_channel_by_user: dict[int, int] = {}
        self.dm_recipient_by_channel: dict[int, int] = {}
        self.messages: dict[int, JSON] = {}
        self.sent_messages: RecordFeed[RecordedMessage] = self.feed()
        self.edited_messages: RecordFeed[RecordedMessage] = self.feed()
        self.interactions: dict[int, InteractionRecord] = {}
        self.commands: dict[int | None, list[JSON]] = {}
        self.command_ids: dict[tuple[int | None, str], int] = {}
        self.command_syncs: RecordFeed[CommandSync] = self.feed()
        self.rate_limits: list[RateLimitFault] = []
        self.request_log: list[RequestLogEntry] = []

    def feed(self) -> RecordFeed[T]:
        """A new empty feed that gives up waiting after the double's wait limit."""
        return RecordFeed(wait_limit=self.wait_limit)

    # InteractionWorld -------------------------------------------------------------------

    def dm_channel_id(self, user: UserSpec) -> int:
        self.users.setdefault(user.id, user)
        channel_id = self.dm_channel_by_user.get(user.id)
        if channel_id is None:
            channel_id = self.snowflakes.next()
            self.dm_channel_by_user[user.id] = channel_id
            self.dm_recipient_by_channel[channel_id] = user.id
        return channel_id

    def command_id(self, name: str, guild_id: int | None) -> tuple[int, int | None]:
        if guild_id is not None and (guild_id, name) in self.command_ids:
            return self.command_ids[(guild_id, name)], guild_id
        if (None, name) in self.command_ids:
            return self.command_ids[(None, name)], None
        # Not synced: Discord would not send it, but a test may still probe the client.
        return self.snowflakes.next(), None

    # Lookups ----------------------------------------------------------------------------

    def guild_of_channel(self, channel_id: int) -> GuildSpec | None:
        return next((g for g in self.guilds.values() if g.channel(channel_id) is not None), None)

    def channel_exists(self, channel_id: int) -> bool:
        return (
            channel_id in self.dm_recipient_by_channel
            or self.guild_of_channel(channel_id) is not None
        )

    def take_rate_limit(self, route: str) -> RateLimitFault | None:
        """The fault that applies to this request on ``route``, consuming one of its uses."""
        for fault in self.rate_limits:
            if fault.route == route and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    def now(self) -> datetime:
        return datetime.now(UTC)
