"""The shared pace on PostgreSQL: replicas taking tokens at once stay under one rate."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import pytest

from bot.ports.pacing import LocalPace, Pace
from bot.usecases.pacing import LATE_START_RETAKES, Paces, SharedPace
from storage import pacing as store
from storage.database import Database
from storage.migrate import upgrade
from tests.conftest import create_database, require_postgres


@pytest.fixture
async def postgres_url(postgres_admin_url: str | None) -> str:
    url = await create_database(require_postgres(postgres_admin_url))
    await upgrade(url)
    return url


@pytest.fixture
async def replicas(postgres_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two engines on one database, as two replicas have."""
    first, second = Database(postgres_url), Database(postgres_url)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


async def test_tokens_taken_one_after_another_queue_an_interval_apart(
    replicas: tuple[Database, Database],
) -> None:
    database, _ = replicas
    tokens = []
    for _ in range(4):
        tokens.append(
            await store.take_token(database, platform="slack", tenant="T1", interval=10.0)
        )
    waits = [token.wait for token in tokens]

    # The first token is ready at once; each later one is due an interval after the last
    # (less the moments the statements themselves took).
    assert -1.0 < waits[0] <= 0.0
    for position, wait in enumerate(waits[1:], start=1):
        assert position * 10.0 - 1.0 < wait <= position * 10.0
        assert tokens[position].start == pytest.approx(tokens[0].start + position * 10.0)


async def test_each_tenant_has_its_own_bucket(replicas: tuple[Database, Database]) -> None:
    database, _ = replicas
    await store.take_token(database, platform="slack", tenant="T1", interval=10.0)
    other_tenant = await store.take_token(database, platform="slack", tenant="T2", interval=10.0)
    other_platform = await store.take_token(
        database, platform="discord", tenant="T1", interval=10.0
    )

    assert other_tenant.wait <= 0.0 and other_platform.wait <= 0.0


async def test_two_replicas_taking_at_once_are_granted_starts_an_interval_apart(
    replicas: tuple[Database, Database],
) -> None:
    interval = 0.01
    granted: list[float] = []

    async def take(database: Database) -> None:
        for _ in range(10):
            token = await store.take_token(
                database, platform="slack", tenant="T1", interval=interval
            )
            granted.append(token.start)

    await asyncio.gather(*(take(database) for database in replicas for _ in range(8)))

    # On the server's clock, the one both replicas share: every start is its own slot
    # (to a microsecond: seconds since the epoch in a double keep about that much).
    granted.sort()
    assert len(granted) == 160
    for before, after in itertools.pairwise(granted):
        assert after - before >= interval - 1e-6


async def test_a_caller_that_must_wait_gets_the_slot_right_after_the_one_before(
    replicas: tuple[Database, Database],
) -> None:
    """No start is put off further than the rate needs, however slow the machine: each
    caller told to wait is given the slot one interval after the latest one granted, so
    the bucket leaves no slot unused while callers queue. Proven on the server's clock;
    the interval is long, so callers that take tokens without sleeping queue at once."""
    interval = 1.0
    tokens: list[store.Token] = []

    async def take(database: Database) -> None:
        for _ in range(10):
            tokens.append(
                await store.take_token(database, platform="slack", tenant="T1", interval=interval)
            )

    await asyncio.gather(*(take(database) for database in replicas for _ in range(8)))

    tokens.sort(key=lambda token: token.start)
    waited = [after for after in tokens[1:] if after.wait > 0]
    assert waited, "no caller queued behind another"
    for before, after in itertools.pairwise(tokens):
        if after.wait > 0:
            assert after.start == pytest.approx(before.start + interval, abs=1e-6)


async def test_two_replicas_sending_at_once_never_exceed_the_rate(
    replicas: tuple[Database, Database],
) -> None:
    per_second = 100.0
    takers, tokens_each = 8, 10
    paces = [
        Paces(database).of(platform="slack", tenant="T1", per_second=per_second)
        for database in replicas
    ]
    assert all(isinstance(pace, SharedPace) for pace in paces)
    slots = 0

    async def take(pace: Pace) -> None:
        nonlocal slots
        for _ in range(tokens_each):
            await pace.slot()
            slots += 1

    began = time.monotonic()
    await asyncio.gather(*(take(pace) for pace in paces for _ in range(takers)))
    elapsed = time.monotonic() - began

    total = len(paces) * takers * tokens_each
    # Each replica alone would be allowed the whole rate: together they took at least the
    # time one rate needs for every token (two paces of their own would finish in half of
    # it). A slow machine only adds time; how early each start is granted, and that no
    # two are closer than the rate, is proven on the server's clock by the tests above.
    assert elapsed >= (total - 1) / per_second
    assert slots == total


async def test_sqlite_keeps_one_pace_per_tenant_in_the_process(tmp_path: object) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/nps.db")
    try:
        paces = Paces(database)
        first = paces.of(platform="slack", tenant="T1", per_second=3.0)

        assert not paces.shared
        assert isinstance(first, LocalPace)
        assert paces.of(platform="slack", tenant="T1", per_second=3.0) is first
        assert paces.of(platform="slack", tenant="T2", per_second=3.0) is not first
    finally:
        await database.dispose()


class StallingClock:
    """A process clock that sleeps without waiting: each sleep moves it on by the time
    asked plus the stall planned for that sleep (a garbage collection, a busy machine)."""

    def __init__(self, stalls: list[float]) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._stalls = stalls

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds + (self._stalls.pop(0) if self._stalls else 0.0)


async def _starts_taken_by_one_slot(database: Database, stalls: list[float]) -> tuple[int, int]:
    """How many intervals one slot() moved the bucket on, and how many times it slept.

    The interval is long (10 s) beside the moments the statements take on the server's
    clock, so every token the slot takes has to wait, and the count of starts it used is
    read from where the next token lands."""
    interval = 10.0
    first = await store.take_token(database, platform="slack", tenant="T1", interval=interval)
    process = StallingClock(stalls)
    pace = SharedPace(
        database,
        platform="slack",
        tenant="T1",
        per_second=1 / interval,
        clock=process.clock,
        sleep=process.sleep,
    )
    await pace.slot()
    after = await store.take_token(database, platform="slack", tenant="T1", interval=interval)
    used = round((after.start - first.start) / interval) - 1
    return used, len(process.sleeps)


async def test_a_start_begun_a_little_late_is_kept(replicas: tuple[Database, Database]) -> None:
    database, _ = replicas
    # Late by less than one interval (here 10 s, the tolerance for this slow pace).
    assert await _starts_taken_by_one_slot(database, [9.0]) == (1, 1)


async def test_a_start_begun_too_late_is_given_up_for_the_next_free_one(
    replicas: tuple[Database, Database],
) -> None:
    """A caller that woke long after its start (the process stalled) would send beside
    the calls of the starts after it: it gives that start up and takes another."""
    database, _ = replicas
    assert await _starts_taken_by_one_slot(database, [11.0]) == (2, 2)


async def test_a_caller_late_on_every_start_goes_after_the_last_retake(
    replicas: tuple[Database, Database],
) -> None:
    database, _ = replicas
    always_late = [11.0] * (LATE_START_RETAKES + 5)
    taken = LATE_START_RETAKES + 1
    assert await _starts_taken_by_one_slot(database, always_late) == (taken, taken)
