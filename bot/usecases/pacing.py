"""The pace of each tenant, shared by every replica when they share a PostgreSQL database.

:class:`Paces` is built once per process in the composition root and hands out the pace
of a (platform, tenant): on PostgreSQL a :class:`SharedPace` over the tenant's token
bucket row (:mod:`storage.pacing`), so two replicas sending to one workspace together
keep to its limit; on SQLite, where one process owns the database, one
:class:`~bot.ports.pacing.LocalPace` per tenant kept for the life of the process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.ports.pacing import LocalPace, Pace
from storage import pacing as store
from storage.database import Database


class SharedPace:
    """Start slots of one tenant taken from its bucket in the database.

    Each :meth:`slot` is one short transaction (one statement) that reserves the next
    start on the database server's clock, then a sleep until it: no lock is held while
    waiting, and a caller cancelled while it sleeps only leaves its slot unused. The
    sleep is counted from the statement's answer, not from the end of the commit after
    it, so how long commits take does not move the starts.
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
        self._database = database
        self._clock = clock
        self._platform = platform
        self._tenant = tenant
        self._sleep = sleep

    async def slot(self) -> None:
        async with self._database.transaction() as session:
            token = await store.take_token(
                session,
                platform=self._platform,
                tenant=self._tenant,
                interval=1.0 / self.per_second,
            )
            start = self._clock() + token.wait
        wait = start - self._clock()
        if wait > 0:
            await self._sleep(wait)


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
