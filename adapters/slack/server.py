"""Serving the app: Bolt's endpoint over HTTP (aiohttp), or a Socket Mode connection.

In HTTP mode the same server answers the operations endpoints (``/healthz``,
``/metrics``, the send API) when given their routes, so the process serves them on
this one port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from adapters.slack.bodies import bolt_endpoint
from adapters.slack.observe import Handler, count_listener_errors, latency_middleware
from bot.runtime.context import InFlight, Metrics, OpsRoutes

EVENTS_PATH = "/slack/events"


@asynccontextmanager
async def http_server(
    app: AsyncApp,
    *,
    host: str,
    port: int,
    ops: OpsRoutes | None = None,
    metrics: Metrics | None = None,
    inflight: InFlight | None = None,
    shutdown_timeout: float = 60.0,
) -> AsyncIterator[str]:
    """Serve ``app`` at ``/slack/events`` on ``host:port`` (0: any free port).

    With ``ops``, the operations endpoints are served here too. With ``metrics``, every
    request to the events endpoint is timed and its failures counted. With
    ``inflight``, each request to the events endpoint, and the listeners Bolt starts for
    it after the ack, count as work in flight.
    Yields the origin actually bound (``http://host:port``). On exit it stops listening
    first, then lets the requests being served finish (up to ``shutdown_timeout``).
    """
    web_app = app.web_app(path=EVENTS_PATH)
    if inflight is not None:
        web_app.middlewares.append(_tracking_middleware(inflight, path=EVENTS_PATH))
    if ops is not None:
        ops.add_to(web_app)
    if metrics is not None:
        web_app.middlewares.append(latency_middleware(metrics, path=EVENTS_PATH))
        count_listener_errors(app, metrics)
    web_app.middlewares.append(bolt_endpoint(app, path=EVENTS_PATH))
    runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


async def serve_http(
    app: AsyncApp,
    *,
    host: str,
    port: int,
    ops: OpsRoutes | None = None,
    metrics: Metrics | None = None,
    inflight: InFlight | None = None,
    stopping: asyncio.Event | None = None,
    shutdown_timeout: float = 60.0,
) -> None:
    """Answer Slack's HTTP requests (and the operations endpoints, when given) until
    cancelled or until ``stopping`` is set; then stop listening and finish the requests
    in hand."""
    async with http_server(
        app,
        host=host,
        port=port,
        ops=ops,
        metrics=metrics,
        inflight=inflight,
        shutdown_timeout=shutdown_timeout,
    ):
        await (stopping or asyncio.Event()).wait()


async def serve_socket_mode(
    app: AsyncApp,
    *,
    app_token: str,
    stopping: asyncio.Event | None = None,
    connected: AbstractAsyncContextManager[None] | None = None,
) -> None:
    """Hold a Socket Mode connection (reconnecting as slack_sdk does) until cancelled or
    until ``stopping`` is set.

    The first socket address is asked for inside ``connected``, which may turn a refusal
    into a clearer error: slack_sdk's own connect retries every failure forever, a
    revoked or wrong app token included.
    """
    # Imported here: an HTTP-mode process never holds the Socket Mode client.
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token=app_token)
    client = handler.client
    try:
        async with connected or nullcontext():
            opened = await client.web_client.apps_connections_open(app_token=app_token)
        client.wss_uri = str(opened["url"])
        await handler.connect_async()  # type: ignore[no-untyped-call]
    except BaseException:
        await handler.close_async()  # type: ignore[no-untyped-call]
        raise
    try:
        await (stopping or asyncio.Event()).wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


def _tracking_middleware(
    inflight: InFlight, *, path: str
) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def track(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path:
            return await handler(request)
        with inflight.tracking():
            return await handler(request)

    return track
