"""The Web API client, with slack_sdk's own retry handlers instead of retry loops.

Given the workspace's :class:`~bot.ports.pacing.Pace`, every retry of a rate-limited (429) or
failed (500/503) call first waits as its handler says (Retry-After, a short backoff) and
then takes a start slot of that pace, like a first attempt does, so a fan-out paced
just under the limit stays under it while it retries.

``chat.postMessage`` is never retried after a server error or a lost connection: Slack
may have posted the message before its answer was lost, and a blind retry would show
the person a second one. The error reaches the caller instead; delivery keeps such an
invitation ``sending`` and looks its nonce up in the DM before any resend (see
:mod:`bot.usecases.waves.delivery`). A 429 is retried for every method: Slack refused
the call, nothing was posted.
"""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.ports.pacing import Pace

DEFAULT_BASE_URL = "https://slack.com/api/"

# Enough to ride out a burst (each rate-limit retry waits Retry-After seconds) and a run
# of server errors without holding a request forever; a call that still fails surfaces
# as SlackApiError (its invitation is given back and tried again on a later run).
RATE_LIMIT_RETRIES = 5
SERVER_ERROR_RETRIES = 4
CONNECTION_RETRIES = 2


NOT_REPEATABLE = frozenset({"chat.postMessage"})
"""Methods whose effect a second call would repeat (a second message)."""


def _repeats_an_effect(request: HttpRequest) -> bool:
    return request.url.rstrip("/").rsplit("/", 1)[-1] in NOT_REPEATABLE


class _SafeServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's server-error retries, except for `NOT_REPEATABLE` methods."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _repeats_an_effect(request):
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class _SafeConnectionErrorRetryHandler(AsyncConnectionErrorRetryHandler):
    """slack_sdk's lost-connection retries, except for `NOT_REPEATABLE` methods."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _repeats_an_effect(request):
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class _NoJitter(Jitter):
    """Backoff without random spread: the pace already spreads retries out."""

    def recalculate(self, duration: float) -> float:
        return duration


SERVER_ERROR_BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.25, jitter=_NoJitter())
"""0.25 s, 0.5 s, 1 s, 2 s: a retry soon after a transient error, then slower."""


class _PacedServerErrorRetryHandler(_SafeServerErrorRetryHandler):
    def __init__(self, *, pace: Pace, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count, interval_calculator=SERVER_ERROR_BACKOFF)
        self._pace = pace

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )
        await self._pace.slot()


class _PacedRateLimitErrorRetryHandler(AsyncRateLimitErrorRetryHandler):
    def __init__(self, *, pace: Pace, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._pace = pace

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )
        await self._pace.slot()


async def team_of(*, token: str, base_url: str | None = None) -> str:
    """The id of the workspace ``token`` speaks for (one `auth.test`), before any client
    is paced: the pace is the workspace's, so it is chosen once the workspace is known."""
    answer = await build_client(token=token, base_url=base_url).auth_test()
    return str(answer["team_id"])


def build_client(
    *,
    token: str | None,
    base_url: str | None = None,
    pace: Pace | None = None,
    session: aiohttp.ClientSession | None = None,
) -> AsyncWebClient:
    """An `AsyncWebClient` that honours 429 Retry-After and retries 5xx and lost connections
    (but not a `NOT_REPEATABLE` call that may have taken effect).

    ``base_url`` points the client at another Web API (a proxy, a local test double);
    ``pace``, when given, is the workspace's pace that every retry takes a slot of.
    ``token`` may be None for a client whose token comes with each request (Bolt's
    per-request client in distribution mode copies this one's settings). ``session``,
    when given, carries every call (its connections are kept and reused; the caller
    closes it); without one, slack_sdk opens a session, and a connection, per call.
    """
    handlers: list[AsyncRetryHandler]
    if pace is None:
        handlers = [
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            _SafeServerErrorRetryHandler(
                max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=SERVER_ERROR_BACKOFF
            ),
        ]
    else:
        handlers = [
            _PacedRateLimitErrorRetryHandler(pace=pace, max_retry_count=RATE_LIMIT_RETRIES),
            _PacedServerErrorRetryHandler(pace=pace, max_retry_count=SERVER_ERROR_RETRIES),
        ]
    handlers.append(_SafeConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES))
    return AsyncWebClient(
        token=token,
        base_url=base_url or DEFAULT_BASE_URL,
        retry_handlers=handlers,
        session=session,
    )
