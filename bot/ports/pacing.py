"""Pacing sends to a platform: start slots spaced just under its per-workspace limit.

One :class:`Pace` per tenant is shared by everything that sends there: a wave's first
attempts take a slot in :mod:`bot.usecases.waves.delivery`, and an adapter whose SDK
retries a call (a server error, a rate-limit answer) makes the retry take a slot too, so
retries never push the workspace over its limit. :class:`LocalPace` paces one process;
replicas on one PostgreSQL database share a pace through it
(:class:`bot.usecases.pacing.SharedPace`), chosen by :class:`bot.usecases.pacing.Paces`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

PACE_HEADROOM = 0.04
"""The share of a platform's limit left unused, for the jitter between the moment a
slot is taken and the moment the platform counts the call."""


LATE_START_SECONDS = 0.03
"""How late a start may begin and still be the pace's. Calls begun up to this late stay
within the headroom of a platform counting its limit over windows of at least
``LATE_START_SECONDS / PACE_HEADROOM`` seconds (about 1.7 s; Slack counts per minute): a
window then holds no more calls than the pace allows in a slightly longer one."""


def pace_under(limit_per_second: float) -> float:
    """The pace for a platform allowing ``limit_per_second`` calls per second."""
    return limit_per_second * (1 - PACE_HEADROOM)


class Pace(Protocol):
    """Start slots for sends to one tenant, at most ``per_second`` per second."""

    @property
    def per_second(self) -> float:
        """The rate of start slots."""
        ...

    async def slot(self) -> None:
        """Wait until the next start slot is due, and take it."""
        ...


class LocalPace:
    """Spaces the start of sends to ``per_second`` per second.

    Slots follow a fixed grid ``1 / per_second`` apart. A slot taken late (the loop
    woke a little late, or nobody was waiting) does not push the later slots back
    unless it is a whole interval late, when the grid starts again from now: so the
    long-run rate is ``per_second`` exactly, never less because of timer lateness,
    and no stretch of time holds more than one slot beyond ``per_second`` times its
    length.

    One instance paces one tenant in one process (it knows no other process's sends);
    the lock makes concurrent senders take turns for their start slot, not for the whole
    send.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = clock()
        self._lock = asyncio.Lock()

    async def slot(self) -> None:
        """Wait until the next start slot is due, and take it."""
        async with self._lock:
            wait = self._next - self._clock()
            if wait > 0:
                await self._sleep(wait)
            now = self._clock()
            granted = self._next if now - self._next < self._interval else now
            self._next = granted + self._interval
