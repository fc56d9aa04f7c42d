"""The pace of each tenant, shared by every replica when they share a PostgreSQL database.

:class:`Paces` is built once per process in the composition root and hands out the pace
of a (platform, tenant): on PostgreSQL a :class:`SharedPace` over the tenant's token
bucket row (:mod:`storage.pacing`), so two replicas sending to one workspace together
keep to its limit; on SQLite, where one process owns the database, one
:class:`~bot.ports.pacing.LocalPace` per tenant kept for the life of the process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.ports.pacing import LATE_START_SECONDS, LocalPace, Pace
from storage import pacing as store
from storage.database import Database

log = logging.getLogger(__name__)

LATE_START_RETAKES = 5
"""How many times a start begun too late is given up for a new one before the caller
goes anyway: a bound, so a machine stalling on every start still sends."""


class SharedPace:
    """Start slots of one tenant taken from its bucket in the database.

    Each :meth:`slot` is one statement (committed on its own) that reserves the next
    start on the database server's clock, then a sleep until it, counted from the
    statement's answer: no lock is held while waiting, and a caller cancelled while it
    sleeps only leaves its slot unused.

    A start is honoured up to :data:`~bot.ports.pacing.LATE_START_SECONDS` late, or one
    interval when that is longer. A process whose event loop stalled (a
    garbage collection, a busy machine) wakes every caller whose start passed meanwhile
    at once, and their calls would reach the platform together, beside the other
    replicas' calls made on time: more than the limit in one of the platform's windows.
    A caller waking later than that gives its start up (it stays unused) and takes the
    next free one, up to :data:`LATE_START_RETAKES` times.
    """

    def __init__(
        self,
        database: Database,
        *,
        platform: str,
        tenant: str,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self._interval = 1.0 / per_second
        self._tolerance = max(self._interval, LATE_START_SECONDS)
        self._database = database
        self._platform = platform
        self._tenant = tenant
        self._clock = clock
        self._sleep = sleep

    async def slot(self) -> None:
        for retake in range(LATE_START_RETAKES + 1):
            token = await store.take_token(
                self._database,
                platform=self._platform,
                tenant=self._tenant,
                interval=self._interval,
            )
            # The start on this process's clock, as early as the answer allows: a stall
            # before the answer was read is not seen, one after it is.
            start = self._clock() + max(token.wait, 0.0)
            if token.wait > 0:
                await self._sleep(token.wait)
            late = self._clock() - start
            if late <= self._tolerance:
                return
            if retake < LATE_START_RETAKES:
                log.debug("a start of %s began %.3f s late; taking another", self._tenant, late)


class Paces:
    """The pace of every tenant this process sends to, one per (platform, tenant)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._local: dict[tuple[str, str, float], LocalPace] = {}

    @property
    def shared(self) -> bool:
        """True when the paces are shared with every process on the same database."""
        return self._database.dialect == "postgresql"

    def of(self, *, platform: str, tenant: str, per_second: float) -> Pace:
        """The pace of ``tenant`` on ``platform`` at ``per_second`` start slots a second."""
        if self.shared:
            return SharedPace(
                self._database, platform=platform, tenant=tenant, per_second=per_second
            )
        key = (platform, tenant, per_second)
        if key not in self._local:
            self._local[key] = LocalPace(per_second)
        return self._local[key]
