"""Socket Mode on the Slack double: ``apps.connections.open`` and the websocket it names.

The real ``slack_sdk`` Socket Mode client asks ``apps.connections.open`` (with an app-level
``xapp-`` token; a bot token is refused with ``not_allowed_token_type``, as Slack does) for
a websocket URL, connects, and is greeted with ``hello``. Pings are answered by aiohttp.
This is enough to hold a connection; no envelopes are pushed through it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiohttp import WSCloseCode, web

from tests.doubles.slack_records import Payload, SlackError

SOCKET_PATH = "/socket-mode/link"
APP_TOKEN_PREFIX = "xapp-"


class SocketModeDouble:
    """Hands out websocket URLs and holds the connections made to them.

    ``connected`` is set once a client has been greeted; ``greeted`` counts greetings.
    """

    def __init__(self, *, app_id: str) -> None:
        self._app_id = app_id
        self._sockets: set[web.WebSocketResponse] = set()
        self.greeted = 0
        self.connected = asyncio.Event()

    def open(self, token: str | None, *, origin: str) -> Payload:
        """The answer to ``apps.connections.open`` called with ``token``."""
        if not token:
            raise SlackError("not_authed")
        if not token.startswith(APP_TOKEN_PREFIX):
            raise SlackError("not_allowed_token_type")
        return {"ok": True, "url": f"ws{origin.removeprefix('http')}{SOCKET_PATH}"}

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.add(socket)
        try:
            await socket.send_json(self._hello())
            self.greeted += 1
            self.connected.set()
            async for _ in socket:
                pass  # acknowledgements would arrive here; nothing is pushed
        finally:
            self._sockets.discard(socket)
        return socket

    async def close_all(self) -> None:
        """Close the connections still open (as Slack does when it rotates them)."""
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY)

    def _hello(self) -> Mapping[str, Any]:
        return {
            "type": "hello",
            "num_connections": len(self._sockets),
            "connection_info": {"app_id": self._app_id},
            "debug_info": {"host": "nps-double", "approximate_connection_time": 18060},
        }
