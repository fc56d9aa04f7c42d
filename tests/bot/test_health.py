"""The health probe against real databases: reachable, missing, refusing, hanging."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.runtime.health import HealthProbe
from storage.database import Database
from tests.support.waiting import HANG_GUARD_SECONDS


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    handle = Database(database_url)
    try:
        yield handle
    finally:
        await handle.dispose()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_reachable_database_without_a_scheduler_is_healthy(database: Database) -> None:
    report = await HealthProbe(database).check()

    assert report.healthy
    assert report.as_json() == {"status": "ok", "database": "ok", "scheduler": "stopped"}


async def test_the_scheduler_is_reported_running_once_started(database: Database) -> None:
    scheduler = AsyncIOScheduler(timezone="UTC")
    probe = HealthProbe(database, scheduler=scheduler)
    assert (await probe.check()).scheduler == "stopped"

    scheduler.start()
    try:
        assert (await probe.check()).scheduler == "running"
    finally:
        scheduler.shutdown(wait=False)


async def test_a_scheduler_attached_later_is_watched(database: Database) -> None:
    probe = HealthProbe(database)
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start()
    try:
        probe.watch_scheduler(scheduler)
        assert (await probe.check()).scheduler == "running"
    finally:
        scheduler.shutdown(wait=False)


async def sqlite_workers_finished(before: set[threading.Thread]) -> None:
    """Wait until the SQLite driver's worker threads started since ``before`` have ended.

    The driver closes a connection that failed to open on its worker thread, which then
    reports back to the event loop: the loop must outlive that report.
    """
    started = set(threading.enumerate()) - before
    for worker in started:
        if "_connection_worker_thread" in worker.name:
            await asyncio.wait_for(asyncio.to_thread(worker.join), timeout=HANG_GUARD_SECONDS)


async def test_a_sqlite_file_that_cannot_be_opened_is_unreachable(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'nps.db'}")
    threads = set(threading.enumerate())
    try:
        report = await HealthProbe(database).check()
    finally:
        await database.dispose()
        await sqlite_workers_finished(threads)

    assert not report.healthy
    body = report.as_json()
    assert body["status"] == "unavailable"
    assert body["database"] == "unreachable"
    assert body["reason"].startswith("cannot reach the database: ")
    assert "open" in body["reason"]


async def test_a_refused_postgresql_connection_is_unreachable() -> None:
    database = Database(f"postgresql+asyncpg://nps:nps@127.0.0.1:{closed_port()}/nps")
    try:
        # A refusal is answered at once; the timeout only keeps a loaded machine from
        # turning it into a "did not answer" verdict.
        report = await HealthProbe(database, timeout=HANG_GUARD_SECONDS).check()
    finally:
        await database.dispose()

    assert report.database == "unreachable"
    assert report.reason is not None
    assert "cannot reach the database" in report.reason


async def test_a_server_that_never_answers_is_reported_by_the_probe_timeout() -> None:
    """The server accepts and then says nothing until the test ends: only the probe's own
    timeout can end the check, so a verdict at all proves it (however slow the machine,
    the check never waits for the server)."""
    held: list[asyncio.StreamWriter] = []
    silent = asyncio.Event()  # set by the test only after the verdict: never an answer

    async def accept_and_hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        await silent.wait()

    server = await asyncio.start_server(accept_and_hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    database = Database(f"postgresql+asyncpg://nps:nps@127.0.0.1:{port}/nps")
    try:
        probe = HealthProbe(database, timeout=0.3)
        report = await asyncio.wait_for(probe.check(), timeout=HANG_GUARD_SECONDS)
    finally:
        silent.set()
        for writer in held:
            writer.close()
        server.close()
        await database.dispose()

    assert report.database == "unreachable"
    assert report.reason == "the database did not answer within 0.3 s"


def test_the_timeout_must_be_positive(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    with pytest.raises(ValueError, match="positive"):
        HealthProbe(database, timeout=0)
