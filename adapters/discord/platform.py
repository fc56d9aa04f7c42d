"""``bot.ports.platform.Platform`` for Discord: what survey waves and digests need from a server.

One instance speaks for one server (the tenant): DM prompts carry its id in their
buttons, because Discord sends no server with a click in a DM. Rate limits (429) are
left to discord.py's limiter; refusals (403) are never retried, since repeated 4xx
responses count toward a temporary ban. Every method raises `PlatformUnreachable` when
Discord cannot be reached (see `reaching_discord`).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

import discord

from adapters.discord.components import message_parts
from adapters.discord.messages import NO_MENTIONS
from adapters.discord.people import PLATFORM, is_admin, member_labels
from adapters.discord.reachability import reaching_discord
from bot.domain.labels import RoleLabel
from bot.domain.people import Person
from bot.ports.platform import INTERRUPTED, DeliveryFailed
from bot.views.common import View

CANNOT_DM_USER = 50007
MISSING_ACCESS = 50001


class MembersIntentMissing(RuntimeError):
    """Listing a role's members needs the privileged Server Members Intent."""

    def __init__(self) -> None:
        super().__init__(
            "listing server members needs the Server Members Intent: enable it for this "
            "application (Developer Portal → Bot → Privileged Gateway Intents) and start the "
            "bot with the members intent, or post a survey card in a channel instead"
        )


class RoleMapping(Protocol):
    """Where a server's role mapping is read (``/nps segments``; the engine's
    ``RoleLabels``)."""

    async def of(self, *, platform: str, tenant: str) -> Mapping[str, RoleLabel]: ...


class DiscordPlatform:
    """Delivery to one Discord server's members and channels through ``client``.

    With ``role_labels``, the people it lists or looks up carry the labels the server's
    role mapping gives their roles, as an interaction's member does: a wave's asks are
    made from this listing, so its answers (given in DMs, which carry no member) keep
    the groups of the opening. Without it, people carry no labels."""

    name = PLATFORM

    def __init__(
        self,
        client: discord.Client,
        *,
        tenant: str,
        admin_role_ids: Collection[str] = (),
        role_labels: RoleMapping | None = None,
    ) -> None:
        self._client = client
        self._tenant = tenant
        self._admin_role_ids = admin_role_ids
        self._role_labels = role_labels

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        """DM ``view``; return ``"<channel id>:<message id>"``.

        Raises ``DeliveryFailed("dm_closed")`` when the person does not accept DMs from
        the bot (Discord code 50007) and ``DeliveryFailed("unknown_user")`` for an id
        Discord does not know. Neither is retried. ``nonce`` is not sent: Discord keeps
        a message's nonce only for a few minutes and never returns it in a channel's
        history, so it could not be checked after a restart (see `find_direct`).
        """
        try:
            with reaching_discord(self._client):
                user = self._client.get_user(int(user_id)) or await self._client.fetch_user(
                    int(user_id)
                )
                message = await user.send(**message_parts(view, tenant=self._tenant).send_kwargs())
        except discord.NotFound as error:
            raise DeliveryFailed("unknown_user") from error
        except discord.Forbidden as error:
            reason = "dm_closed" if error.code == CANNOT_DM_USER else "forbidden"
            raise DeliveryFailed(reason) from error
        return f"{message.channel.id}:{message.id}"

    async def find_direct(self, user_id: str, nonce: str) -> str | None:
        """Always raises ``DeliveryFailed("interrupted")``: Discord's history cannot say
        whether a DM with ``nonce`` was sent, so an interrupted send is given up (at most
        once) rather than risk a second DM, which Discord's anti-spam counts against the bot.
        """
        raise DeliveryFailed(INTERRUPTED)

    async def update_message(self, reference: str, view: View) -> None:
        """Replace the message ``send_direct`` returned ``reference`` for."""
        channel_id, _, message_id = reference.partition(":")
        channel = self._client.get_partial_messageable(int(channel_id))
        parts = message_parts(view, tenant=self._tenant)
        with reaching_discord(self._client):
            await channel.get_partial_message(int(message_id)).edit(
                content=parts.content,
                embeds=list(parts.embeds),
                view=parts.view,
                allowed_mentions=NO_MENTIONS,
            )

    async def post_to_channel(self, channel: str, view: View, image: bytes | None = None) -> None:
        """Post ``view`` in a server channel, with ``image`` attached as a PNG."""
        kwargs = message_parts(view, tenant=self._tenant).send_kwargs()
        if image is not None:
            kwargs["files"] = [
                *kwargs.get("files", []),
                discord.File(io.BytesIO(image), filename="image.png"),
            ]
        with reaching_discord(self._client):
            await self._client.get_partial_messageable(int(channel)).send(**kwargs)

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        """The people ``spec`` names: ``{"everyone": "yes"}`` (every member),
        ``{"role": "<role id>"}`` or ``{"users": "id,id"}``.

        Everyone and a role need the Server Members Intent (see ``MembersIntentMissing``);
        bots are never part of an audience.
        """
        if "users" in spec:
            ids = [item.strip() for item in spec["users"].split(",") if item.strip()]
            return [await self.profile(user_id) for user_id in ids]
        if "role" in spec:
            role_id: int | None = int(spec["role"])
        elif "everyone" in spec:
            role_id = None
        else:
            raise ValueError(
                f"unsupported Discord audience {dict(spec)!r}: use 'everyone', 'role' or 'users'"
            )
        if not self._client.intents.members:
            raise MembersIntentMissing()
        mapping = await self._mapping()  # read once for the whole listing
        people: list[Person] = []
        try:
            with reaching_discord(self._client):
                guild = await self._guild()
                async for member in guild.fetch_members(limit=None):
                    if member.bot:
                        continue
                    if role_id is None or member.get_role(role_id) is not None:
                        people.append(self._person(member, guild, mapping))
        except discord.Forbidden as error:
            if error.code == MISSING_ACCESS:
                raise MembersIntentMissing() from error
            raise
        return people

    async def profile(self, user_id: str) -> Person:
        """The member as this server sees them; Discord exposes no locale or time zone
        outside an interaction, so the server's preferred locale stands in."""
        with reaching_discord(self._client):
            guild = await self._guild()
            member = guild.get_member(int(user_id)) or await guild.fetch_member(int(user_id))
        return self._person(member, guild, await self._mapping())

    async def channel_name(self, channel_id: str) -> str | None:
        """The channel's name as the client holds it, else from the API; None for a
        channel Discord does not know, one the bot may not see, or one of another server."""
        if not (channel_id.isascii() and channel_id.isdigit()):
            return None  # not a snowflake: no channel Discord could know
        try:
            with reaching_discord(self._client):
                channel = self._client.get_channel(int(channel_id)) or (
                    await self._client.fetch_channel(int(channel_id))
                )
        except (discord.NotFound, discord.Forbidden):
            return None
        guild = getattr(channel, "guild", None)
        if guild is None or str(guild.id) != self._tenant:
            return None
        name = getattr(channel, "name", None)
        return name if isinstance(name, str) and name else None

    async def _mapping(self) -> Mapping[str, RoleLabel]:
        if self._role_labels is None:
            return {}
        return await self._role_labels.of(platform=PLATFORM, tenant=self._tenant)

    async def _guild(self) -> discord.Guild:
        """The server as the client holds it, or from the API while the client knows it
        by id only (its GUILD_CREATE, which brings roles and members, has not come)."""
        guild_id = int(self._tenant)
        held = self._client.get_guild(guild_id)
        if held is not None and not held.unavailable:
            return held
        return await self._client.fetch_guild(guild_id)

    def _person(
        self, member: discord.Member, guild: discord.Guild, mapping: Mapping[str, RoleLabel]
    ) -> Person:
        return Person(
            platform=PLATFORM,
            tenant=self._tenant,
            user_id=str(member.id),
            locale=str(guild.preferred_locale),
            is_admin=is_admin(member, self._admin_role_ids),
            segments=member_labels(member, mapping),
        )
