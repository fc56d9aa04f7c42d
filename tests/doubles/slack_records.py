"""Value types shared by the Slack Web API double, and the small parsing rules Slack applies."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Payload = dict[str, Any]


class SlackError(Exception):
    """A call Slack would answer with ``{"ok": false, "error": code}`` and HTTP 200."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, kw_only=True)
class SlackUser:
    """One member of the workspace as `users.info` describes it.

    ``team_id`` defaults to the workspace's team. ``locale`` is only reported when the
    caller asks with ``include_locale``, as Slack does.
    """

    id: str
    name: str
    real_name: str = ""
    display_name: str = ""
    email: str | None = None
    title: str = ""
    team_id: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_restricted: bool = False
    is_bot: bool = False
    bot_id: str | None = None
    deleted: bool = False
    locale: str = "en-US"
    tz: str = "America/Los_Angeles"
    tz_label: str = "Pacific Standard Time"
    tz_offset: int = -28800


@dataclass(frozen=True)
class Usergroup:
    """A user group (``@handle``) and its members."""

    id: str
    handle: str
    name: str
    users: tuple[str, ...] = ()


@dataclass
class PostedMessage:
    """A message the bot posted and that has not been deleted; `chat.update` edits it."""

    channel: str
    ts: str
    text: str
    blocks: list[Any]
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None


@dataclass
class UploadedFile:
    """A file announced by `files.getUploadURLExternal`; ``data`` arrives with the upload."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    completed: bool = False


def decode_json(value: Any) -> Any:
    """Return ``value`` with a JSON-encoded string (as form bodies carry it) decoded."""
    return json.loads(value) if isinstance(value, str) else value


def is_truthy(value: Any) -> bool:
    """Slack's reading of a boolean argument: ``true``, ``1`` or a JSON true."""
    return value is True or str(value).lower() in {"1", "true"}


def encode_cursor(offset: int) -> str:
    """An opaque pagination cursor pointing at ``offset``."""
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: Any) -> int:
    """The offset a cursor points at; 0 for none, `invalid_cursor` for a forged one."""
    if not cursor:
        return 0
    try:
        prefix, _, number = base64.b64decode(str(cursor)).decode().partition(":")
        offset = int(number)
    except ValueError as error:
        raise SlackError("invalid_cursor") from error
    if prefix != "offset" or offset < 0:
        raise SlackError("invalid_cursor")
    return offset


def required(params: Mapping[str, Any], name: str) -> Any:
    """The argument ``name``, or Slack's `invalid_arguments` when it is missing."""
    value = params.get(name)
    if value in (None, ""):
        raise SlackError("invalid_arguments")
    return value


def render_user(user: SlackUser, *, team_id: str, include_locale: bool) -> Payload:
    """The user object of `users.info` / `users.list`; ``team_id`` is the fallback team."""
    payload: Payload = {
        "id": user.id,
        "team_id": user.team_id or team_id,
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        "tz": user.tz,
        "tz_label": user.tz_label,
        "tz_offset": user.tz_offset,
        "is_admin": user.is_admin,
        "is_owner": user.is_owner,
        "is_primary_owner": user.is_primary_owner,
        "is_restricted": user.is_restricted,
        "is_ultra_restricted": False,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "updated": 1_700_000_000,
        "profile": {
            "title": user.title,
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.display_name,
            "display_name_normalized": user.display_name,
            "team": user.team_id or team_id,
            **({"email": user.email} if user.email else {}),
            **({"bot_id": user.bot_id} if user.bot_id else {}),
        },
    }
    if include_locale:
        payload["locale"] = user.locale
    return payload
