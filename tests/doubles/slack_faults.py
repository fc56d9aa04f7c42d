"""Faults the Slack Web API double injects: refused calls, rate limits and server errors.

A `FaultPlan` is consulted once per Web API call, before the workspace answers it. Rate
limits come first (a limited call never reaches the other rules), then random server
errors, then configured refusals. Faults *after the effect* (`after_effect`) are
consulted once the workspace has carried a call out: the message is posted, and the
answer is lost (a server error, or a dropped connection), so the caller cannot know.
Randomness comes from a seeded `random.Random`, so a
test that injects 5xx responses sees the same sequence on every run.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_SERVER_ERROR_CODES = {500: "internal_error", 503: "service_unavailable"}

DROPPED = "connection_dropped"
"""The error of an after-effect fault that closes the connection instead of answering."""


@dataclass(frozen=True)
class Fault:
    """The answer given instead of the real one: HTTP status, Slack error code, headers."""

    status: int
    error: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Refusal:
    method: str
    error: str
    where: Mapping[str, str]
    remaining: int | None

    def matches(self, method: str, params: Mapping[str, Any]) -> bool:
        if method != self.method or self.remaining == 0:
            return False
        return all(str(params.get(key)) == value for key, value in self.where.items())


@dataclass
class _RateLimit:
    calls: int
    window: float
    retry_after: int | None
    accepted: deque[float] = field(default_factory=deque)


@dataclass
class _OneLimit:
    allowed: int
    retry_after: int
    given: bool = False


@dataclass
class _ServerErrors:
    fraction: float
    methods: frozenset[str] | None
    status: int


class FaultPlan:
    """The faults to inject, and a count of those injected so far.

    ``injected`` counts faults by Slack error code (``ratelimited``, ``internal_error``,
    ``channel_not_found``, ...); ``total_injected`` is their sum.
    """

    def __init__(self, *, seed: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self._random = random.Random(seed)
        self._clock = clock
        self._refusals: list[_Refusal] = []
        self._rate_limits: dict[str, _RateLimit] = {}
        self._one_limits: dict[str, _OneLimit] = {}
        self._server_errors: _ServerErrors | None = None
        self._after_effects: list[_Refusal] = []
        self.injected: Counter[str] = Counter()

    def clock(self) -> float:
        """The time the rate limits count with."""
        return self._clock()

    @property
    def total_injected(self) -> int:
        """How many calls were answered with a fault."""
        return sum(self.injected.values())

    def fail(
        self,
        method: str,
        error: str,
        *,
        where: Mapping[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Refuse ``method`` with ``error`` (HTTP 200, ``ok: false``).

        ``where`` narrows the refusal to calls whose arguments have these values, e.g.
        ``{"channel": "C404"}`` or ``{"user": "U2"}``; ``times`` limits how often it
        applies (None: every time).
        """
        self._refusals.append(_Refusal(method, error, dict(where or {}), times))

    def rate_limit(
        self, method: str, *, calls: int, window: float, retry_after: int | None = None
    ) -> None:
        """Allow ``calls`` calls of ``method`` per sliding ``window`` seconds; then HTTP 429.

        ``Retry-After`` is ``retry_after`` when given, otherwise the whole seconds until
        the window frees a slot (at least 1), as Slack computes it.
        """
        self._rate_limits[method] = _RateLimit(calls, window, retry_after)

    def rate_limit_once(self, method: str, *, after: int = 1, retry_after: int = 1) -> None:
        """Let ``after`` calls of ``method`` through, answer the next one with HTTP 429 and
        ``Retry-After: retry_after``, then let every call through again.

        A limit counted in calls, not seconds: a test of how a client rides out a 429
        sees the same answers on a machine of any speed, where a window of seconds might
        have passed before the limited call arrived, or not yet when the retry did.
        """
        self._one_limits[method] = _OneLimit(after, retry_after)

    def server_errors(
        self, *, fraction: float, methods: Iterable[str] | None = None, status: int = 503
    ) -> None:
        """Answer about ``fraction`` of calls (of ``methods``, or all) with HTTP ``status``."""
        chosen = frozenset(methods) if methods is not None else None
        self._server_errors = _ServerErrors(fraction, chosen, status)

    def after_effect(
        self,
        method: str,
        *,
        status: int = 500,
        where: Mapping[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Carry out the next ``times`` calls of ``method`` (None: every one; ``where``
        narrows them as for `fail`), then lose their answers: HTTP ``status`` (500,
        503), or with ``status=0`` a connection closed unanswered."""
        error = DROPPED if status == 0 else _SERVER_ERROR_CODES.get(status, "fatal_error")
        self._after_effects.append(_Refusal(method, f"{status}:{error}", dict(where or {}), times))

    def lost_answer(self, method: str, params: Mapping[str, Any]) -> Fault | None:
        """The fault replacing the answer of a call already carried out, or None."""
        for planned in self._after_effects:
            if planned.matches(method, params):
                if planned.remaining is not None:
                    planned.remaining -= 1
                status, _, error = planned.error.partition(":")
                self.injected[error] += 1
                return Fault(int(status), error)
        return None

    def clear(self) -> None:
        """Stop injecting faults; the counts of past ones stay."""
        self._after_effects.clear()
        self._refusals.clear()
        self._rate_limits.clear()
        self._one_limits.clear()
        self._server_errors = None

    def decide(self, method: str, params: Mapping[str, Any]) -> Fault | None:
        """The fault for this call, or None to let the workspace answer it."""
        fault = (
            self._rate_limited(method)
            or self._server_error(method)
            or self._refused(method, params)
        )
        if fault is not None:
            self.injected[fault.error] += 1
        return fault

    def _rate_limited(self, method: str) -> Fault | None:
        once = self._one_limits.get(method)
        if once is not None and not once.given:
            if once.allowed > 0:
                once.allowed -= 1
                return None
            once.given = True
            return Fault(429, "ratelimited", {"Retry-After": str(once.retry_after)})
        limit = self._rate_limits.get(method)
        if limit is None:
            return None
        now = self._clock()
        while limit.accepted and limit.accepted[0] <= now - limit.window:
            limit.accepted.popleft()
        if len(limit.accepted) < limit.calls:
            limit.accepted.append(now)
            return None
        wait = limit.retry_after
        if wait is None:
            wait = max(1, math.ceil(limit.accepted[0] + limit.window - now))
        return Fault(429, "ratelimited", {"Retry-After": str(wait)})

    def _server_error(self, method: str) -> Fault | None:
        plan = self._server_errors
        if plan is None or (plan.methods is not None and method not in plan.methods):
            return None
        if self._random.random() >= plan.fraction:
            return None
        return Fault(plan.status, _SERVER_ERROR_CODES.get(plan.status, "fatal_error"))

    def _refused(self, method: str, params: Mapping[str, Any]) -> Fault | None:
        for refusal in self._refusals:
            if refusal.matches(method, params):
                if refusal.remaining is not None:
                    refusal.remaining -= 1
                return Fault(200, refusal.error)
        return None
