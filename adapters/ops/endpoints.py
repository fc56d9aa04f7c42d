"""``/healthz`` for load balancers and orchestrators, ``/metrics`` for Prometheus.

``/healthz`` answers 200 with the probe's JSON (``status``, ``database``, ``scheduler``),
or 503 with a ``reason`` while the database is unreachable; it is never cached.
``/metrics`` answers the process's metrics in the Prometheus text format; with a
``METRICS_TOKEN`` only to a request that carries it as its bearer token (Prometheus's
``authorization`` scrape setting), 401 to any other.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.ops.send_api import SendApi, bearer_matches
from bot.runtime.context import OpsContext, OpsRoutes

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def ops_routes(context: OpsContext) -> OpsRoutes:
    """The health and metrics endpoints of ``context``, and the send API when it has a
    token."""
    routes = [web.get(HEALTH_PATH, _health(context)), web.get(METRICS_PATH, _metrics(context))]
    if context.api_token is not None:
        api = SendApi(token=context.api_token, sending=context.sending, reaches=context.reaches.all)
        routes.append(api.route())
    return OpsRoutes(routes=tuple(routes))


def _health(context: OpsContext) -> Handler:
    async def healthz(_request: web.Request) -> web.Response:
        report = await context.health.check()
        return web.Response(
            status=200 if report.healthy else 503,
            text=json.dumps(report.as_json()),
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    return healthz


def _metrics(context: OpsContext) -> Handler:
    async def render(request: web.Request) -> web.Response:
        token = context.metrics_token
        if token is not None and not bearer_matches(request, token):
            return web.json_response(
                {"error": "unauthorized", "detail": "a valid bearer token is required"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="nps-bot metrics"'},
            )
        response = web.Response(body=context.metrics.render())
        # The exposition type carries a version parameter aiohttp's content_type refuses.
        response.headers["Content-Type"] = context.metrics.content_type
        return response

    return render
