"""Serving the app: Bolt's endpoint over HTTP (aiohttp), or a Socket Mode connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"


@asynccontextmanager
async def http_server(app: AsyncApp, *, host: str, port: int) -> AsyncIterator[str]:
    """Serve ``app`` at ``/slack/events`` on ``host:port`` (0: any free port).

    Yields the origin actually bound (``http://host:port``); stops on exit.
    """
    runner = web.AppRunner(app.web_app(path=EVENTS_PATH), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


async def serve_http(app: AsyncApp, *, host: str, port: int) -> None:
    """Answer Slack's HTTP requests until cancelled."""
    async with http_server(app, host=host, port=port):
        await asyncio.Event().wait()


async def serve_socket_mode(app: AsyncApp, *, app_token: str) -> None:
    """Hold a Socket Mode connection (reconnecting as slack_sdk does) until cancelled."""
    handler = AsyncSocketModeHandler(app, app_token=app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
