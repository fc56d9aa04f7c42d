"""The HTTP requests Slack sends to an app's Request URL, built and signed for tests.

Each builder returns a `SignedRequest` (``body`` bytes, ``headers``) ready to POST to the
app's ``/slack/events`` endpoint::

    requests = SlackRequestBuilder(signing_secret="s3cret")
    body, headers = requests.slash_command(user_id="U1", text="report")
    await session.post(f"{app_url}/slack/events", data=body, headers=headers)

Requests are signed as `tests.support.slack_signing` describes; every builder takes a
``delivery`` (`Delivery`) for retry headers or a deliberately stale or forged signature.

The defaults (team ``T0NPS0001``, app ``A0NPSAPP0``, bot ``U0NPSBOT0``/``B0NPSBOT0``) match
the Web API double's workspace, so an app wired to both sees one consistent workspace; pass
``response_url_base=slack.hooks_url`` to have ``respond()`` land on the double too.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from tests.support.slack_signing import FIRST_DELIVERY, Delivery, SignedRequest, sign

JSON = dict[str, Any]
# block id -> action id -> typed text, or a whole element state (select menus and the like).
InputValues = Mapping[str, Mapping[str, str | Mapping[str, Any] | None]]


class SlackRequestBuilder:
    """Builds the slash commands, interactions and events of one workspace and app.

    Every request gets fresh ids (trigger ids, event ids, timestamps) from a counter and
    ``clock`` (Unix seconds), so two builds never look like one redelivery unless a
    test passes the same ``event_id`` on purpose.
    """

    def __init__(
        self,
        *,
        signing_secret: str,
        team_id: str = "T0NPS0001",
        team_domain: str = "nps-test",
        api_app_id: str = "A0NPSAPP0",
        bot_user_id: str = "U0NPSBOT0",
        bot_id: str = "B0NPSBOT0",
        verification_token: str = "legacy-verification-token",
        response_url_base: str = "https://hooks.slack.com",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.team_domain = team_domain
        self.api_app_id = api_app_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.verification_token = verification_token
        self.response_url_base = response_url_base.rstrip("/")
        self._clock = clock
        self._serial = itertools.count(1)

    # ---- signing -------------------------------------------------------------------------

    def form(
        self, fields: Mapping[str, str], *, delivery: Delivery = FIRST_DELIVERY
    ) -> SignedRequest:
        """A signed ``application/x-www-form-urlencoded`` request."""
        body = urlencode(fields).encode()
        return self._sign(body, "application/x-www-form-urlencoded", delivery)

    def json(
        self, payload: Mapping[str, Any], *, delivery: Delivery = FIRST_DELIVERY
    ) -> SignedRequest:
        """A signed ``application/json`` request (the Events API)."""
        return self._sign(json.dumps(payload).encode(), "application/json", delivery)

    def interaction(
        self, payload: Mapping[str, Any], *, delivery: Delivery = FIRST_DELIVERY
    ) -> SignedRequest:
        """A signed interactivity request: the JSON payload in the form field ``payload``."""
        return self.form({"payload": json.dumps(payload)}, delivery=delivery)

    def _sign(self, body: bytes, content_type: str, delivery: Delivery) -> SignedRequest:
        return sign(
            body,
            signing_secret=self.signing_secret,
            content_type=content_type,
            now=self._clock(),
            delivery=delivery,
        )

    # ---- ids -----------------------------------------------------------------------------

    def _next(self) -> int:
        return next(self._serial)

    def trigger_id(self) -> str:
        """A fresh trigger id shaped like Slack's."""
        serial = self._next()
        return f"{1_000_000_000 + serial}.{int(self._clock())}.{serial:032x}"

    def response_url(self, kind: str = "commands") -> str:
        """A fresh response URL under ``response_url_base``."""
        return f"{self.response_url_base}/{kind}/{self.team_id}/{self._next()}/{self._next():024x}"

    def ts(self) -> str:
        """A fresh message/event timestamp (``seconds.micros``) from the clock."""
        return f"{int(self._clock())}.{self._next():06d}"

    def _user(self, user_id: str, user_name: str) -> JSON:
        return {"id": user_id, "username": user_name, "name": user_name, "team_id": self.team_id}

    def _team(self) -> JSON:
        return {"id": self.team_id, "domain": self.team_domain}

    # ---- slash commands and interactions -------------------------------------------------

    def slash_command(
        self,
        *,
        user_id: str,
        text: str = "",
        command: str = "/nps",
        user_name: str = "someone",
        channel_id: str = "C0NPSGEN1",
        channel_name: str = "general",
        response_url: str | None = None,
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """The form Slack posts when ``user_id`` types ``{command} {text}``."""
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url or self.response_url("commands"),
            "trigger_id": self.trigger_id(),
        }
        return self.form(fields, delivery=delivery)

    def block_actions(
        self,
        *,
        user_id: str,
        action_id: str,
        value: str,
        block_id: str = "actions",
        button_text: str = "",
        channel_id: str = "D0NPSDM01",
        message_ts: str | None = None,
        message: Mapping[str, Any] | None = None,
        is_ephemeral: bool = False,
        user_name: str = "someone",
        response_url: str | None = None,
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """A button click in a message.

        ``message`` is the clicked message as Slack stored it (for instance the
        ``message`` the Web API double echoed); ephemeral messages come without one, as
        Slack sends them.
        """
        message_ts = message_ts or (str(message["ts"]) if message else self.ts())
        payload: JSON = {
            "type": "block_actions",
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": is_ephemeral,
            },
            "trigger_id": self.trigger_id(),
            "team": self._team(),
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": "directmessage"},
            "state": {"values": {}},
            "response_url": response_url or self.response_url("actions"),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": {"type": "plain_text", "text": button_text or value, "emoji": True},
                    "value": value,
                    "type": "button",
                    "action_ts": self.ts(),
                }
            ],
        }
        if not is_ephemeral:
            payload["message"] = dict(message) if message else self._bot_message(message_ts)
        return self.interaction(payload, delivery=delivery)

    def _bot_message(self, ts: str) -> JSON:
        return {
            "type": "message",
            "user": self.bot_user_id,
            "ts": ts,
            "text": "",
            "team": self.team_id,
            "blocks": [],
        }

    def view_submission(
        self,
        *,
        user_id: str,
        callback_id: str,
        values: InputValues,
        private_metadata: str = "",
        view_id: str | None = None,
        user_name: str = "someone",
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """A modal submitted by ``user_id``.

        ``values`` maps block id -> action id -> the typed text (a plain text input), or
        a full element state such as ``{"type": "static_select", "selected_option": ...}``.
        """
        payload: JSON = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "trigger_id": self.trigger_id(),
            "view": self._view(
                view_id=view_id,
                callback_id=callback_id,
                private_metadata=private_metadata,
                values=values,
            ),
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.interaction(payload, delivery=delivery)

    def view_closed(
        self,
        *,
        user_id: str,
        callback_id: str,
        private_metadata: str = "",
        view_id: str | None = None,
        is_cleared: bool = False,
        user_name: str = "someone",
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """A modal (opened with ``notify_on_close``) dismissed by ``user_id``."""
        payload: JSON = {
            "type": "view_closed",
            "team": self._team(),
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "view": self._view(
                view_id=view_id, callback_id=callback_id, private_metadata=private_metadata
            ),
            "is_cleared": is_cleared,
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.interaction(payload, delivery=delivery)

    def _view(
        self,
        *,
        view_id: str | None,
        callback_id: str,
        private_metadata: str,
        values: InputValues | None = None,
    ) -> JSON:
        state = {
            block_id: {
                action_id: (
                    dict(entry)
                    if isinstance(entry, Mapping)
                    else {"type": "plain_text_input", "value": entry}
                )
                for action_id, entry in actions.items()
            }
            for block_id, actions in (values or {}).items()
        }
        view_id = view_id or f"V{self._next():08d}"
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": f"{int(self._clock())}.{self._next():08x}",
            "title": {"type": "plain_text", "text": "NPS", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": True,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": self.api_app_id,
            "external_id": "",
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    # ---- Events API ----------------------------------------------------------------------

    def event_callback(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        event_time: int | None = None,
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """An Events API delivery wrapping ``event``.

        Pass the same ``event_id`` with ``Delivery(retry_num=1)`` to build a redelivery.
        """
        payload: JSON = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._next():010d}",
            "event_time": event_time if event_time is not None else int(self._clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{self._next():016x}",
        }
        return self.json(payload, delivery=delivery)

    def app_home_opened(
        self,
        *,
        user_id: str,
        channel_id: str = "D0NPSDM01",
        tab: str = "home",
        event_id: str | None = None,
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """``user_id`` opened the app's Home (or Messages) tab."""
        event = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": channel_id,
            "tab": tab,
            "event_ts": self.ts(),
        }
        return self.event_callback(event, event_id=event_id, delivery=delivery)

    def direct_message(
        self,
        *,
        user_id: str,
        text: str,
        channel_id: str = "D0NPSDM01",
        event_id: str | None = None,
        delivery: Delivery = FIRST_DELIVERY,
    ) -> SignedRequest:
        """A ``message.im`` event: ``user_id`` wrote ``text`` to the bot."""
        ts = self.ts()
        event = {
            "type": "message",
            "client_msg_id": f"{self._next():08x}-0000-4000-8000-{self._next():012x}",
            "user": user_id,
            "text": text,
            "team": self.team_id,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": f"b{self._next():04d}",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                    ],
                }
            ],
            "ts": ts,
            "channel": channel_id,
            "event_ts": ts,
            "channel_type": "im",
        }
        return self.event_callback(event, event_id=event_id, delivery=delivery)

    def url_verification(
        self, *, challenge: str, delivery: Delivery = FIRST_DELIVERY
    ) -> SignedRequest:
        """The handshake Slack sends when the Request URL is configured."""
        payload = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.json(payload, delivery=delivery)
