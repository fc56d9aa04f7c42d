"""The operations endpoints' own HTTP server, for deployments without a Slack HTTP server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.runtime.context import ConfigurationError, OpsContext, OpsRoutes

log = logging.getLogger(__name__)


@asynccontextmanager
async def ops_server(
    routes: OpsRoutes, *, host: str, port: int, shutdown_timeout: float
) -> AsyncIterator[str]:
    """Serve ``routes`` on ``host:port`` (0: any free port); yields the origin bound
    (``http://host:port``). On exit it stops listening, then lets the requests in hand
    finish (up to ``shutdown_timeout``).

    Raises ``ConfigurationError`` when the address cannot be bound (in use, not local).
    """
    app = web.Application()
    routes.add_to(app)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            raise ConfigurationError(
                f"cannot serve /healthz and /metrics on {host}:{port}: "
                f"{error.strerror or error}; "
                "set HEALTH_PORT (or HTTP_HOST) to a free local address"
            ) from error
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


async def serve_ops(context: OpsContext, routes: OpsRoutes) -> None:
    """Serve ``routes`` on ``context.host:context.port`` until ``context.stopping`` is
    set (or until cancelled); then stop listening and finish the requests in hand."""
    async with ops_server(
        routes, host=context.host, port=context.port, shutdown_timeout=context.shutdown_timeout
    ) as origin:
        log.info("serving the operations endpoints (/healthz, /metrics) on %s", origin)
        await context.stopping.wait()
