"""Graceful shutdown of ``nps-bot run``: finish what was accepted, then stop, in order.

On SIGTERM or SIGINT :class:`Lifecycle` asks the platforms to stop taking new work
(``stopping``; Slack's HTTP server closes its socket and finishes the requests it is
serving), lets the interactions already accepted finish (:class:`InFlight`), stops the
scheduler once its running jobs are done, closes the platform connections, and returns,
so the composition root disposes the database last. Everything after the signal shares
one grace period; whatever is still running when it ends is cancelled (its transaction
rolls back whole) before the database is closed, never after.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Protocol, cast

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

TaskFactory = Callable[..., "asyncio.Future[Any]"]
IdleWait = Callable[[Coroutine[Any, Any, Any]], bool]
"""Tells a task that only waits (a prompt's expiry) from work, by its coroutine."""


class InFlight:
    """The work accepted from people and not finished yet.

    A platform wraps the handling of each request in :meth:`tracking`; every task created
    inside (Bolt runs listeners and lazy listeners as tasks after its ack), and every
    task those create, is tracked through the loop's task factory until it is done.
    """

    def __init__(self) -> None:
        self._inside: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "nps_bot_inflight", default=False
        )
        self._waiting: contextvars.ContextVar[IdleWait | None] = contextvars.ContextVar(
            "nps_bot_inflight_waits", default=None
        )
        self._tasks: set[asyncio.Future[Any]] = set()
        self._sections = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Track tasks created on ``loop`` inside :meth:`tracking` (keeps any factory)."""
        previous: TaskFactory | None = loop.get_task_factory()

        def factory(
            loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kwargs: Any
        ) -> asyncio.Future[Any]:
            if previous is not None:
                task = previous(loop, coro, **kwargs)
            else:
                task = asyncio.Task(coro, loop=loop, **kwargs)
            waits = self._waiting.get()
            if self._inside.get() and not (waits is not None and waits(coro)):
                self._tasks.add(task)
                self._settle()
                task.add_done_callback(self._finished)
            return task

        loop.set_task_factory(cast(Any, factory))

    @contextmanager
    def tracking(self) -> Iterator[None]:
        """Count the enclosed work, and every task it starts, as in flight."""
        token = self._inside.set(True)
        self._sections += 1
        self._settle()
        try:
            yield
        finally:
            self._sections -= 1
            self._inside.reset(token)
            self._settle()

    @contextmanager
    def adopting(self, *, idle: IdleWait | None = None) -> Iterator[None]:
        """Track every task started inside (and their tasks), without counting the block
        itself: for a platform client whose event handlers run as tasks it creates.

        ``idle`` names the tasks that only wait and are no work (a shown prompt waiting to
        expire): those are not tracked, so a stop does not wait for them.
        """
        token = self._inside.set(True)
        waits = self._waiting.set(idle)
        try:
            yield
        finally:
            self._waiting.reset(waits)
            self._inside.reset(token)

    @property
    def busy(self) -> bool:
        return self._sections > 0 or bool(self._tasks)

    def _finished(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        self._settle()

    def _settle(self) -> None:
        if self.busy:
            self._idle.clear()
        else:
            self._idle.set()

    async def drain(self, *, deadline: float) -> int:
        """Wait until nothing is in flight or the loop time ``deadline`` passes; then
        cancel (and await) what is left. Returns how many tasks had to be cancelled."""
        await wait_until(self._idle, deadline=deadline)
        leftover = [task for task in self._tasks if not task.done()]
        for task in leftover:
            task.cancel()
        if leftover:
            await asyncio.gather(*leftover, return_exceptions=True)
        return len(leftover)


async def wait_until(event: asyncio.Event, *, deadline: float) -> bool:
    """Wait for ``event`` until the loop time ``deadline``; True if it was set."""
    remaining = deadline - asyncio.get_running_loop().time()
    with suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout=max(0.0, remaining))
    return event.is_set()


class Stoppable(Protocol):
    """The scheduler as the lifecycle sees it."""

    async def stop(self, *, deadline: float) -> None: ...


class Lifecycle:
    """Runs the platforms until a stop signal, then shuts down in order within
    ``grace_seconds``. ``stopping`` is set when platforms must stop taking new work;
    ``inflight`` tracks the work they accepted."""

    def __init__(self, *, grace_seconds: float) -> None:
        self.grace_seconds = grace_seconds
        self.stopping = asyncio.Event()
        self.inflight = InFlight()
        self._closers: list[Callable[[], Awaitable[object]]] = []

    def close_when_stopped(self, close: Callable[[], Awaitable[object]]) -> None:
        """Call ``close`` once everything has stopped, the scheduler and the platforms:
        for what a platform opens that outlives its own ``serve`` (an HTTP session the
        scheduler's deliveries send through). Closers run last registered first."""
        self._closers.append(close)

    def request_stop(self) -> None:
        if not self.stopping.is_set():
            log.info("stopping: finishing the work in flight (grace %.0f s)", self.grace_seconds)
        self.stopping.set()

    @contextmanager
    def signals(self) -> Iterator[None]:
        """Turn SIGTERM and SIGINT into :meth:`request_stop` inside the block."""
        loop = asyncio.get_running_loop()
        for number in STOP_SIGNALS:
            loop.add_signal_handler(number, self.request_stop)
        try:
            yield
        finally:
            for number in STOP_SIGNALS:
                loop.remove_signal_handler(number)

    async def run(self, platforms: Sequence[Awaitable[None]], *, scheduler: Stoppable) -> None:
        """Serve ``platforms`` until a signal (or until they all end), then shut down.

        A platform that fails starts the same orderly shutdown, and its error is raised
        once everything has stopped.
        """
        loop = asyncio.get_running_loop()
        self.inflight.install(loop)
        serving = [asyncio.ensure_future(platform) for platform in platforms]
        stop = asyncio.ensure_future(self.stopping.wait())
        pending: set[asyncio.Future[Any]] = {*serving, stop}
        while not stop.done():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(task.exception() for task in done if task is not stop and not task.cancelled()):
                break
            if not pending - {stop}:
                break
        self.stopping.set()
        deadline = loop.time() + self.grace_seconds
        cancelled = await self.inflight.drain(deadline=deadline)
        if cancelled:
            log.warning("stopping: %d interactions did not finish in time", cancelled)
        await scheduler.stop(deadline=deadline)
        failures = [
            error
            for task in serving
            if task.done() and not task.cancelled() and (error := task.exception()) is not None
        ]
        await _close(serving, deadline=deadline)
        stop.cancel()
        for close in reversed(self._closers):
            try:
                await close()
            except Exception:
                log.exception("stopping: a connection did not close cleanly")
        if failures:
            raise failures[0]
        log.info("stopped")


async def _close(serving: Sequence[asyncio.Future[None]], *, deadline: float) -> None:
    """Let platforms that are stopping by themselves finish, then close the others
    (cancelling a platform's ``serve`` closes its connection)."""
    loop = asyncio.get_running_loop()
    running = [task for task in serving if not task.done()]
    if running:
        await asyncio.wait(running, timeout=max(0.0, min(1.0, deadline - loop.time())))
    for task in serving:
        task.cancel()
    for task in serving:
        with suppress(asyncio.CancelledError, Exception):
            await task
