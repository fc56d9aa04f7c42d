"""Which scope each Web API method needs, as Slack checks it, and the manifest's grant.

A bot token holds the scopes its app was installed with; the double grants the bot
scopes of ``adapters/slack/manifest.yml`` unless told otherwise, so code that calls a
method the manifest does not cover fails in tests as it would in a real workspace:
``{"ok": false, "error": "missing_scope", "needed": …, "provided": …}``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).parents[2] / "adapters" / "slack" / "manifest.yml"

# Any one of the scopes listed grants the method (Slack's documented requirements).
_BY_METHOD: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.delete": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "users.info": ("users:read",),
    "users.list": ("users:read",),
    "users.lookupByEmail": ("users:read.email",),
    "conversations.open": ("im:write", "mpim:write", "channels:manage", "groups:write"),
    "usergroups.list": ("usergroups:read",),
    "usergroups.users.list": ("usergroups:read",),
    "team.profile.get": ("users.profile:read",),
    "users.profile.get": ("users.profile:read",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}
# Methods on a conversation need the scope of its kind: a DM (D…) or a channel.
_BY_CONVERSATION: dict[str, dict[str, tuple[str, ...]]] = {
    "conversations.history": {"D": ("im:history",), "": ("channels:history", "groups:history")},
    "conversations.members": {"D": ("im:read",), "": ("channels:read", "groups:read")},
    "conversations.info": {"D": ("im:read",), "": ("channels:read", "groups:read")},
}


def manifest_scopes() -> frozenset[str]:
    """The bot scopes ``adapters/slack/manifest.yml`` asks for."""
    text = MANIFEST.read_text()
    bot_block = text.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    return frozenset(re.findall(r"^\s+- ([\w:.]+)", bot_block, flags=re.MULTILINE))


def needed_scopes(method: str, params: Mapping[str, Any]) -> tuple[str, ...]:
    """The scopes of which ``method`` needs one (empty: the method needs none)."""
    by_kind = _BY_CONVERSATION.get(method)
    if by_kind is None:
        return _BY_METHOD.get(method, ())
    channel = str(params.get("channel") or "")
    return by_kind["D"] if channel.startswith("D") else by_kind[""]


def refusal(method: str, params: Mapping[str, Any], granted: Collection[str]) -> dict[str, Any]:
    """Slack's ``missing_scope`` answer, or an empty dict when ``granted`` suffices."""
    needed = needed_scopes(method, params)
    if not needed or any(scope in granted for scope in needed):
        return {}
    return {
        "ok": False,
        "error": "missing_scope",
        "needed": ",".join(needed),
        "provided": ",".join(sorted(granted)),
    }
