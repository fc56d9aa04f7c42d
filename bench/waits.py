"""What the database's connections wait on during a benchmark, sampled (PostgreSQL).

CPU figures (:mod:`bench.cpu`) say where time was spent; they cannot show time spent
waiting. So while a burst runs, ``pg_stat_activity`` is read every ``INTERVAL`` seconds
and the connections to the bench's database that are in a transaction are counted by
what they wait on: a lock another transaction holds (``Lock``), the bot's next
statement (``Client``: the transaction is open and the bot has not sent more yet), or
nothing (working). Averaged over the samples, each is how many connections were in
that state at a time.

On the answer path the lock is the survey's row, the mixing pool's lock
(:mod:`storage.mixing`): every answer to one survey takes it in turn, so the answers of
one survey are stored one at a time however many replicas send them, each holding the
lock for its remaining round trips.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from sqlalchemy import text

from storage.database import Database

INTERVAL = 0.02
_SAMPLE = text(
    "SELECT coalesce(wait_event_type, 'working') FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND backend_type = 'client backend' AND xact_start IS NOT NULL"
)


@dataclass
class Waits:
    """Samples taken, and per kind of wait the connections seen in it, summed."""

    samples: int = 0
    seen: Counter[str] = field(default_factory=Counter)

    def add(self, kinds: list[str]) -> None:
        self.samples += 1
        self.seen.update(kinds)

    def average(self, kind: str) -> float:
        """Connections in ``kind`` at a time, on average (0 without samples)."""
        return self.seen[kind] / self.samples if self.samples else 0.0


@asynccontextmanager
async def sampled(database: Database) -> AsyncIterator[Waits]:
    """Sample ``database``'s connections (one connection of its own) until the block
    ends; on SQLite nothing is sampled."""
    waits = Waits()
    if database.dialect != "postgresql":
        yield waits
        return
    stop = asyncio.Event()

    async def sample() -> None:
        async with database.engine.connect() as connection:
            while not stop.is_set():
                rows = await connection.execute(_SAMPLE)
                waits.add([str(kind) for (kind,) in rows])
                await connection.commit()  # a fresh snapshot of pg_stat_activity each time
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), INTERVAL)

    task = asyncio.create_task(sample())
    try:
        yield waits
    finally:
        stop.set()
        await task


def line(where: str, waits: Waits) -> str:
    """One line of the bench's output for ``where``'s samples."""
    return (
        f"burst waits     {where}: connections in a transaction at a time, on average"
        f" {waits.average('Lock'):.1f} waiting for a lock (the survey's mixing pool),"
        f" {waits.average('Client'):.1f} waiting for their bot's next statement,"
        f" {waits.average('working'):.1f} working ({waits.samples:,} samples)"
    )
