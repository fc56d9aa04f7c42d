"""The engine's `Platform` port, spoken over Slack's Web API."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.models.metadata import Metadata
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.people import PLATFORM, SlackPeople, is_reachable_member
from adapters.slack.reachability import reaching_slack
from adapters.slack.render import message
from adapters.slack.scopes import missing_scopes, warn_about_missing
from bot.domain.people import Person
from bot.ports.platform import (
    AudienceUnresolved,
    DeliveryFailed,
    DeliveryUncertain,
    PlatformUnreachable,
)
from bot.views.common import View

log = logging.getLogger(__name__)

# Errors that say "this person or channel cannot be reached": retrying will not help.
UNREACHABLE = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "not_in_channel",
        "restricted_action",
        "user_disabled",
        "user_not_found",
        "user_not_visible",
    }
)
AUDIENCE_REFUSALS = frozenset(
    {"channel_not_found", "not_in_channel", "no_such_subteam", "invalid_arguments"}
)
"""Slack's answers when a survey's audience names a channel or user group it cannot
list: the admin's setting is wrong, and asking again will not help."""
PAGE_SIZE = 200
HISTORY_PAGE = 100
NONCE_EVENT = "nps_delivery"
CHART_FILENAME = "nps-chart-{number}.png"


def slack_error(error: SlackApiError) -> str:
    """The ``error`` code of a refused Web API call."""
    return str(error.response.get("error", "unknown_error"))


class SlackPlatform:
    """Delivers views to people and channels of one workspace.

    DM channel ids learned from earlier posts are remembered, so a person's DM is
    reached by its channel id rather than by a `conversations.open` per person.
    Message references are ``"<channel>:<ts>"``. Every method raises
    `PlatformUnreachable` when Slack cannot be reached (see `reaching_slack`), except
    where a post may have happened: `send_direct` raises `DeliveryUncertain` then.
    """

    name = PLATFORM

    def __init__(
        self, client: AsyncWebClient, *, people: SlackPeople, team_id: str | None = None
    ) -> None:
        """``team_id``, when known (an installation names it), saves the `auth.test`."""
        self._client = client
        self._people = people
        self._dm_channels: dict[str, str] = {}
        self._team_id = team_id

    @property
    def people(self) -> SlackPeople:
        """How this workspace's people are looked up."""
        return self._people

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        """Post ``view`` in the app's DM with ``user_id``; raises `DeliveryFailed`.

        A ``nonce`` travels as the message's metadata (event type ``nps_delivery``),
        which `find_direct` reads back from the DM's history. Raises
        `DeliveryUncertain` when Slack may have posted and its answer was lost (a server
        error, a connection dropped or timed out once the request was sent).
        """
        channel = self._dm_channels.get(user_id, user_id)
        extra: dict[str, Any] = {}
        if nonce is not None:
            extra["metadata"] = Metadata(event_type=NONCE_EVENT, event_payload={"nonce": nonce})
        try:
            answer = await self._client.chat_postMessage(
                channel=channel, **message(view).as_kwargs(), **extra
            )
        except SlackApiError as error:
            code = slack_error(error)
            if code in UNREACHABLE:
                raise DeliveryFailed(code) from error
            if error.response.status_code >= 500:
                raise DeliveryUncertain(code) from error
            raise
        except aiohttp.ClientConnectorError as error:
            # No connection was made: nothing was posted.
            raise PlatformUnreachable(f"cannot connect to {error.host}:{error.port}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryUncertain(type(error).__name__) from error
        dm_channel = str(answer["channel"])
        self.remember_dm(user_id, dm_channel)
        return f"{dm_channel}:{answer['ts']}"

    async def find_direct(self, user_id: str, nonce: str) -> str | None:
        """Look for ``nonce`` in the metadata of the newest messages of the DM with
        ``user_id`` (one `conversations.history` page, which a message sent moments
        before a stop is always on); raises `DeliveryFailed` when the DM cannot be read."""
        try:
            with reaching_slack():
                channel = await self.dm_channel(user_id)
                answer = await self._client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=HISTORY_PAGE
                )
        except SlackApiError as error:
            code = slack_error(error)
            if code in UNREACHABLE:
                raise DeliveryFailed(code) from error
            raise
        messages: list[dict[str, Any]] = answer.get("messages", [])
        for posted in messages:
            metadata = posted.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == NONCE_EVENT and payload.get("nonce") == nonce:
                return f"{channel}:{posted['ts']}"
        return None

    def remember_dm(self, user_id: str, channel: str) -> None:
        """Note that ``channel`` is the app's DM with ``user_id``."""
        if channel.startswith("D"):
            self._dm_channels[user_id] = channel

    async def dm_channel(self, user_id: str) -> str:
        """The app's DM channel with ``user_id`` (opened once, then remembered)."""
        if user_id not in self._dm_channels:
            answer = await self._client.conversations_open(users=user_id)
            self.remember_dm(user_id, str(answer["channel"]["id"]))
        return self._dm_channels[user_id]

    async def update_message(self, reference: str, view: View) -> None:
        channel, _, ts = reference.partition(":")
        with reaching_slack():
            await self._client.chat_update(channel=channel, ts=ts, **message(view).as_kwargs())

    async def post_to_channel(self, channel: str, view: View, image: bytes | None = None) -> None:
        """Post ``view``; then ``image`` (a PNG) as a file in the same channel."""
        with reaching_slack():
            await self._client.chat_postMessage(channel=channel, **message(view).as_kwargs())
        if image is not None:
            await self.upload_images(channel, [image])

    async def upload_images(self, channel: str, images: Sequence[bytes]) -> None:
        """Upload PNGs to ``channel`` in one `files_upload_v2` call."""
        if not images:
            return
        uploads = [
            {"content": image, "filename": CHART_FILENAME.format(number=number)}
            for number, image in enumerate(images, start=1)
        ]
        with reaching_slack():
            await self._client.files_upload_v2(file_uploads=uploads, channel=channel)

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        """People named by ``{"everyone": …}``, ``{"channel": "C…"}`` or ``{"usergroup": "S…"}``.

        Bots, app users and deactivated accounts are left out. Members are resolved with
        one paginated `users.list`, not a `users.info` per person.
        """
        with reaching_slack():
            try:
                return await self._audience(spec)
            except SlackApiError as error:
                code = str(error.response.get("error", ""))
                if code in AUDIENCE_REFUSALS:
                    raise AudienceUnresolved(f"Slack answered {code}") from error
                raise

    async def _audience(self, spec: Mapping[str, str]) -> list[Person]:
        wanted: Collection[str] | None
        if "channel" in spec:
            wanted = await self._channel_members(spec["channel"])
        elif "usergroup" in spec:
            answer = await self._client.usergroups_users_list(usergroup=spec["usergroup"])
            wanted = set(answer["users"])
        elif "everyone" in spec:
            wanted = None
        else:
            raise ValueError(f"unknown audience specification: {sorted(spec)}")
        team_id = await self.team_id()
        people: list[Person] = []
        async for page in await self._client.users_list(limit=PAGE_SIZE, include_locale=True):
            for user in page["members"]:
                if is_reachable_member(user) and (wanted is None or user["id"] in wanted):
                    people.append(await self._people.from_user(user, team_id=team_id))
        return people

    async def profile(self, user_id: str) -> Person:
        with reaching_slack():
            return await self._people.person(user_id, team_id=await self.team_id())

    async def channel_name(self, channel_id: str) -> str | None:
        """The channel's name from `conversations.info` (``channels:read`` or
        ``groups:read``, which channel audiences need already); None when Slack refuses
        (an unknown channel, a private one the app is not in, a scope not granted)."""
        try:
            with reaching_slack():
                answer = await self._client.conversations_info(channel=channel_id)
        except SlackApiError:
            return None
        channel: Mapping[str, Any] = answer.get("channel") or {}
        name = channel.get("name")
        return name if isinstance(name, str) and name else None

    async def team_id(self) -> str:
        """This workspace's id (asked once with `auth.test`, whose answer also lists the
        token's scopes: any the app needs and lacks is logged once, in one line)."""
        if self._team_id is None:
            with reaching_slack():
                answer = await self._client.auth_test()
            warn_about_missing(missing_scopes(answer.headers))
            self._team_id = str(answer["team_id"])
        return self._team_id

    async def _channel_members(self, channel: str) -> set[str]:
        members: set[str] = set()
        pages = await self._client.conversations_members(channel=channel, limit=PAGE_SIZE)
        async for page in pages:
            members.update(page["members"])
        return members
