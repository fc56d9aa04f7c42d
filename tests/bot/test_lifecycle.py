"""Graceful shutdown pieces: work in flight is waited for, scheduled jobs finish."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.runtime.lifecycle import InFlight, Lifecycle
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from tests.support.waiting import HANG_GUARD_SECONDS


def forever() -> asyncio.Future[bool]:
    """A task that never ends by itself (however long the test takes), until cancelled."""
    return asyncio.ensure_future(asyncio.Event().wait())


async def test_drain_waits_for_tasks_started_inside_tracking_and_their_children() -> None:
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    finished: list[str] = []
    spawned: list[asyncio.Future[None]] = []  # fire and forget, as Bolt does after its ack

    async def child() -> None:
        await asyncio.sleep(0.2)
        finished.append("child")

    async def listener() -> None:
        await asyncio.sleep(0.1)
        spawned.append(asyncio.ensure_future(child()))
        finished.append("listener")

    with inflight.tracking():
        spawned.append(asyncio.ensure_future(listener()))
    untracked = forever()

    loop = asyncio.get_running_loop()
    cancelled = await inflight.drain(deadline=loop.time() + HANG_GUARD_SECONDS)

    assert cancelled == 0
    assert finished == ["listener", "child"]
    assert not untracked.done(), "work nobody accepted from a person is not waited for"
    untracked.cancel()


async def test_drain_cancels_what_outlives_the_grace_period() -> None:
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    with inflight.tracking():
        stuck = forever()

    loop = asyncio.get_running_loop()
    cancelled = await inflight.drain(deadline=loop.time() + 0.1)

    assert cancelled == 1 and stuck.cancelled()


async def test_stop_lets_a_running_job_finish_and_starts_no_other(services: Services) -> None:
    scheduler = WaveScheduler(services.waves, [])
    started = asyncio.Event()
    runs: list[str] = []

    async def slow() -> None:
        started.set()
        await asyncio.sleep(0.3)
        runs.append("done")

    scheduler.add_daily(slow, job_id="slow")
    await scheduler.start()
    job = scheduler.scheduler.get_job("slow")
    assert job is not None
    job.modify(next_run_time=datetime.now(UTC))
    scheduler.scheduler.wakeup()
    await asyncio.wait_for(started.wait(), timeout=HANG_GUARD_SECONDS)

    loop = asyncio.get_running_loop()
    await scheduler.stop(deadline=loop.time() + HANG_GUARD_SECONDS)
    await asyncio.sleep(0)  # APScheduler completes its shutdown on the next loop turn

    assert runs == ["done"]
    assert not scheduler.scheduler.running
    scheduler.shutdown()  # a second shutdown (the composition root's) is harmless


async def test_adopting_tracks_the_tasks_a_client_starts_but_not_the_client_itself() -> None:
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    handled: list[str] = []
    started = asyncio.Event()

    async def handler() -> None:
        await asyncio.sleep(0.1)
        handled.append("interaction")

    async def serve() -> None:  # a platform's long-lived connection, running handlers as tasks
        with inflight.adopting():
            handlers = [asyncio.ensure_future(handler())]
            started.set()
            await asyncio.Event().wait()  # open until closed, starting no task of its own
            handlers.clear()

    connection = asyncio.ensure_future(serve())
    await started.wait()

    loop = asyncio.get_running_loop()
    assert await inflight.drain(deadline=loop.time() + HANG_GUARD_SECONDS) == 0
    assert handled == ["interaction"]
    assert not connection.done(), "the connection is closed after the drain, not awaited"
    connection.cancel()


async def test_what_a_platform_leaves_open_closes_after_the_scheduler_and_the_platforms(
    services: Services,
) -> None:
    scheduler = WaveScheduler(services.waves, [])
    lifecycle = Lifecycle(grace_seconds=HANG_GUARD_SECONDS)
    order: list[str] = []
    started = asyncio.Event()

    async def delivering() -> None:  # a scheduled delivery still sending at the signal
        started.set()
        await asyncio.sleep(0.2)
        order.append("job finished")

    async def platform() -> None:
        lifecycle.close_when_stopped(close_first_registered)
        lifecycle.close_when_stopped(close_session)
        await lifecycle.stopping.wait()
        order.append("platform stopped")

    async def close_first_registered() -> None:
        order.append("closed first registered")

    async def close_session() -> None:
        order.append("session closed")
        raise RuntimeError("a close that fails does not keep the others open")

    scheduler.add_daily(delivering, job_id="delivering")
    await scheduler.start()
    job = scheduler.scheduler.get_job("delivering")
    assert job is not None
    job.modify(next_run_time=datetime.now(UTC))
    scheduler.scheduler.wakeup()

    async def signal_once_started() -> None:
        await asyncio.wait_for(started.wait(), timeout=HANG_GUARD_SECONDS)
        lifecycle.request_stop()

    stopper = asyncio.ensure_future(signal_once_started())
    await lifecycle.run([platform()], scheduler=scheduler)
    await stopper
    scheduler.shutdown()

    assert order == [
        "platform stopped",
        "job finished",
        "session closed",
        "closed first registered",
    ]
