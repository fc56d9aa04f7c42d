"""The bot scopes the app works with, and the start-up check that the token has them.

`BOT_SCOPES` are the bot scopes of ``adapters/slack/manifest.yml`` (a test keeps the two in
step, and the Web API double of the tests grants exactly these). Each is used:

| scope | used by |
| --- | --- |
| ``commands`` | ``/nps`` |
| ``chat:write`` | ``chat.postMessage``, ``chat.update``, ``chat.postEphemeral`` |
| ``im:write`` | ``conversations.open`` (the DM that receives report charts) |
| ``im:history`` | ``conversations.history`` of a DM (an invitation after a restart), |
|  | the ``message.im`` event (a message typed to the app) |
| ``files:write`` | ``files.getUploadURLExternal``, ``files.completeUploadExternal`` |
| ``users:read`` | ``users.info``, ``users.list`` |
| ``users:read.email`` | ``users.lookupByEmail`` (a roster imported by email) |
| ``channels:read``, ``groups:read`` | ``conversations.members`` of public and private channels, |
|  | ``conversations.info`` (a channel's name in the command line's status) |
| ``usergroups:read`` | ``usergroups.users.list``, ``usergroups.list`` (user groups as labels) |
| ``users.profile:read`` | ``team.profile.get``, ``users.profile.get`` (profile fields as labels) |
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "files:write",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "usergroups:read",
    "users.profile:read",
)

SCOPES_HEADER = "x-oauth-scopes"
"""The header of every Web API answer that lists the token's granted scopes."""


def missing_scopes(headers: Mapping[str, object]) -> list[str]:
    """The bot scopes absent from the granted list of a Web API answer's headers.

    An answer without the header (a proxy that drops it) says nothing: none are missing.
    """
    granted = next((value for key, value in headers.items() if key.lower() == SCOPES_HEADER), None)
    if granted is None:
        return []
    values = granted if isinstance(granted, list) else [granted]
    have = {scope.strip() for value in values for scope in str(value).split(",")}
    return [scope for scope in BOT_SCOPES if scope not in have]


def warn_about_missing(missing: list[str]) -> None:
    """One line naming what the token lacks and how to grant it."""
    if missing:
        log.error(
            "Slack: the app's token lacks the scopes %s; add them under OAuth & Permissions "
            "(or recreate the app from adapters/slack/manifest.yml) and reinstall the app",
            ", ".join(missing),
        )
