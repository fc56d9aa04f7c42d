"""A round-robin HTTP proxy for the burst benchmark: one address in front of replicas.

Each request goes, whole, to the next backend in turn; its answer comes back with the
backend's status and body. It stands for the load balancer in front of Slack HTTP mode
replicas, and does nothing else (no retries, no health checks, no keep-alive tuning).

It runs in a process of its own (:func:`round_robin`), as a load balancer would: served
from the bench's own event loop, beside the clicks and the Slack double, its two legs of
every request delayed the acks the bench measured whenever that loop fell behind.
``python -m bench.proxy PORT BACKEND...`` serves on ``127.0.0.1:PORT`` until stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.processes import free_port
from tests.support.loopback import listens

_PROJECT = Path(__file__).resolve().parents[1]
"""Where ``python -m bench.proxy`` finds the bench package."""
_HOP_BY_HOP = frozenset({"host", "content-length", "connection", "transfer-encoding"})


@dataclass(frozen=True)
class Proxy:
    """The running proxy: where it listens, and its process."""

    origin: str
    pid: int


@asynccontextmanager
async def round_robin(backends: Sequence[str]) -> AsyncIterator[Proxy]:
    """Start the proxy in front of ``backends`` (origins) as a child process; yield it,
    and stop it on exit. Raises if it does not start."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.proxy",
        str(port),
        *backends,
        cwd=_PROJECT,
    )
    try:
        if not await listens(port, process):
            raise RuntimeError("the round-robin proxy did not start")
        yield Proxy(origin=f"http://127.0.0.1:{port}", pid=process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def serve(port: int, backends: Sequence[str]) -> None:
    """Forward every request on ``127.0.0.1:port`` to ``backends`` in turn until SIGTERM."""
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
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            stopped = asyncio.Event()
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
            await stopped.wait()
        finally:
            await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m bench.proxy PORT BACKEND...", file=sys.stderr)
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(int(args[0]), args[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
