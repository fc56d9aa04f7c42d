"""Waiting in tests for what must happen eventually, however slow the machine is.

A test waits on an event, a count or a condition, never for a guessed span of time: a
loaded machine must only make a test slower, never make it fail. The one limit on such a
wait is :data:`HANG_GUARD_SECONDS`, which turns a hung test into a failure.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

HANG_GUARD_SECONDS = 120.0
"""How long a test waits for something that must happen eventually before it calls the
run hung. Only a guard against a hung test: no healthy run, however loaded the machine,
comes near it, so no assertion may count on anything happening sooner."""

POLL_SECONDS = 0.02
"""The pause between two looks of :func:`eventually` (how often, not how long)."""


async def eventually(
    check: Callable[[], bool] | Callable[[], Awaitable[bool]], *, what: str = "the condition"
) -> None:
    """Return once ``check()`` (plain or awaitable) holds; fail naming ``what`` only
    when it still does not after :data:`HANG_GUARD_SECONDS`.

    For effects that have no event to wait on (work running after an acknowledgement,
    another process's output); where an event exists, wait on it instead.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_GUARD_SECONDS
    while True:
        outcome = check()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not hold within {HANG_GUARD_SECONDS:g} s")
        await asyncio.sleep(POLL_SECONDS)
