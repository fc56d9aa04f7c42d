"""The Discord double's message routes: channel messages, DMs, interaction responses.

Covers what a bot does when it talks: ``POST /users/@me/channels`` (open a DM),
``POST``/``PATCH``/``GET /channels/{id}/messages[/{mid}]``,
``POST /interactions/{id}/{token}/callback`` and the interaction webhook
(``/webhooks/{application_id}/{token}[/messages/@original|{mid}]``). Every accepted request
is recorded in the shared ``DoubleState``; refusals carry Discord's status and error code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .discord_http import (
    ALREADY_ACKNOWLEDGED,
    CANNOT_DM_USER,
    EMPTY_MESSAGE,
    INVALID_RECIPIENTS,
    UNKNOWN_CHANNEL,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    discord_error,
    is_empty_message,
    json_response,
    read_body,
)
from .discord_payloads import (
    JSON,
    attachment_payload,
    dm_channel_payload,
    edited_message_payload,
    message_payload,
)
from .discord_records import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    EPHEMERAL,
    UPDATE_MESSAGE,
    InteractionCallback,
    InteractionRecord,
    RecordedMessage,
    RequestBody,
)
from .discord_state import DoubleState

LOADING = 1 << 7  # message flag of a deferred ("thinking") response


class MessageRoutes:
    """Request handlers bound to one double's state."""

    def __init__(self, state: DoubleState) -> None:
        self._state = state

    def routes(self, prefix: str) -> list[web.RouteDef]:
        hook = prefix + "/webhooks/{application_id}/{interaction_token}"
        return [
            web.post(prefix + "/users/@me/channels", self.open_dm),
            web.post(prefix + "/channels/{channel_id}/messages", self.create_message),
            web.get(prefix + "/channels/{channel_id}/messages/{message_id}", self.get_message),
            web.patch(prefix + "/channels/{channel_id}/messages/{message_id}", self.edit_message),
            web.post(
                prefix + "/interactions/{interaction_id}/{interaction_token}/callback",
                self.interaction_callback,
            ),
            # @original must be registered before the generic message id route.
            web.get(hook + "/messages/@original", self.get_original),
            web.patch(hook + "/messages/@original", self.edit_original),
            web.delete(hook + "/messages/@original", self.delete_original),
            web.patch(hook + "/messages/{message_id}", self.edit_followup),
            web.post(hook, self.create_followup),
        ]

    # DMs and channel messages -----------------------------------------------------------

    async def open_dm(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        user = self._state.users.get(int(body.json.get("recipient_id") or 0))
        if user is None:
            return discord_error(400, INVALID_RECIPIENTS, "Invalid Recipient(s)")
        channel_id = self._state.dm_channel_id(user)
        return json_response(dm_channel_payload(channel_id=channel_id, recipient=user))

    async def create_message(self, request: web.Request) -> web.Response:
        state = self._state
        channel_id = int(request.match_info["channel_id"])
        if not state.channel_exists(channel_id):
            return discord_error(404, UNKNOWN_CHANNEL, "Unknown Channel")
        recipient_id = state.dm_recipient_by_channel.get(channel_id)
        if recipient_id in state.closed_dm_user_ids:
            return discord_error(403, CANNOT_DM_USER, "Cannot send messages to this user")
        body = await read_body(request)
        if is_empty_message(body):
            return discord_error(400, EMPTY_MESSAGE, "Cannot send an empty message")
        guild = state.guild_of_channel(channel_id)
        message = self._new_message(
            channel_id=channel_id, body=body, guild_id=None if guild is None else guild.id
        )
        await state.sent_messages.append(
            RecordedMessage(
                channel_id=channel_id,
                message_id=int(message["id"]),
                body=body,
                message=message,
                recipient_id=recipient_id,
            )
        )
        return json_response(message)

    async def get_message(self, request: web.Request) -> web.Response:
        message = self._state.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        return json_response(message)

    async def edit_message(self, request: web.Request) -> web.Response:
        message = self._state.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        body = await read_body(request)
        edited = self._edit(message, body)
        await self._state.edited_messages.append(
            RecordedMessage(
                channel_id=int(edited["channel_id"]),
                message_id=int(edited["id"]),
                body=body,
                message=edited,
                recipient_id=self._state.dm_recipient_by_channel.get(int(edited["channel_id"])),
            )
        )
        return json_response(edited)

    # Interaction responses --------------------------------------------------------------

    async def interaction_callback(self, request: web.Request) -> web.Response:
        record = self._state.interactions.get(int(request.match_info["interaction_id"]))
        if record is None or record.token != request.match_info["interaction_token"]:
            return discord_error(404, UNKNOWN_INTERACTION, "Unknown interaction")
        body = await read_body(request)
        kind = int(body.json.get("type") or 0)
        callback = InteractionCallback(type=kind, body=body)
        already_answered = len(record.callbacks) > 0
        await record.callbacks.append(callback)
        if already_answered:
            return discord_error(
                400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged."
            )
        message = self._answer(record, callback)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        flags = int((message or {}).get("flags") or 0)
        interaction: JSON = {
            "id": str(record.interaction_id),
            "type": int(record.payload["type"]),
            "response_message_loading": bool(flags & LOADING),
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
        resource: JSON = {"type": kind}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        return json_response({"interaction": interaction, "resource": resource})

    def _answer(self, record: InteractionRecord, callback: InteractionCallback) -> JSON | None:
        """Apply an accepted callback; returns the message it created or updated, if any."""
        channel_id = int(record.payload["channel_id"])
        guild_id = _optional_int(record.payload.get("guild_id"))
        if callback.type == CHANNEL_MESSAGE:
            record.original_message = self._new_message(
                channel_id=channel_id, body=callback.message, guild_id=guild_id
            )
            return record.original_message
        if callback.type == DEFERRED_CHANNEL_MESSAGE:
            loading = RequestBody(json={"flags": callback.message.flags | LOADING})
            record.original_message = self._new_message(
                channel_id=channel_id, body=loading, guild_id=guild_id
            )
            return record.original_message
        if callback.type == UPDATE_MESSAGE and "message" in record.payload:
            clicked: JSON = record.payload["message"]
            stored = self._state.messages.get(int(clicked["id"])) or clicked
            return self._edit(stored, callback.message)
        return None

    async def get_original(self, request: web.Request) -> web.Response:
        record = self._hook_record(request)
        if record is None or record.original_message is None:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        return json_response(record.original_message)

    async def edit_original(self, request: web.Request) -> web.Response:
        record = self._hook_record(request)
        if record is None:
            return discord_error(404, UNKNOWN_INTERACTION, "Unknown Webhook")
        body = await read_body(request)
        await record.original_edits.append(body)
        if record.original_message is None:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        # Editing a deferred response delivers it: the loading flag goes away.
        edited = self._edit(record.original_message, body)
        edited["flags"] = int(edited.get("flags") or 0) & ~LOADING
        record.original_message = edited
        self._state.messages[int(edited["id"])] = edited
        return json_response(edited)

    async def delete_original(self, request: web.Request) -> web.Response:
        record = self._hook_record(request)
        if record is None or record.original_message is None:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        self._state.messages.pop(int(record.original_message["id"]), None)
        record.original_message = None
        return web.Response(status=204)

    async def create_followup(self, request: web.Request) -> web.Response:
        record = self._hook_record(request)
        if record is None:
            return discord_error(404, UNKNOWN_INTERACTION, "Unknown Webhook")
        body = await read_body(request)
        if is_empty_message(body):
            return discord_error(400, EMPTY_MESSAGE, "Cannot send an empty message")
        channel_id = int(record.payload["channel_id"])
        message = self._new_message(
            channel_id=channel_id,
            body=body,
            guild_id=_optional_int(record.payload.get("guild_id")),
        )
        await record.followups.append(
            RecordedMessage(
                channel_id=channel_id, message_id=int(message["id"]), body=body, message=message
            )
        )
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message)
        return web.Response(status=204)

    async def edit_followup(self, request: web.Request) -> web.Response:
        record = self._hook_record(request)
        message = self._state.messages.get(int(request.match_info["message_id"]))
        if record is None or message is None:
            return discord_error(404, UNKNOWN_MESSAGE, "Unknown Message")
        return json_response(self._edit(message, await read_body(request)))

    # Helpers ----------------------------------------------------------------------------

    def _hook_record(self, request: web.Request) -> InteractionRecord | None:
        if int(request.match_info["application_id"]) != self._state.application_id:
            return None
        token = request.match_info["interaction_token"]
        return next((r for r in self._state.interactions.values() if r.token == token), None)

    def _new_message(self, *, channel_id: int, body: RequestBody, guild_id: int | None) -> JSON:
        state = self._state
        message = message_payload(
            message_id=state.snowflakes.next(),
            channel_id=channel_id,
            author=state.bot,
            body=body.json,
            attachments=[
                attachment_payload(
                    attachment_id=state.snowflakes.next(),
                    filename=file.filename,
                    size=len(file.data),
                    content_type=file.content_type,
                    base_url=state.base_url,
                )
                for file in body.files
            ],
            sent_at=state.now(),
            guild_id=guild_id,
        )
        state.messages[int(message["id"])] = message
        return message

    def _edit(self, message: Mapping[str, Any], body: RequestBody) -> JSON:
        edited = edited_message_payload(message, body=body.json, edited_at=self._state.now())
        self._state.messages[int(edited["id"])] = edited
        return edited


def _optional_int(value: object) -> int | None:
    return None if value is None else int(str(value))
