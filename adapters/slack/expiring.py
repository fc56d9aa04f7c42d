"""Values fetched from Slack on demand and kept for a while: one fetch at a time per key.

Hand-written rather than taken from a caching library: the project has none as a
dependency, and what is needed is small but specific to an async Web API client — one
fetch in flight per key (a burst of clicks on a cold cache makes one call, not one per
click), an injected clock (tests move time), and a failed fetch that keeps serving the
last value known for a short while instead of failing the person's request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

RETRY_AFTER_FAILURE = 60.0
"""Seconds a failed fetch is not tried again (a missing scope, a rate limit that
outlasted the client's retries): the last value known, or the fallback, serves meanwhile."""

LOOKUP_ERRORS = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError)
"""What a fetch that Slack refused, or that the network lost, raises after the client's
own retry handlers have given up."""


@dataclass(frozen=True)
class _Entry(Generic[V]):
    value: V
    expires: float


class ExpiringCache(Generic[K, V]):
    """Per key, the value of the last fetch, for ``ttl`` seconds.

    One instance belongs to one workspace (its label sources, or the people who answer
    there); nothing here is shared between workspaces or processes. Expired entries are
    dropped whenever a new one is stored, so a workspace's cache holds at most the people
    seen within ``ttl``.
    """

    def __init__(
        self,
        *,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
        retry_after_failure: float = RETRY_AFTER_FAILURE,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._retry_after_failure = retry_after_failure
        self._entries: dict[K, _Entry[V]] = {}
        self._locks: dict[K, asyncio.Lock] = {}

    async def get(self, key: K, fetch: Callable[[], Awaitable[V]], *, fallback: V) -> V:
        """The value for ``key``: cached while fresh, else ``fetch()``-ed.

        When the fetch fails with a Slack or network error, the expired value (or
        ``fallback`` when there is none) is served and kept for a short while; the error
        is logged, never raised.
        """

        async def fetch_or_known() -> tuple[V, float]:
            try:
                return await fetch(), self._ttl
            except LOOKUP_ERRORS as error:
                log.warning("Slack label lookup failed (%s); serving what was known", error)
                stale = self._entries.get(key)
                known = stale.value if stale is not None else fallback
                return known, self._retry_after_failure

        return await self._once(key, fetch_or_known)

    async def fetched(self, key: K, fetch: Callable[[], Awaitable[V]]) -> V:
        """The value for ``key``: cached while fresh, else ``fetch()``-ed, as :meth:`get`;
        but a failed fetch raises, and nothing is kept for it: for a value no stand-in
        can replace (who a person is)."""

        async def fetch_only() -> tuple[V, float]:
            return await fetch(), self._ttl

        return await self._once(key, fetch_only)

    async def _once(self, key: K, fetch: Callable[[], Awaitable[tuple[V, float]]]) -> V:
        """The fresh value for ``key``, or the one ``fetch`` gives (kept for the seconds it
        gives with it): one fetch at a time per key, the others waiting for its value."""
        entry = self._fresh(key)
        if entry is not None:
            return entry.value
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            entry = self._fresh(key)  # fetched by whoever held the lock before us
            if entry is not None:
                return entry.value
            value, keep = await fetch()
            now = self._clock()
            self._drop_expired(now)
            self._entries[key] = _Entry(value, now + keep)
            return value

    def _fresh(self, key: K) -> _Entry[V] | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry.expires > self._clock() else None

    def _drop_expired(self, now: float) -> None:
        for key in [key for key, entry in self._entries.items() if entry.expires <= now]:
            del self._entries[key]
        # A key's lock goes with its entry, or once a fetch that kept nothing has ended.
        for key in [key for key, lock in self._locks.items() if not lock.locked()]:
            if key not in self._entries:
                del self._locks[key]
