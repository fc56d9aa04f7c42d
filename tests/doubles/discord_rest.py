"""The Discord double's REST API: login, application, commands, guilds, users, and faults.

``rest_routes`` lists every route under ``/api/v10`` (message routes come from
``discord_rest_messages``); ``rest_middleware`` wraps them the way Discord's edge does:
bot-token check (interaction webhooks need none), injected 429s with the headers
discord.py's rate limiter reads, Discord-style JSON for unknown routes, and a request log.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .discord_http import (
    MISSING_ACCESS,
    UNAUTHORIZED,
    UNKNOWN_APPLICATION,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_USER,
    discord_error,
    json_response,
)
from .discord_payloads import (
    JSON,
    GuildSpec,
    guild_channel_payload,
    guild_members,
    guild_payload,
    member_payload,
    role_payloads,
    user_payload,
)
from .discord_records import CommandSync, RequestLogEntry
from .discord_rest_messages import MessageRoutes
from .discord_state import DoubleState

API_PREFIX = "/api/v10"
# Routes an interaction token authorises; Discord wants no bot token on them.
_TOKENLESS = ("/interactions/", "/webhooks/")
# Application flags: members intent granted / limited (see the application object docs).
GATEWAY_GUILD_MEMBERS = 1 << 14
GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15


def application_flags(state: DoubleState) -> int:
    return GATEWAY_GUILD_MEMBERS_LIMITED if state.grant_members_intent else 0


def route_name(request: web.Request) -> str:
    """``"METHOD /template"`` with discord.py's path template, e.g. ``"GET /users/@me"``."""
    resource = request.match_info.route.resource
    path = request.path if resource is None else resource.canonical
    return f"{request.method} {path.removeprefix(API_PREFIX)}"


def rest_middleware(state: DoubleState) -> Middleware:
    """The edge behaviour around every ``/api`` route (see the module docstring)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        route = route_name(request)
        response = await _answer(request, handler, route)
        state.request_log.append(
            RequestLogEntry(
                method=request.method,
                path=request.path.removeprefix(API_PREFIX),
                route=route,
                status=response.status,
            )
        )
        return response

    async def _answer(request: web.Request, handler: Handler, route: str) -> web.StreamResponse:
        tokenless = request.path.removeprefix(API_PREFIX).startswith(_TOKENLESS)
        if not tokenless and request.headers.get("Authorization") != f"Bot {state.token}":
            return discord_error(401, UNAUTHORIZED, "401: Unauthorized")
        fault = state.take_rate_limit(route)
        if fault is not None:
            return _too_many_requests(
                route, retry_after=fault.retry_after, is_global=fault.is_global
            )
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return discord_error(404, 0, "404: Not Found")
        except web.HTTPMethodNotAllowed:
            return discord_error(405, 0, "405: Method Not Allowed")

    return middleware


def _too_many_requests(route: str, *, retry_after: float, is_global: bool) -> web.Response:
    # discord.py treats a 429 without a Via header as a Cloudflare ban, so Via is required.
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": f"bucket-{abs(hash(route)) % 10**8:08d}",
        "X-RateLimit-Scope": "global" if is_global else "user",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
        "code": 0,
    }
    return json_response(body, status=429, headers=headers)


class CoreRoutes:
    """Login, gateway discovery, application, commands, guild and user lookups."""

    def __init__(self, state: DoubleState, *, gateway_url: Callable[[], str]) -> None:
        self._state = state
        self._gateway_url = gateway_url

    def routes(self, prefix: str) -> list[web.RouteDef]:
        app = prefix + "/applications/{application_id}"
        guild = prefix + "/guilds/{guild_id}"
        return [
            web.get(prefix + "/users/@me", self.me),
            web.get(prefix + "/users/{user_id}", self.user),
            web.get(prefix + "/gateway", self.gateway),
            web.get(prefix + "/gateway/bot", self.gateway_bot),
            web.get(prefix + "/oauth2/applications/@me", self.application),
            web.get(prefix + "/applications/@me", self.application),
            web.get(app + "/commands", self.get_commands),
            web.put(app + "/commands", self.put_commands),
            web.get(app + "/guilds/{guild_id}/commands", self.get_commands),
            web.put(app + "/guilds/{guild_id}/commands", self.put_commands),
            web.get(guild, self.guild),
            web.get(guild + "/roles", self.roles),
            web.get(guild + "/members", self.members),
            web.get(guild + "/members/{user_id}", self.member),
            web.get(prefix + "/channels/{channel_id}", self.channel),
        ]

    async def me(self, request: web.Request) -> web.Response:
        bot = user_payload(self._state.bot)
        return json_response({**bot, "verified": True, "mfa_enabled": False})

    async def user(self, request: web.Request) -> web.Response:
        user = self._state.users.get(int(request.match_info["user_id"]))
        if user is None:
            return discord_error(404, UNKNOWN_USER, "Unknown User")
        return json_response(user_payload(user))

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self._gateway_url()})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return json_response(
            {"url": self._gateway_url(), "shards": 1, "session_start_limit": limit}
        )

    async def application(self, request: web.Request) -> web.Response:
        state = self._state
        return json_response(
            {
                "id": str(state.application_id),
                "name": state.bot.username,
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_payload(state.bot),
                "team": None,
                "verify_key": "0" * 64,
                "flags": application_flags(state),
                # A set endpoint URL would tell discord.py that interactions bypass the gateway.
                "interactions_endpoint_url": None,
                "bot": user_payload(state.bot),
            }
        )

    async def get_commands(self, request: web.Request) -> web.Response:
        if int(request.match_info["application_id"]) != self._state.application_id:
            return discord_error(404, UNKNOWN_APPLICATION, "Unknown Application")
        guild_id = _guild_id(request)
        return json_response(self._state.commands.get(guild_id, []))

    async def put_commands(self, request: web.Request) -> web.Response:
        state = self._state
        if int(request.match_info["application_id"]) != state.application_id:
            return discord_error(404, UNKNOWN_APPLICATION, "Unknown Application")
        guild_id = _guild_id(request)
        if guild_id is not None and guild_id not in state.guilds:
            return discord_error(403, MISSING_ACCESS, "Missing Access")
        sent = await request.json()
        if not isinstance(sent, list):
            return discord_error(400, 50035, "Invalid Form Body")
        stored = [self._registered(command, guild_id) for command in sent]
        state.commands[guild_id] = stored
        await state.command_syncs.append(CommandSync(guild_id=guild_id, commands=sent))
        return json_response(stored)

    def _registered(self, command: JSON, guild_id: int | None) -> JSON:
        """The command as Discord stores it; a name keeps its id across syncs."""
        state = self._state
        key = (guild_id, str(command["name"]))
        command_id = state.command_ids.setdefault(key, state.snowflakes.next())
        registered: JSON = {
            "type": 1,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **command,
            "id": str(command_id),
            "application_id": str(state.application_id),
            "version": str(state.snowflakes.next()),
        }
        if guild_id is not None:
            registered["guild_id"] = str(guild_id)
        return registered

    async def guild(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        if guild is None:
            return discord_error(404, UNKNOWN_GUILD, "Unknown Guild")
        state = self._state
        return json_response(guild_payload(guild, bot=state.bot, joined_at=state.joined_at))

    async def roles(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        if guild is None:
            return discord_error(404, UNKNOWN_GUILD, "Unknown Guild")
        return json_response(role_payloads(guild, self._state.bot))

    async def members(self, request: web.Request) -> web.Response:
        """Members ordered by user id, ``limit`` (1..1000, default 1) after user id ``after``."""
        guild = self._guild(request)
        if guild is None:
            return discord_error(404, UNKNOWN_GUILD, "Unknown Guild")
        if not self._state.grant_members_intent:
            return discord_error(403, MISSING_ACCESS, "Missing Access")
        limit = min(max(int(request.query.get("limit", "1")), 1), 1000)
        after = int(request.query.get("after", "0"))
        page = [m for m in guild_members(guild, self._state.bot) if m.user.id > after][:limit]
        return json_response([member_payload(m, joined_at=self._state.joined_at) for m in page])

    async def member(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        if guild is None:
            return discord_error(404, UNKNOWN_GUILD, "Unknown Guild")
        user_id = int(request.match_info["user_id"])
        member = next(
            (m for m in guild_members(guild, self._state.bot) if m.user.id == user_id), None
        )
        if member is None:
            return discord_error(404, UNKNOWN_MEMBER, "Unknown Member")
        return json_response(member_payload(member, joined_at=self._state.joined_at))

    async def channel(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        guild = self._state.guild_of_channel(channel_id)
        spec = None if guild is None else guild.channel(channel_id)
        if guild is None or spec is None:
            return discord_error(404, UNKNOWN_CHANNEL, "Unknown Channel")
        return json_response(guild_channel_payload(guild, spec))

    def _guild(self, request: web.Request) -> GuildSpec | None:
        return self._state.guilds.get(int(request.match_info["guild_id"]))


def _guild_id(request: web.Request) -> int | None:
    raw = request.match_info.get("guild_id")
    return None if raw is None else int(raw)


def rest_routes(state: DoubleState, *, gateway_url: Callable[[], str]) -> list[web.RouteDef]:
    """Every REST route of the double, mounted under ``API_PREFIX``."""
    return [
        *CoreRoutes(state, gateway_url=gateway_url).routes(API_PREFIX),
        *MessageRoutes(state).routes(API_PREFIX),
    ]
