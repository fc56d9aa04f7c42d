"""``POST /api/surveys/{survey}/send``: other systems ask one person right after a touchpoint.

Served with the other operations endpoints, only when a bearer token is configured
(``API_TOKEN``). The token is compared in constant time; a request without it is
answered 401 with ``WWW-Authenticate: Bearer``. The body is ``{"user": "<platform user
id>"}``; ``{survey}`` is the survey's UUID or name in a workspace or server this process
is connected to (a name that several of them use is refused with 409: use the id). The
answer is ``{"result": "sent"}`` or ``{"result": "not_eligible"}``: the frequency policy
and opt-outs decide, and the caller never learns why a person was skipped. Before any
platform has connected the answer is 503. Errors are JSON objects with a stable
``error`` code and a ``detail`` for the developer.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.ports.reach import Reach
from bot.runtime.context import Sending

SEND_PATH = "/api/surveys/{survey}/send"
MAX_BODY_BYTES = 1024
# Slack ids are upper-case letters and digits, Discord's are digits: nothing else is a user.
USER_ID = re.compile(r"[A-Za-z0-9]{1,64}")
# Platforms connect within seconds of the start; a client may simply ask again.
RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class SendApi:
    """The send endpoint: its token, the send use cases and the tenants connected now.

    A survey is looked up in each tenant ``reaches()`` gives (one lookup each: a process
    serves a handful of workspaces and servers).
    """

    token: str
    sending: Sending
    reaches: Callable[[], Sequence[Reach]]

    def route(self) -> web.RouteDef:
        """``POST /api/surveys/{survey}/send``, answered here."""
        return web.post(SEND_PATH, self.send)

    async def send(self, request: web.Request) -> web.Response:
        if not self._authorised(request.headers.get("Authorization", "")):
            return _error(
                401,
                "unauthorized",
                "a valid bearer token is required",
                headers={"WWW-Authenticate": 'Bearer realm="nps-bot"'},
            )
        body = await _body(request, limit=MAX_BODY_BYTES)
        if body is None:
            return _error(400, "invalid_body", f"the body must be at most {MAX_BODY_BYTES} bytes")
        user, problem = _user_of(body)
        if user is None:
            return _error(400, "invalid_body", problem)
        reaches = self.reaches()
        if not reaches:
            return _error(
                503,
                "not_connected",
                "no workspace or server is connected yet",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        found = await self._surveys(reaches, ref=request.match_info["survey"])
        if not found:
            return _error(404, "unknown_survey", "no such survey in this workspace")
        if len(found) > 1:
            return _error(
                409, "ambiguous_survey", "several workspaces have a survey by this name: use its id"
            )
        [(reach, name)] = found
        sent = await self.sending.send(reach, survey=name, user_id=user)
        return web.json_response({"result": "sent" if sent else "not_eligible"})

    async def _surveys(self, reaches: Sequence[Reach], *, ref: str) -> list[tuple[Reach, str]]:
        """Each connected tenant that has a survey ``ref``, with that survey's name."""
        found = []
        for reach in reaches:
            name = await self.sending.survey_name(reach, ref=ref)
            if name is not None:
                found.append((reach, name))
        return found

    def _authorised(self, header: str) -> bool:
        return _bearer_is(header, self.token)


def bearer_matches(request: web.Request, token: str) -> bool:
    """Whether ``request`` carries ``token`` as its bearer token (compared in constant
    time)."""
    return _bearer_is(request.headers.get("Authorization", ""), token)


def _bearer_is(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


async def _body(request: web.Request, *, limit: int) -> bytes | None:
    """The request body, or None when it is longer than ``limit`` bytes (read no further)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = b""
    while len(body) <= limit:
        chunk = await request.content.read(limit + 1 - len(body))
        if not chunk:
            return body
        body += chunk
    return None


def _user_of(body: bytes) -> tuple[str | None, str]:
    """The user id of a request body, or None and what is wrong with it."""
    try:
        payload: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, 'the body must be JSON: {"user": "<platform user id>"}'
    if not isinstance(payload, dict) or set(payload) != {"user"}:
        return None, 'the body must be an object with exactly one key, "user"'
    user = payload["user"]
    if not isinstance(user, str) or not USER_ID.fullmatch(user):
        return None, '"user" must be a platform user id (1-64 letters and digits)'
    return user, ""


def _error(
    status: int, code: str, detail: str, *, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status, headers=headers)
