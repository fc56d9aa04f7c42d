"""Refusing request bodies Bolt cannot read, before Bolt reads them.

Bolt's aiohttp adapter decodes the body as UTF-8 and parses it (a JSON object, a form, or a
form whose ``payload`` field holds JSON) while building its request, before it checks the
signature, and its context extraction, authorization and matchers then index into the
result assuming Slack's shapes (``event`` an object, ``actions`` a list of objects, …).
Invalid UTF-8, ``payload=null`` or ``"event": null`` would raise inside Bolt and come back
as a 500. Slack never sends such a body; whoever does gets a 400, and nothing runs.

Bolt reads the ids of a request (user, team, channel, enterprise) while building it, before
it checks the signature; the guard builds Bolt's own request from the body first, so a
field Bolt cannot read (``"event": {"user": 7}``) is refused here, signed or not, rather
than raising inside Bolt for anyone who can reach the port.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def read_as_bolt_does(body: bytes, content_type: str) -> dict[str, Any] | None:
    """``body`` as Bolt reads it: its own request built from it, as its aiohttp adapter
    builds one (the body parsed as JSON, a form with a JSON ``payload``, or a form, and the
    ids read from it); None when building it fails or the body is not an object.

    The body is parsed once here; a 5 KB click costs about 0.4 ms to parse (URL-decoding
    the JSON), which Bolt then spends again on the same bytes."""
    try:
        request = AsyncBoltRequest(
            body=body.decode("utf-8"), headers={"content-type": content_type}
        )
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        # UnicodeDecodeError and JSONDecodeError are ValueErrors; the others are Bolt
        # indexing into a body of another shape.
        return None
    parsed: object = request.body
    return parsed if isinstance(parsed, dict) else None


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


def well_formed_bodies(*, path: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware answering 400 to a POST to ``path`` that Bolt could not parse."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == path and request.method == "POST":
            # read() keeps the body, so Bolt reads the same bytes afterwards.
            body = await request.read()
            payload = read_as_bolt_does(body, request.content_type)
            if payload is None or not shaped_like_slack(payload):
                return web.Response(status=400, text="malformed request")
        return await handler(request)

    return guard
