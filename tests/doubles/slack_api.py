"""A local stand-in for Slack's Web API, served over HTTP on the loopback interface.

Point a real `slack_sdk.web.async_client.AsyncWebClient` at it with
``AsyncWebClient(base_url=slack.base_url, token="xoxb-...")``::

    async with SlackApiDouble() as slack:
        slack.workspace.add_user(SlackUser(id="U1", name="ann", locale="ja-JP"))
        client = AsyncWebClient(base_url=slack.base_url, token="xoxb-test")
        await client.chat_postMessage(channel="U1", text="hi")
        assert slack.last("chat.postMessage").params["text"] == "hi"

Every Web API call is recorded in order (`calls`, `last`) with its merged arguments
(query string, form body and JSON body) and request headers, including faulted calls.
`workspace` holds the state the answers come from; `faults` injects refusals, rate
limits and server errors. `add_workspace` serves further workspaces, each to its own bot
token; `accept_app` answers ``oauth.v2.access`` for codes a test grants; `socket_mode`
greets Socket Mode clients (see `tests.doubles.slack_socket`). File bytes POSTed
to an upload URL issued by `files.getUploadURLExternal` land in ``workspace.files``;
messages sent to a response URL under `hooks_url` land in `responses`.

Every bot token holds scopes (the manifest's bot scopes unless told otherwise): a method
needing a scope the token lacks gets ``missing_scope``, and every answer to a call with a
token lists the token's scopes in the ``x-oauth-scopes`` header, as Slack's do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from tests.doubles.slack_faults import DROPPED, FaultPlan
from tests.doubles.slack_oauth import OAuthGrants, access_payload
from tests.doubles.slack_records import Payload, SlackError
from tests.doubles.slack_scopes import manifest_scopes, refusal
from tests.doubles.slack_socket import SOCKET_PATH, SocketModeDouble
from tests.doubles.slack_workspace import SlackWorkspace
from tests.support.loopback import serve_on_loopback

_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


@dataclass(frozen=True)
class RecordedCall:
    """One Web API call as the double received it, and how it was answered.

    ``fault`` is the injected error code (``ratelimited``, ``internal_error``, a
    configured refusal) or None; ``error`` is the ``error`` of an ``ok: false`` answer
    from either source.
    """

    method: str
    http_method: str
    params: Mapping[str, Any]
    headers: CIMultiDictProxy[str]
    status: int
    error: str | None
    fault: str | None
    at: float = 0.0
    """When the call arrived, on the double's fault clock (``time.monotonic`` by default)."""

    @property
    def token(self) -> str | None:
        """The token sent as ``Authorization: Bearer ...`` or as a ``token`` argument."""
        return _token_of(self.headers, self.params)

    @property
    def ok(self) -> bool:
        """Whether the call was answered ``ok: true``."""
        return self.status == 200 and self.error is None


@dataclass(frozen=True)
class ResponseUrlPost:
    """A message an app sent to a response URL (``respond()`` in Bolt)."""

    path: str
    payload: Payload


class SlackApiDouble:
    """Slack's Web API on ``127.0.0.1`` and a free port, for one `async with` block.

    Args:
        workspace: the state to serve; a fresh `SlackWorkspace` by default.
        token: when set, calls with another token get ``invalid_auth``; calls without
            any token always get ``not_authed``.
        seed: seeds the random draws of injected server errors.
        clock: monotonic seconds, used for rate-limit windows.
        scopes: what ``token`` (and any token of the default workspace) was granted;
            the bot scopes of ``adapters/slack/manifest.yml`` by default.
    """

    def __init__(
        self,
        *,
        workspace: SlackWorkspace | None = None,
        token: str | None = None,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
        scopes: Collection[str] | None = None,
    ) -> None:
        self.workspace = workspace or SlackWorkspace()
        self.scopes = frozenset(scopes) if scopes is not None else manifest_scopes()
        self._scopes_by_token: dict[str, frozenset[str]] = {}
        self.faults = FaultPlan(seed=seed, clock=clock)
        self._token = token
        # Further workspaces, each reached with its own bot token (distribution mode).
        self._workspaces_by_token: dict[str, SlackWorkspace] = {}
        self.oauth: OAuthGrants | None = None
        self.socket_mode = SocketModeDouble(app_id=self.workspace.app_id)
        self._calls: list[RecordedCall] = []
        self._api_connections: set[object] = set()
        self.responses: list[ResponseUrlPost] = []
        self._server = AsyncExitStack()
        self._origin: str | None = None
        self._hang: tuple[str, int] | None = None
        self._released = asyncio.Event()
        self._gather: tuple[str, int] | None = None
        self._gathered = asyncio.Event()

    async def __aenter__(self) -> SlackApiDouble:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Bind a free loopback port and start answering."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle_api)
        app.router.add_get("/api/{method}", self._handle_api)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        app.router.add_post("/hooks/{path:.*}", self._handle_hook)
        app.router.add_get(SOCKET_PATH, self.socket_mode.handle)
        self._origin = await self._server.enter_async_context(serve_on_loopback(app))

    async def close(self) -> None:
        """Stop the server; recorded calls and workspace state stay readable."""
        self.release()
        await self.socket_mode.close_all()
        await self._server.aclose()

    def hang(self, method: str, *, from_call: int) -> None:
        """From the ``from_call``-th call of ``method`` on (counting from 1), carry the
        call out (a message is posted) but hold the HTTP response until `release`, as a
        network that drops answers would: the caller cannot know the call took effect."""
        self._hang = (method, from_call)
        self._released.clear()

    def release(self) -> None:
        """Stop hanging calls, and answer the ones held so far."""
        self._hang = None
        self._released.set()
        self._gathered.set()

    def gather(self, method: str, *, calls: int) -> None:
        """Hold every answer of ``method`` until ``calls`` calls of it have arrived, then
        answer them all at once: callers that were each waiting on it go on together, so
        what they do next truly overlaps (a race a test means to provoke)."""
        self._gather = (method, calls)
        self._gathered.clear()

    @property
    def base_url(self) -> str:
        """The Web API base URL, ending in ``/api/`` as `AsyncWebClient` joins method names."""
        return f"{self._origin_or_fail()}/api/"

    @property
    def hooks_url(self) -> str:
        """Base for response URLs (``{hooks_url}/...``) whose posts land in `responses`."""
        return f"{self._origin_or_fail()}/hooks"

    def add_workspace(
        self, workspace: SlackWorkspace, *, bot_token: str, scopes: Collection[str] | None = None
    ) -> None:
        """Serve ``workspace`` to calls made with ``bot_token``, which holds ``scopes``
        (the manifest's bot scopes by default)."""
        self._workspaces_by_token[bot_token] = workspace
        self._scopes_by_token[bot_token] = (
            frozenset(scopes) if scopes is not None else manifest_scopes()
        )

    def accept_app(self, *, client_id: str, client_secret: str) -> OAuthGrants:
        """Answer ``oauth.v2.access`` for this app; grant codes on what is returned.

        An exchanged code's bot token then reaches its workspace (`add_workspace`).
        """
        self.oauth = OAuthGrants(client_id=client_id, client_secret=client_secret)
        return self.oauth

    def _origin_or_fail(self) -> str:
        if self._origin is None:
            raise RuntimeError("the Slack API double is not running")
        return self._origin

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Recorded calls in arrival order, of ``method`` only when given."""
        return [call for call in self._calls if method is None or call.method == method]

    @property
    def api_connections(self) -> int:
        """How many TCP connections Web API calls arrived on (told apart by the
        caller's address and port), however many calls each carried."""
        return len(self._api_connections)

    def last(self, method: str) -> RecordedCall:
        """The latest call of ``method``; AssertionError when there was none."""
        matching = self.calls(method)
        if not matching:
            seen = sorted({call.method for call in self._calls})
            raise AssertionError(f"no {method} call was made; calls seen: {seen}")
        return matching[-1]

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.transport is not None:
            self._api_connections.add(request.transport.get_extra_info("peername"))
        params = await _read_params(request)
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        fault = self.faults.decide(method, params)
        extra: Mapping[str, str] = {}
        if fault is None:
            status = 200
            payload, granted = self._answer(method, params, headers, request)
            if granted is not None:
                extra = {"x-oauth-scopes": ",".join(sorted(granted))}
            fault = self.faults.lost_answer(method, params) if payload.get("ok") else None
            if fault is not None:
                status, payload = fault.status, {"ok": False, "error": fault.error}
        else:
            status, extra = fault.status, fault.headers
            payload = {"ok": False, "error": fault.error}
        self._calls.append(
            RecordedCall(
                method=method,
                http_method=request.method,
                params=params,
                headers=headers,
                status=status,
                error=None if payload.get("ok") else str(payload.get("error")),
                fault=fault.error if fault is not None else None,
                at=self.faults.clock(),
            )
        )
        gather = self._gather
        if gather is not None and gather[0] == method:
            if len(self.calls(method)) >= gather[1]:
                self._gathered.set()
            await self._gathered.wait()
        hang = self._hang
        if hang is not None and hang[0] == method and len(self.calls(method)) >= hang[1]:
            await self._released.wait()
        if fault is not None and fault.error == DROPPED:
            # The call took effect; the client sees its connection close unanswered.
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        return web.json_response(payload, status=status, headers=extra)

    def _answer(
        self,
        method: str,
        params: Mapping[str, Any],
        headers: Mapping[str, str],
        request: web.Request,
    ) -> tuple[Payload, frozenset[str] | None]:
        """The answer, and the scopes of the bot token that was answered (None for none)."""
        granted: frozenset[str] | None = None
        try:
            if method == "oauth.v2.access" and self.oauth is not None:
                grant = self.oauth.exchange(params, headers)
                self.add_workspace(
                    grant.workspace, bot_token=grant.bot_token, scopes=grant.scopes.split(",")
                )
                return access_payload(grant), None
            token = _token_of(headers, params)
            if method == "apps.connections.open":
                return self.socket_mode.open(token, origin=str(request.url.origin())), None
            if not token:
                raise SlackError("not_authed")
            workspace = self._workspaces_by_token.get(token)
            if workspace is None:
                if self._token is not None and token != self._token:
                    raise SlackError("invalid_auth")
                workspace = self.workspace
            granted = self._scopes_by_token.get(token, self.scopes)
            missing = refusal(method, params, granted)
            if missing:
                return missing, granted
            return workspace.answer(method, params, origin=str(request.url.origin())), granted
        except SlackError as error:
            return {"ok": False, "error": error.code}, granted

    async def _handle_upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        # The upload URL was issued by one of the workspaces served; only it knows the id.
        workspaces = [self.workspace, *self._workspaces_by_token.values()]
        file_id = request.match_info["file_id"]
        if not any(workspace.receive_upload(file_id, data) for workspace in workspaces):
            return web.Response(status=404, text="Not Found")
        # Slack's upload host answers in plain text, which slack_sdk reads as such.
        return web.Response(text=f"OK - {len(data)}")

    async def _handle_hook(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.responses.append(ResponseUrlPost(path=request.match_info["path"], payload=payload))
        return web.Response(text="ok")


def _token_of(headers: Mapping[str, str], params: Mapping[str, Any]) -> str | None:
    authorization = headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ")
    token = params.get("token")
    return str(token) if token else None


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Arguments from the query string, then a form or JSON body (later ones win)."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type in _FORM_TYPES:
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    elif request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    return params
