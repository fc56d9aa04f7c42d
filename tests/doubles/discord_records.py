"""What the Discord double saw: the requests the client made, as values tests assert on.

Records are appended by the double's handlers and read by tests; ``RecordFeed`` lets a test
wait (with a timeout) for a record the client has not sent yet.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tests.support.waiting import HANG_GUARD_SECONDS

JSON = dict[str, Any]

# Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding).
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
MODAL = 9

EPHEMERAL = 1 << 6

T = TypeVar("T")


class RecordFeed(Generic[T]):
    """An append-only list of records that tests can await.

    ``wait_for(n)`` returns the n-th record (0-based) once it exists, so a test can await
    a callback the client sends in a background task. A wait gives up after
    ``wait_limit`` seconds so a missing record fails the test instead of hanging it; the
    default is only a hang guard, so a slow machine never fails a wait.
    """

    def __init__(self, *, wait_limit: float = HANG_GUARD_SECONDS) -> None:
        self._items: list[T] = []
        self._changed = asyncio.Condition()
        self._wait_limit = wait_limit

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    async def append(self, item: T) -> None:
        async with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    async def wait_for(self, index: int = 0) -> T:
        """The record at ``index``, once it has arrived.

        Raises ``TimeoutError`` naming how many records did arrive when it has not
        arrived within the feed's wait limit.
        """
        try:
            async with asyncio.timeout(self._wait_limit), self._changed:
                await self._changed.wait_for(lambda: len(self._items) > index)
        except TimeoutError:
            raise TimeoutError(
                f"record #{index} did not arrive within {self._wait_limit}s "
                f"({len(self._items)} recorded)"
            ) from None
        return self._items[index]


@dataclass(frozen=True, kw_only=True)
class RecordedFile:
    """A file uploaded in a multipart request (``files[n]`` part)."""

    field_name: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass(frozen=True, kw_only=True)
class RequestBody:
    """A decoded message-like request body: the JSON (or ``payload_json``) plus files."""

    json: JSON
    files: tuple[RecordedFile, ...] = ()

    @property
    def content(self) -> str | None:
        value = self.json.get("content")
        return None if value is None else str(value)

    @property
    def embeds(self) -> list[JSON]:
        return list(self.json.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        return list(self.json.get("components") or [])

    @property
    def allowed_mentions(self) -> JSON | None:
        value = self.json.get("allowed_mentions")
        return None if value is None else dict(value)

    @property
    def flags(self) -> int:
        return int(self.json.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Every component custom id in the body, depth first (buttons, selects, inputs)."""
        return list(_custom_ids(self.components))


def _custom_ids(components: list[JSON]) -> Iterator[str]:
    for component in components:
        if "custom_id" in component:
            yield str(component["custom_id"])
        yield from _custom_ids(list(component.get("components") or []))
        if isinstance(component.get("component"), Mapping):
            yield from _custom_ids([dict(component["component"])])


@dataclass(frozen=True, kw_only=True)
class RecordedMessage:
    """A message the client created or edited, and the message object the double returned.

    ``recipient_id`` is set for messages sent to a DM channel.
    """

    channel_id: int
    message_id: int
    body: RequestBody
    message: JSON
    recipient_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class InteractionCallback:
    """One ``POST /interactions/{id}/{token}/callback``: response ``type`` and its ``data``."""

    type: int
    body: RequestBody

    @property
    def data(self) -> JSON:
        return dict(self.body.json.get("data") or {})

    @property
    def message(self) -> RequestBody:
        """The message part of a type 4/7 callback (``data``), with its uploaded files."""
        return RequestBody(json=self.data, files=self.body.files)


@dataclass(kw_only=True)
class InteractionRecord:
    """An interaction the double dispatched and everything the client answered to it.

    ``callbacks`` holds initial responses (Discord accepts one; later ones are recorded
    and rejected with 40060), ``original_edits`` the ``PATCH .../messages/@original``
    requests and ``followups`` the ``POST /webhooks/{app_id}/{token}`` messages.
    ``original_message`` is the response message once a type 4/5 callback created it.
    """

    interaction_id: int
    token: str
    payload: JSON
    callbacks: RecordFeed[InteractionCallback]
    original_edits: RecordFeed[RequestBody]
    followups: RecordFeed[RecordedMessage]
    original_message: JSON | None = None

    async def callback(self, index: int = 0) -> InteractionCallback:
        """The ``index``-th callback, once the client has sent it."""
        return await self.callbacks.wait_for(index)


@dataclass(frozen=True, kw_only=True)
class CommandSync:
    """One bulk overwrite of application commands (``guild_id`` None means global)."""

    guild_id: int | None
    commands: list[JSON]

    def names(self) -> list[str]:
        return [str(command["name"]) for command in self.commands]


@dataclass(frozen=True, kw_only=True)
class RequestLogEntry:
    """One REST request as the double answered it; ``route`` is like ``"GET /users/@me"``."""

    method: str
    path: str
    route: str
    status: int
