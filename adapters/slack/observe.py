"""Measuring the Slack endpoint: time to the ack, and the requests and listeners that fail.

The latency is taken around the whole HTTP exchange (an aiohttp middleware), because the
ack Slack waits for *is* the HTTP response; listeners that keep working after the ack are
not part of it. Their failures reach Bolt's error handler instead, counted here as
``listener`` errors and logged as Bolt's default handler would.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from adapters.slack.deps import PersonUnknown
from bot.ports.platform import DeliveryUncertain, PlatformUnreachable
from bot.runtime.context import Metrics

PLATFORM = "slack"

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def latency_middleware(
    metrics: Metrics, *, path: str
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware timing the requests to ``path``; 4xx/5xx count as errors."""

    @web.middleware
    async def observe(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path:
            return await handler(request)
        started = time.perf_counter()
        try:
            response = await handler(request)
        except web.HTTPException as answered:
            _observe(metrics, started, answered.status)
            raise
        except Exception:
            _observe(metrics, started, 500)
            raise
        _observe(metrics, started, response.status)
        return response

    return observe


def handle_listener_errors(app: AsyncApp, metrics: Metrics | None = None) -> None:
    """Log (and, with ``metrics``, count) every exception a listener of ``app`` raises.

    A request whose person Slack would not describe (`PersonUnknown`) is expected input,
    not a fault: one line, no traceback, and a 200 when it was not acknowledged yet (a
    500 would make Slack show an error and retry). So is the network failing under a
    request: a message whose outcome Slack lost (`DeliveryUncertain`: it may have been
    posted, and is not sent again blindly), a connection refused or timed out
    (`PlatformUnreachable`, or the SDK's own error where a call is not wrapped). Anything
    else is a fault: logged with its traceback, and answered 500 as Bolt does.
    """

    async def listener_failed(
        error: Exception, response: BoltResponse | None
    ) -> BoltResponse | None:
        if isinstance(error, PersonUnknown):
            log.warning("a Slack request was not served: users.info said %s", error.reason)
            return BoltResponse(status=200, body="") if response is not None else None
        network = DeliveryUncertain | PlatformUnreachable | aiohttp.ClientError | TimeoutError
        if isinstance(error, network):
            log.warning("a Slack request was not finished: %s", _network_failure(error))
            if metrics is not None:
                metrics.count_platform_error(platform=PLATFORM, kind="network")
            return None
        log.error("a Slack listener failed: %s", error, exc_info=error)
        if metrics is not None:
            metrics.count_platform_error(platform=PLATFORM, kind="listener")
        return None

    app.error(listener_failed)


def _network_failure(error: Exception) -> str:
    """What went wrong on the network, in one line."""
    if isinstance(error, DeliveryUncertain):
        return f"a message may have been posted but Slack's answer was lost ({error})"
    if isinstance(error, PlatformUnreachable):
        return f"Slack could not be reached ({error.detail})"
    return f"Slack could not be reached ({type(error).__name__}: {error})"


def count_listener_errors(app: AsyncApp, metrics: Metrics) -> None:
    """Count (and log) every exception a listener of ``app`` raises."""
    handle_listener_errors(app, metrics)


def _observe(metrics: Metrics, started: float, status: int) -> None:
    metrics.observe_request(
        platform=PLATFORM,
        seconds=time.perf_counter() - started,
        error=f"http_{status}" if status >= 400 else None,
    )
