"""An in-memory ``Platform`` that records what the core asked of it, for core tests.

``RecordingPlatform`` keeps every direct message, update and channel post as the views
the core produced, answers ``find_direct`` from the messages it holds, and fails the
way it is told to. It passes the same contract as the Slack and Discord platforms
(``tests/contract/test_platform_contract.py``), so a core test that runs on it tells
something true of both.

How it fails:

- ``close_dms(user_id)``: sending to that person raises ``DeliveryFailed(DM_CLOSED)``.
- A person who never ``join``-ed is gone: sending to them or looking their DM up raises
  ``DeliveryFailed(USER_GONE)``.
- ``cannot_tell(user_id)``: ``find_direct`` for that person raises ``DeliveryFailed``
  (``INTERRUPTED`` unless another reason is given), as a platform that cannot read
  the DM does.
- ``refuse(target)``: calls addressed to that person, channel or message reference
  raise ``PlatformUnavailable``, which is *not* ``DeliveryFailed``: the platform did
  not take the call, and a later one may succeed.

Every call, refused ones included, is logged in ``calls``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum

from bot.domain.people import Person
from bot.ports.platform import INTERRUPTED, DeliveryFailed
from bot.views.common import View

NAME = "recording"
DM_CLOSED = "dm_closed"
USER_GONE = "user_gone"


class PlatformUnavailable(RuntimeError):
    """The platform did not take a call it was told to refuse; a later call may succeed."""


@dataclass(frozen=True)
class DirectMessage:
    """A message taken for a person, as it was sent, with the nonce it carried."""

    user_id: str
    reference: str
    view: View
    nonce: str | None


@dataclass(frozen=True)
class Update:
    """A message replaced: its reference and the view it shows from then on."""

    reference: str
    view: View


@dataclass(frozen=True)
class ChannelPost:
    """A view posted to a channel, with the image it carried."""

    channel: str
    view: View
    image: bytes | None


@dataclass(frozen=True)
class Call:
    """One call of a ``Platform`` method and the person, channel or reference it addressed."""

    method: str
    target: str


class RecordingPlatform:
    """One tenant of an in-memory platform: its people, what was sent, how it fails.

    Nothing is cached per instance beyond what the platform itself would hold, so one
    instance stands for every process (and replica) connected to the tenant.
    """

    def __init__(self, *, tenant: str, name: str = NAME) -> None:
        self.name = name
        self.tenant = tenant
        self.directs: list[DirectMessage] = []
        self.updates: list[Update] = []
        self.posts: list[ChannelPost] = []
        self.calls: list[Call] = []
        self._people: dict[str, Person] = {}
        self._shown: dict[str, View] = {}
        self._closed: dict[str, str] = {}
        self._untellable: dict[str, str] = {}
        self._refusals: dict[str, int | None] = {}
        self._serial = itertools.count(1)

    # ---- the world -----------------------------------------------------------------------

    def join(
        self,
        user_id: str,
        *,
        locale: str | None = None,
        timezone: str | None = None,
        segments: Mapping[str, str] | None = None,
    ) -> None:
        """Add a person to the tenant (or replace them); everyone is in the audience.
        ``segments`` are the labels the platform gives them (roles, user groups)."""
        self._people[user_id] = Person(
            platform=self.name,
            tenant=self.tenant,
            user_id=user_id,
            locale=locale,
            timezone=timezone,
            segments=dict(segments or {}),
        )

    def close_dms(self, user_id: str, *, reason: str = DM_CLOSED) -> None:
        """From now on, sending to ``user_id`` raises ``DeliveryFailed(reason)``."""
        self._closed[user_id] = reason

    def cannot_tell(self, user_id: str, *, reason: str = INTERRUPTED) -> None:
        """From now on, ``find_direct`` for ``user_id`` raises ``DeliveryFailed(reason)``."""
        self._untellable[user_id] = reason

    def refuse(self, target: str, *, times: int | None = None) -> None:
        """Refuse the next ``times`` calls addressed to ``target`` (None: every one)."""
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for every call")
        self._refusals[target] = times

    # ---- what happened -------------------------------------------------------------------

    def direct_to(self, user_id: str) -> list[DirectMessage]:
        """The messages taken for ``user_id``, oldest first."""
        return [message for message in self.directs if message.user_id == user_id]

    def shown(self, reference: str) -> View:
        """What the message ``reference`` shows now: its last update, or what was sent."""
        return self._shown[reference]

    def posts_in(self, channel: str) -> list[ChannelPost]:
        """The views posted to ``channel``, oldest first."""
        return [post for post in self.posts if post.channel == channel]

    def calls_of(self, *methods: str) -> list[str]:
        """The targets of every call of these methods, in order, refused ones included."""
        return [call.target for call in self.calls if call.method in methods]

    # ---- the Platform port ---------------------------------------------------------------

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        await self._call("send_direct", user_id)
        if user_id not in self._people:
            raise DeliveryFailed(USER_GONE)
        if user_id in self._closed:
            raise DeliveryFailed(self._closed[user_id])
        reference = f"{user_id}:{next(self._serial)}"
        self.directs.append(DirectMessage(user_id, reference, view, nonce))
        self._shown[reference] = view
        return reference

    async def find_direct(self, user_id: str, nonce: str) -> str | None:
        await self._call("find_direct", user_id)
        if user_id in self._untellable:
            raise DeliveryFailed(self._untellable[user_id])
        if user_id not in self._people:
            raise DeliveryFailed(USER_GONE)
        for message in reversed(self.direct_to(user_id)):
            if message.nonce == nonce:
                return message.reference
        return None

    async def update_message(self, reference: str, view: View) -> None:
        await self._call("update_message", reference)
        if reference not in self._shown:
            raise LookupError(f"no message {reference!r}")
        self.updates.append(Update(reference, view))
        self._shown[reference] = view

    async def post_to_channel(self, channel: str, view: View, image: bytes | None = None) -> None:
        await self._call("post_to_channel", channel)
        self.posts.append(ChannelPost(channel, view, image))

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        """Everyone who joined, in the order they did: only ``{"everyone": ""}`` is known."""
        await self._call("list_audience", ",".join(sorted(spec)))
        if "everyone" not in spec:
            raise ValueError(f"unknown audience specification: {sorted(spec)}")
        return list(self._people.values())

    async def profile(self, user_id: str) -> Person:
        await self._call("profile", user_id)
        if user_id not in self._people:
            raise LookupError(f"no person {user_id!r}")
        return self._people[user_id]

    async def channel_name(self, channel_id: str) -> str | None:
        """None: the fake's channels are ids only, as a platform without names has."""
        await self._call("channel_name", channel_id)
        return None

    async def _call(self, method: str, target: str) -> None:
        # A real platform call always lets the loop run others: concurrent senders,
        # replicas and their database work interleave here as they would there.
        await asyncio.sleep(0)
        self.calls.append(Call(method, target))
        if target not in self._refusals:
            return
        left = self._refusals[target]
        if left is not None:
            if left <= 1:
                del self._refusals[target]
            else:
                self._refusals[target] = left - 1
        raise PlatformUnavailable(f"{method} to {target!r} refused")


def view_texts(view: View) -> list[str]:
    """Every text a view holds, depth first (ids and tokens too, enums and images not)."""
    return list(_texts(view))


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, Enum | bytes):
        return
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _texts(item)
