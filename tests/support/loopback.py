"""Serving an aiohttp application on the loopback interface for the length of a test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from tests.support.waiting import HANG_GUARD_SECONDS


@asynccontextmanager
async def serve_on_loopback(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on ``127.0.0.1`` and a free port; yield its origin (``http://host:port``).

    The server stops, and its connections close, when the block exits.
    """
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


async def listens(port: int, process: asyncio.subprocess.Process) -> bool:
    """Wait until something accepts connections on ``127.0.0.1:port``: True once it
    does, False when ``process`` exits first (or it still does not after the hang guard:
    a loaded machine takes many seconds to import and migrate, so no test counts on
    fewer)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_GUARD_SECONDS
    while process.returncode is None and loop.time() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return True
    return False
