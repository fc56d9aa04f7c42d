"""The Discord double's gateway: a websocket speaking Discord's gateway protocol v10.

Per connection: HELLO (op 10) with the heartbeat interval, HEARTBEAT (op 1) answered with
HEARTBEAT_ACK (op 11), IDENTIFY (op 2) answered with READY and one GUILD_CREATE per
configured guild (none when told so), RESUME (op 6) answered with RESUMED,
REQUEST_GUILD_MEMBERS (op 8) answered with one GUILD_MEMBERS_CHUNK. Dispatches carry
increasing sequence numbers.

Only ``encoding=json`` is spoken. With ``compress=zlib-stream`` the double sends one shared
zlib stream in binary frames, each flushed with Z_SYNC_FLUSH (the ``00 00 ff ff`` suffix
the client waits for); with any other ``compress`` value (discord.py asks for
``zstd-stream`` when a zstd module is installed) it sends plain text frames, which the
client accepts too.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .discord_payloads import (
    JSON,
    guild_create_payload,
    guild_members,
    member_payload,
    user_payload,
)
from .discord_records import RecordFeed
from .discord_rest import application_flags
from .discord_state import DoubleState

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11

# Close codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
DECODE_ERROR = 4002
AUTHENTICATION_FAILED = 4004
DISALLOWED_INTENTS = 4014
GUILD_MEMBERS_INTENT = 1 << 1
PRESENCES_INTENT = 1 << 8
MESSAGE_CONTENT_INTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS_INTENT | PRESENCES_INTENT | MESSAGE_CONTENT_INTENT


@dataclass(kw_only=True)
class GatewaySession:
    """One identified gateway session, which may move to a new socket on RESUME."""

    session_id: str
    intents: int
    socket: web.WebSocketResponse
    sequence: int = 0
    compressor: Any = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, payload: JSON) -> None:
        """Send one gateway payload; sequence numbers are assigned by the caller."""
        socket = self.socket
        if socket.closed:
            raise ConnectionError(f"gateway session {self.session_id} has no open socket")
        text = json.dumps(payload, separators=(",", ":"))
        async with self.send_lock:
            if self.compressor is None:
                await socket.send_str(text)
            else:
                data = self.compressor.compress(text.encode())
                await socket.send_bytes(data + self.compressor.flush(zlib.Z_SYNC_FLUSH))

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send event ``event`` with the session's next sequence number; returns it."""
        self.sequence += 1
        await self.send({"op": DISPATCH, "t": event, "s": self.sequence, "d": data})
        return self.sequence


class Gateway:
    """Serves the websocket endpoint and tracks the sessions of connected clients."""

    def __init__(
        self,
        state: DoubleState,
        *,
        heartbeat_interval_ms: int,
        url: str = "",
        guild_creates: bool = True,
    ) -> None:
        self._state = state
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._guild_creates = guild_creates
        self.url = url
        self.sessions: dict[str, GatewaySession] = {}
        self.identifies: RecordFeed[JSON] = state.feed()
        self.resumes: RecordFeed[JSON] = state.feed()
        self.heartbeats = 0
        self._sockets: set[web.WebSocketResponse] = set()

    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.socket.closed]

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a dispatch event to every live session; there must be at least one."""
        sessions = self.live_sessions()
        if not sessions:
            raise RuntimeError("no client is connected to the gateway")
        for session in sessions:
            await session.dispatch(event, data)

    async def request_reconnect(self) -> None:
        """Send RECONNECT (op 7): each client closes its socket and RESUMEs its session."""
        for session in self.live_sessions():
            await session.send({"op": RECONNECT, "d": None})

    async def close_all(self) -> None:
        for socket in list(self._sockets):
            await socket.close(code=1001)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        if request.query.get("encoding", "json") != "json":
            await socket.close(code=DECODE_ERROR, message=b"only json encoding is supported")
            return socket
        self._sockets.add(socket)
        compressor = zlib.compressobj() if request.query.get("compress") == "zlib-stream" else None
        # The socket has no session until IDENTIFY or RESUME; HELLO goes out on a stub.
        pending = GatewaySession(session_id="", intents=0, socket=socket, compressor=compressor)
        session: GatewaySession | None = None
        try:
            await pending.send(
                {"op": HELLO, "d": {"heartbeat_interval": self._heartbeat_interval_ms}}
            )
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(message.data)
                session = await self._on_payload(payload, pending, session) or session
        finally:
            self._sockets.discard(socket)
        return socket

    async def _on_payload(
        self, payload: JSON, pending: GatewaySession, session: GatewaySession | None
    ) -> GatewaySession | None:
        op = payload.get("op")
        data: JSON = payload.get("d") or {}
        current = session or pending
        if op == HEARTBEAT:
            self.heartbeats += 1
            await current.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            return await self._identify(data, pending)
        elif op == RESUME:
            return await self._resume(data, pending)
        elif op == REQUEST_GUILD_MEMBERS and session is not None:
            await self._send_member_chunk(data, session)
        return None

    async def _identify(self, data: JSON, pending: GatewaySession) -> GatewaySession | None:
        await self.identifies.append(data)
        socket = pending.socket
        if data.get("token") != self._state.token:
            await socket.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents") or 0)
        if intents & GUILD_MEMBERS_INTENT and not self._state.grant_members_intent:
            await socket.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            intents=intents,
            socket=socket,
            compressor=pending.compressor,
            send_lock=pending.send_lock,
        )
        self.sessions[session.session_id] = session
        await session.dispatch("READY", self._ready(session, data))
        state = self._state
        for guild in state.guilds.values() if self._guild_creates else ():
            payload = guild_create_payload(
                guild,
                bot=state.bot,
                joined_at=state.joined_at,
                all_members=bool(intents & GUILD_MEMBERS_INTENT),
            )
            await session.dispatch("GUILD_CREATE", payload)
        return session

    def _ready(self, session: GatewaySession, identify: JSON) -> JSON:
        state = self._state
        ready: JSON = {
            "v": 10,
            "user": {**user_payload(state.bot), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g), "unavailable": True} for g in state.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(state.application_id), "flags": application_flags(state)},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
            "_trace": ["nps-bot-discord-double"],
        }
        if "shard" in identify:
            ready["shard"] = identify["shard"]
        return ready

    async def _resume(self, data: JSON, pending: GatewaySession) -> GatewaySession | None:
        await self.resumes.append(data)
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self._state.token:
            await pending.send({"op": INVALID_SESSION, "d": False})
            return None
        # The old socket is gone; the session continues on this one and its stream.
        session.socket = pending.socket
        session.compressor = pending.compressor
        session.send_lock = pending.send_lock
        await session.dispatch("RESUMED", {"_trace": ["nps-bot-discord-double"]})
        return session

    async def _send_member_chunk(self, data: JSON, session: GatewaySession) -> None:
        state = self._state
        guild = state.guilds.get(int(data["guild_id"]))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        user_ids = {int(u) for u in data.get("user_ids") or []}
        limit = int(data.get("limit") or 0)
        members = [
            m
            for m in guild_members(guild, state.bot)
            if (not user_ids or m.user.id in user_ids) and m.user.username.lower().startswith(query)
        ]
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [member_payload(m, joined_at=state.joined_at) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if "nonce" in data:
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
