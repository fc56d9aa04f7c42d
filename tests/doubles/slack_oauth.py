"""``oauth.v2.access`` for the Slack Web API double: codes granted to an app, exchanged once.

A test grants a code as Slack would after a person approves the install
(``grants.grant(code=..., workspace=..., bot_token=...)``); the app exchanges it with its
client id and secret (HTTP Basic auth, as slack_sdk sends them, or form fields). A code
works once; an unknown or reused code gets ``invalid_code``, wrong credentials
``invalid_client_id`` or ``bad_client_secret``, as Slack answers.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tests.doubles.slack_records import Payload, SlackError
from tests.doubles.slack_scopes import manifest_scopes
from tests.doubles.slack_workspace import SlackWorkspace


@dataclass(frozen=True)
class Grant:
    """What one approved install hands the app."""

    workspace: SlackWorkspace
    bot_token: str
    scopes: str
    installer: str


class OAuthGrants:
    """The app's credentials and the codes Slack issued for it."""

    def __init__(self, *, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._codes: dict[str, Grant] = {}

    def grant(
        self,
        *,
        code: str,
        workspace: SlackWorkspace,
        bot_token: str,
        scopes: str | None = None,
        installer: str = "U0INSTALL",
    ) -> None:
        """Issue ``code``: exchanging it installs the app in ``workspace`` with ``bot_token``,
        granted ``scopes`` (comma-separated; the manifest's bot scopes by default)."""
        if scopes is None:
            scopes = ",".join(sorted(manifest_scopes()))
        self._codes[code] = Grant(
            workspace=workspace, bot_token=bot_token, scopes=scopes, installer=installer
        )

    def exchange(self, params: Mapping[str, Any], headers: Mapping[str, str]) -> Grant:
        """The grant behind the call's code (used up); raises `SlackError` as Slack would."""
        client_id, client_secret = _credentials(params, headers)
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")
        grant = self._codes.pop(str(params.get("code") or ""), None)
        if grant is None:
            raise SlackError("invalid_code")
        return grant


def access_payload(grant: Grant) -> Payload:
    """The ``oauth.v2.access`` answer for a bot-scope install."""
    workspace = grant.workspace
    return {
        "ok": True,
        "access_token": grant.bot_token,
        "token_type": "bot",
        "scope": grant.scopes,
        "bot_user_id": workspace.bot_user_id,
        "app_id": workspace.app_id,
        "team": {"id": workspace.team_id, "name": workspace.team_name},
        "enterprise": None,
        "is_enterprise_install": False,
        "authed_user": {"id": grant.installer},
    }


def _credentials(params: Mapping[str, Any], headers: Mapping[str, str]) -> tuple[str, str]:
    authorization = headers.get("Authorization", "")
    if authorization.startswith("Basic "):
        decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
        client_id, _, client_secret = decoded.partition(":")
        return client_id, client_secret
    return str(params.get("client_id") or ""), str(params.get("client_secret") or "")
