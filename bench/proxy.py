"""A round-robin HTTP proxy for the burst benchmark: one address in front of replicas.

Each request goes, whole, to the next backend in turn; its answer comes back with the
backend's status and body. It stands for the load balancer in front of Slack HTTP mode
replicas, and does nothing else (no retries, no health checks, no keep-alive tuning).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from tests.support.loopback import serve_on_loopback

_HOP_BY_HOP = frozenset({"host", "content-length", "connection", "transfer-encoding"})


@asynccontextmanager
async def round_robin(backends: Sequence[str]) -> AsyncIterator[str]:
    """Serve on loopback, forwarding to ``backends`` (origins) in turn; yields the origin."""
    turn = itertools.cycle(backends)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as client:

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
            url = next(turn) + request.rel_url.path_qs
            async with client.request(request.method, url, data=body, headers=headers) as answer:
                return web.Response(
                    status=answer.status,
                    body=await answer.read(),
                    content_type=answer.content_type,
                )

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", forward)
        async with serve_on_loopback(app) as origin:
            yield origin
