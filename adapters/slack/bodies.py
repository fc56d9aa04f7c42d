"""The events endpoint: request bodies Bolt cannot read refused before Bolt reads them,
and the others dispatched to Bolt in the request built to check them.

Bolt's aiohttp adapter decodes the body as UTF-8 and parses it (a JSON object, a form, or a
form whose ``payload`` field holds JSON) while building its request, before it checks the
signature, and its context extraction, authorization and matchers then index into the
result assuming Slack's shapes (``event`` an object, ``actions`` a list of objects, …).
Invalid UTF-8, ``payload=null`` or ``"event": null`` would raise inside Bolt and come back
as a 500. Slack never sends such a body; whoever does gets a 400, and nothing runs.

Bolt reads the ids of a request (user, team, channel, enterprise) while building it, before
it checks the signature; the endpoint builds Bolt's own request from the body first, so
a field Bolt cannot read (``"event": {"user": 7}``) is refused here, signed or not,
rather than raising inside Bolt for anyone who can reach the port. The request it built
is the one it hands Bolt (``AsyncApp.async_dispatch``, as Bolt's own aiohttp handler
does), so the body is parsed once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def bolt_request(body: bytes, *, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest | None:
    """Bolt's own request built from ``body``, as its aiohttp adapter builds one (the body
    parsed as JSON, a form with a JSON ``payload``, or a form, and the ids read from it);
    None when building it fails or the body is not an object.

    Parsing a 5 KB click costs about 0.4 ms (URL-decoding its JSON), so the request built
    here is the one Bolt dispatches (:func:`bolt_endpoint`): the body is parsed once."""
    given: dict[str, str | Sequence[str]] = dict(headers.items())
    try:
        request = AsyncBoltRequest(body=body.decode("utf-8"), query=query, headers=given)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        # UnicodeDecodeError and JSONDecodeError are ValueErrors; the others are Bolt
        # indexing into a body of another shape.
        return None
    return request if isinstance(request.body, dict) else None


# What Bolt's context extraction, authorization and listener matching read without checking
# its type: these fields, when present, must have the shape Slack gives them.
_OBJECTS = ("event", "view", "user", "team", "container", "message", "channel", "state")
_LISTS_OF_OBJECTS = ("authorizations", "actions", "response_urls")
_TEXTS = ("type", "response_url", "trigger_id", "team_id", "user_id", "channel_id")
_NESTED_TEXTS = {
    "event": ("type", "subtype", "tab", "channel_type"),
    "view": ("type", "callback_id", "private_metadata", "id"),
    "user": ("id", "team_id"),
    "team": ("id", "enterprise_id"),
    "actions": ("action_id", "block_id", "type", "value"),
}
_INTERACTIONS = {"block_actions", "view_submission", "view_closed"}


def shaped_like_slack(payload: Mapping[str, Any]) -> bool:
    """True when every field Bolt or the listeners read unchecked has Slack's shape."""
    if any(not isinstance(payload.get(key, {}), dict) for key in _OBJECTS):
        return False
    if not isinstance(payload.get("enterprise") or {}, dict):
        return False
    for key in _LISTS_OF_OBJECTS:
        items = payload.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return False
    if not _texts_or_absent(payload, _TEXTS):
        return False
    for key, texts in _NESTED_TEXTS.items():
        inner = payload.get(key)
        for item in inner if isinstance(inner, list) else [inner or {}]:
            if not _texts_or_absent(item, texts):
                return False
    if not _form_values_shaped(payload.get("view") or {}):
        return False
    # A view has at most one input with a response URL; Bolt fails on more than one.
    if len(payload.get("response_urls") or []) > 1:
        return False
    if not _answerable(payload):
        return False
    if "command" in payload and not isinstance(payload.get("user_id"), str):
        return False  # Slack always says who typed a command; the listener reads it
    if payload.get("type") in _INTERACTIONS:
        # Slack always says who acted, and which button: Bolt's matchers and the
        # listeners rely on both.
        if not isinstance(payload.get("user", {}).get("id"), str):
            return False
        if payload["type"] == "block_actions" and not all(
            isinstance(action.get("action_id"), str) for action in payload.get("actions") or [{}]
        ):
            return False
    return True


def _answerable(payload: Mapping[str, Any]) -> bool:
    """A response URL is a web address, and is there wherever Slack always sends one: with
    a slash command, and with a click on a message (the listeners answer through it)."""
    url = payload.get("response_url")
    if url is not None:
        parts = urlsplit(str(url))
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            return False
    container = payload.get("container") or {}
    needs_one = "command" in payload or (
        payload.get("type") == "block_actions" and container.get("type") == "message"
    )
    return url is not None or not needs_one


def _form_values_shaped(view: Mapping[str, Any]) -> bool:
    """A form's ``state.values`` as the listeners read it: blocks of inputs of objects."""
    state = view.get("state", {})
    values = state.get("values", {}) if isinstance(state, dict) else None
    if not isinstance(values, dict):
        return False
    blocks = list(values.values())
    if not all(isinstance(block, dict) for block in blocks):
        return False
    return all(isinstance(element, dict) for block in blocks for element in block.values())


def _texts_or_absent(item: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    return all(item.get(key) is None or isinstance(item.get(key), str) for key in keys)


def bolt_endpoint(app: AsyncApp, *, path: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware serving POSTs to ``path``: 400 to a body Bolt could not read
    or that has not Slack's shape, else Bolt's dispatch of the request built to check it
    (what Bolt's own aiohttp handler does, but for building the request a second time)."""

    @web.middleware
    async def endpoint(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path or request.method != "POST":
            return await handler(request)
        built = bolt_request(
            await request.read(), query=request.query_string, headers=request.headers
        )
        if built is None or not shaped_like_slack(built.body):
            return web.Response(status=400, text="malformed request")
        return await to_aiohttp_response(await app.async_dispatch(built))

    return endpoint
