"""HTTP helpers shared by the Discord double's REST routes: errors and request bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import BodyPartReader, web

from .discord_records import RecordedFile, RequestBody

# Discord JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
UNKNOWN_ACCOUNT = 10001
UNKNOWN_APPLICATION = 10002
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_USER = 10013
UNKNOWN_INTERACTION = 10062
UNAUTHORIZED = 0  # 401s carry code 0
ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
EMPTY_MESSAGE = 50006
CANNOT_DM_USER = 50007
INVALID_RECIPIENTS = 50033


def json_response(
    data: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response typed exactly ``application/json``, as Discord sends it.

    discord.py decodes a body only when the content type is exactly that string, so
    aiohttp's default (which appends ``; charset=utf-8``) would reach it as plain text.
    """
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def discord_error(status: int, code: int, message: str) -> web.Response:
    """An error response shaped like Discord's: ``{"message": ..., "code": ...}``."""
    return json_response({"message": message, "code": code}, status=status)


async def read_body(request: web.Request) -> RequestBody:
    """Decode a JSON body, or a multipart body of ``payload_json`` plus ``files[n]`` parts.

    An empty body decodes to an empty JSON object (discord.py sends none for some routes).
    """
    if request.content_type.startswith("multipart/"):
        return await _read_multipart(request)
    raw = await request.read()
    payload: Any = json.loads(raw) if raw else {}
    if not isinstance(payload, dict):
        raise web.HTTPBadRequest(reason="expected a JSON object")
    return RequestBody(json=payload)


async def _read_multipart(request: web.Request) -> RequestBody:
    reader = await request.multipart()
    payload: dict[str, Any] = {}
    files: list[RecordedFile] = []
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise web.HTTPBadRequest(reason="nested multipart bodies are not supported")
        if part.name == "payload_json":
            payload = json.loads(await part.text())
        elif part.filename is not None:
            files.append(
                RecordedFile(
                    field_name=part.name or "",
                    filename=part.filename,
                    content_type=part.headers.get("Content-Type"),
                    data=bytes(await part.read()),
                )
            )
    return RequestBody(json=payload, files=tuple(files))


def is_empty_message(body: RequestBody) -> bool:
    """Discord refuses (50006) a new message without content, embeds, components or files."""
    return not (
        body.content
        or body.embeds
        or body.components
        or body.files
        or body.json.get("poll")
        or body.json.get("sticker_ids")
    )
