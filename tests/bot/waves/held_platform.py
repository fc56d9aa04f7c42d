"""A recording platform whose sends a test can hold in flight, and a pace it can hold.

``HeldPlatform.hold(user_id)`` makes the next send to that person wait until the test
sets the hold's ``release``; the platform then carries the send out (or raises
``then``) even if the caller stopped waiting meanwhile, as a platform that already
received the request does. Holds for one person are taken in order, one per send.
While ``out_of_reach`` is set, every send and every audience listing raises
``PlatformUnreachable`` with it, as an adapter does when its platform cannot be reached.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.people import Person
from bot.ports.platform import PlatformUnreachable
from bot.views.common import View
from tests.support.recording_platform import RecordingPlatform


@dataclass
class Hold:
    """One held send: ``entered`` once it started, ``done`` once the platform finished it."""

    then: Exception | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)


class HeldPlatform(RecordingPlatform):
    """A ``RecordingPlatform`` whose next sends to a person wait for the test."""

    def __init__(self, *, tenant: str) -> None:
        super().__init__(tenant=tenant)
        self._holds: defaultdict[str, deque[Hold]] = defaultdict(deque)
        self._carrying: set[asyncio.Task[str]] = set()
        self.out_of_reach: str | None = None

    def hold(self, user_id: str, *, then: Exception | None = None) -> Hold:
        """Hold the next send to ``user_id`` not held yet; raise ``then`` once released."""
        held = Hold(then=then)
        self._holds[user_id].append(held)
        return held

    async def list_audience(self, spec: Mapping[str, str]) -> Sequence[Person]:
        if self.out_of_reach is not None:
            raise PlatformUnreachable(self.out_of_reach)
        return await super().list_audience(spec)

    async def send_direct(self, user_id: str, view: View, *, nonce: str | None = None) -> str:
        if self.out_of_reach is not None:
            raise PlatformUnreachable(self.out_of_reach)
        if not self._holds[user_id]:
            return await super().send_direct(user_id, view, nonce=nonce)
        held = self._holds[user_id].popleft()
        held.entered.set()
        carrying = asyncio.create_task(self._carry_out(held, user_id, view, nonce))
        self._carrying.add(carrying)
        carrying.add_done_callback(self._carrying.discard)
        # The caller giving up does not take the request back from the platform.
        return await asyncio.shield(carrying)

    async def _carry_out(self, held: Hold, user_id: str, view: View, nonce: str | None) -> str:
        await held.release.wait()
        try:
            if held.then is not None:
                raise held.then
            return await super().send_direct(user_id, view, nonce=nonce)
        finally:
            held.done.set()


class GatedPace:
    """A pace whose slots wait until the test opens it; ``waiting`` once one is asked."""

    per_second = 1.0

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self._open = asyncio.Event()

    def open(self) -> None:
        """Grant every slot from now on."""
        self._open.set()

    async def slot(self) -> None:
        self.waiting.set()
        await self._open.wait()
