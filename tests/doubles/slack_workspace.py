"""The pretend Slack workspace behind the Web API double: people, channels, messages, views, files.

`SlackWorkspace.answer(method, params, origin=...)` turns one Web API call into the JSON
payload Slack would send back, changing the workspace as Slack would (a posted message can
later be updated or deleted, an opened DM keeps its channel id). It knows nothing about HTTP,
tokens or injected faults; `SlackApiDouble` handles those around it.

Parameters arrive as Slack receives them: strings from a query or form body, native JSON
values from a JSON body. Nested structures (blocks, views, file lists) may come either way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.doubles.slack_profiles import ProfileFields
from tests.doubles.slack_records import (
    Payload,
    PostedMessage,
    SlackError,
    SlackUser,
    UploadedFile,
    Usergroup,
    decode_cursor,
    decode_json,
    encode_cursor,
    is_truthy,
    render_user,
    required,
)


@dataclass
class SlackWorkspace:
    """State and answers for the Web API methods the bot uses.

    The bot's own user (``bot_user_id``) is a member from the start, flagged as a bot.
    Channels must be added with `add_channel` before messages can be posted to them;
    a user id given as a channel lands in that user's DM, as with a bot token.
    """

    team_id: str = "T0NPS0001"
    team_domain: str = "nps-test"
    team_name: str = "NPS Test"
    bot_user_id: str = "U0NPSBOT0"
    bot_id: str = "B0NPSBOT0"
    app_id: str = "A0NPSAPP0"
    page_size: int = 100
    users: dict[str, SlackUser] = field(default_factory=dict)
    channels: dict[str, list[str]] = field(default_factory=dict)
    channel_names: dict[str, str] = field(default_factory=dict)
    usergroups: dict[str, Usergroup] = field(default_factory=dict)
    messages: dict[tuple[str, str], PostedMessage] = field(default_factory=dict)
    ephemerals: list[Payload] = field(default_factory=list)
    views: dict[str, Payload] = field(default_factory=dict)
    home_views: dict[str, Payload] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    profiles: ProfileFields = field(default_factory=ProfileFields)
    _dm_channels: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _serial: Iterator[int] = field(
        default_factory=lambda: itertools.count(1), init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.add_user(SlackUser(id=self.bot_user_id, name="nps", is_bot=True, bot_id=self.bot_id))

    # ---- configuration -------------------------------------------------------------------

    def add_user(self, *users: SlackUser) -> None:
        """Add or replace members of the workspace."""
        for user in users:
            self.users[user.id] = user

    def add_channel(
        self, channel_id: str, *, members: Sequence[str] = (), name: str | None = None
    ) -> None:
        """Add (or reset) a public or private channel with its member ids; its name is
        ``name``, or the id in lower case (Slack names every channel)."""
        self.channels[channel_id] = list(members)
        self.channel_names[channel_id] = name or channel_id.lower()

    def add_usergroup(self, group: Usergroup) -> None:
        """Add or replace a user group."""
        self.usergroups[group.id] = group

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id between the bot and ``user_id``, stable for the workspace."""
        if user_id not in self._dm_channels:
            self._dm_channels[user_id] = f"D{self._next():08d}"
        return self._dm_channels[user_id]

    def messages_in(self, channel: str) -> list[PostedMessage]:
        """Messages still present in ``channel``, oldest first."""
        return [message for (where, _), message in self.messages.items() if where == channel]

    # ---- dispatch ------------------------------------------------------------------------

    def answer(self, method: str, params: Mapping[str, Any], *, origin: str) -> Payload:
        """The payload Slack sends back for one call; ``origin`` is this server's base.

        Raises:
            SlackError: for a call Slack would refuse (``ok: false``), including an
                unknown method (``unknown_method``).
        """
        if method == "files.getUploadURLExternal":
            return self._get_upload_url(params, origin=origin)
        handler = self._handlers().get(method)
        if handler is None:
            raise SlackError("unknown_method")
        return handler(params)

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Store the bytes POSTed to an upload URL; False when the URL was never issued."""
        upload = self.files.get(file_id)
        if upload is None:
            return False
        upload.data = data
        return True

    def _handlers(self) -> dict[str, Callable[[Mapping[str, Any]], Payload]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.delete": self._delete_message,
            "views.open": self._open_view,
            "views.update": self._update_view,
            "views.publish": self._publish_view,
            "users.info": self._user_info,
            "users.list": self._users_list,
            "users.lookupByEmail": self._user_by_email,
            "conversations.open": self._open_conversation,
            "conversations.members": self._conversation_members,
            "conversations.info": self._conversation_info,
            "conversations.history": self._conversation_history,
            "usergroups.list": self._usergroups_list,
            "usergroups.users.list": self._usergroup_users,
            "team.profile.get": self.profiles.team_profile,
            "users.profile.get": lambda params: self.profiles.user_profile(
                params, users=self.users, caller=self.bot_user_id
            ),
            "files.completeUploadExternal": self._complete_upload,
        }

    def _next(self) -> int:
        return next(self._serial)

    def _next_ts(self) -> str:
        # Distinct, increasing and shaped like Slack's "seconds.micros" ids.
        serial = self._next()
        return f"{1_700_000_000 + serial}.{serial:06d}"

    # ---- auth and people -----------------------------------------------------------------

    def _auth_test(self, params: Mapping[str, Any]) -> Payload:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.users[self.bot_user_id].name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _user_info(self, params: Mapping[str, Any]) -> Payload:
        user = self.users.get(str(required(params, "user")))
        if user is None:
            raise SlackError("user_not_found")
        include_locale = is_truthy(params.get("include_locale"))
        return {
            "ok": True,
            "user": render_user(user, team_id=self.team_id, include_locale=include_locale),
        }

    def _user_by_email(self, params: Mapping[str, Any]) -> Payload:
        email = str(required(params, "email")).casefold()
        for user in self.users.values():
            if user.email is not None and user.email.casefold() == email:
                return {
                    "ok": True,
                    "user": render_user(user, team_id=self.team_id, include_locale=False),
                }
        raise SlackError("users_not_found")

    def _page(self, items: Sequence[Any], params: Mapping[str, Any]) -> tuple[list[Any], str]:
        offset = decode_cursor(params.get("cursor"))
        limit = int(params.get("limit") or 0) or self.page_size
        end = offset + limit
        return list(items[offset:end]), encode_cursor(end) if end < len(items) else ""

    def _users_list(self, params: Mapping[str, Any]) -> Payload:
        include_locale = is_truthy(params.get("include_locale"))
        members = [
            render_user(user, team_id=self.team_id, include_locale=include_locale)
            for user in self.users.values()
        ]
        page, next_cursor = self._page(members, params)
        return {
            "ok": True,
            "members": page,
            "cache_ts": 1_700_000_000,
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _usergroups_list(self, params: Mapping[str, Any]) -> Payload:
        include_users = is_truthy(params.get("include_users"))
        groups = []
        for group in self.usergroups.values():
            entry: Payload = {
                "id": group.id,
                "team_id": self.team_id,
                "is_usergroup": True,
                "name": group.name,
                "handle": group.handle,
                "description": "",
                "user_count": len(group.users),
            }
            if include_users:
                entry["users"] = list(group.users)
            groups.append(entry)
        return {"ok": True, "usergroups": groups}

    def _usergroup_users(self, params: Mapping[str, Any]) -> Payload:
        group = self.usergroups.get(str(required(params, "usergroup")))
        if group is None:
            raise SlackError("no_such_subteam")
        return {"ok": True, "users": list(group.users)}

    # ---- conversations and messages ------------------------------------------------------

    def _open_conversation(self, params: Mapping[str, Any]) -> Payload:
        user_ids = [part for part in str(required(params, "users")).split(",") if part]
        if len(user_ids) != 1:
            raise SlackError("not_supported")
        user = self.users.get(user_ids[0])
        if user is None:
            raise SlackError("user_not_found")
        if user.is_bot:
            raise SlackError("cannot_dm_bot")
        if user.deleted:
            raise SlackError("user_disabled")
        return {"ok": True, "channel": {"id": self.dm_channel(user.id)}}

    def _conversation_members(self, params: Mapping[str, Any]) -> Payload:
        channel = str(required(params, "channel"))
        if channel not in self.channels:
            raise SlackError("channel_not_found")
        page, next_cursor = self._page(self.channels[channel], params)
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversation_info(self, params: Mapping[str, Any]) -> Payload:
        channel = str(required(params, "channel"))
        if channel not in self.channels:
            raise SlackError("channel_not_found")
        name = self.channel_names[channel]
        return {"ok": True, "channel": {"id": channel, "name": name, "is_channel": True}}

    def _conversation_history(self, params: Mapping[str, Any]) -> Payload:
        """Newest first, as Slack pages it; ``metadata`` only with ``include_all_metadata``."""
        channel = str(required(params, "channel"))
        if channel not in self.channels and channel not in self._dm_channels.values():
            raise SlackError("channel_not_found")
        include_metadata = is_truthy(params.get("include_all_metadata"))
        newest_first = sorted(
            self.messages_in(channel), key=lambda message: float(message.ts), reverse=True
        )
        entries = [
            self._history_entry(message, include_metadata=include_metadata)
            for message in newest_first
        ]
        page, next_cursor = self._page(entries, params)
        return {
            "ok": True,
            "messages": page,
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _resolve_channel(self, channel: str) -> str:
        """The channel a message lands in, or `channel_not_found` as Slack says it."""
        if channel.startswith(("U", "W")):
            user = self.users.get(channel)
            if user is None or user.deleted:
                raise SlackError("channel_not_found")
            if user.is_bot:
                raise SlackError("cannot_dm_bot")
            return self.dm_channel(channel)
        if channel in self.channels or channel in self._dm_channels.values():
            return channel
        raise SlackError("channel_not_found")

    def _message_payload(self, message: PostedMessage) -> Payload:
        payload: Payload = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": message.text,
            "ts": message.ts,
            "blocks": message.blocks,
        }
        if message.thread_ts:
            payload["thread_ts"] = message.thread_ts
        return payload

    def _history_entry(self, message: PostedMessage, *, include_metadata: bool) -> Payload:
        entry = self._message_payload(message)
        if include_metadata and message.metadata is not None:
            entry["metadata"] = message.metadata
        return entry

    def _post_message(self, params: Mapping[str, Any]) -> Payload:
        channel = self._resolve_channel(str(required(params, "channel")))
        message = PostedMessage(
            channel=channel,
            ts=self._next_ts(),
            text=str(params.get("text") or ""),
            blocks=decode_json(params.get("blocks")) or [],
            thread_ts=params.get("thread_ts"),
            metadata=decode_json(params.get("metadata")),
        )
        if not message.text and not message.blocks:
            raise SlackError("no_text")
        self.messages[(channel, message.ts)] = message
        return {
            "ok": True,
            "channel": channel,
            "ts": message.ts,
            "message": self._message_payload(message),
        }

    def _existing_message(self, params: Mapping[str, Any]) -> PostedMessage:
        key = (str(required(params, "channel")), str(required(params, "ts")))
        message = self.messages.get(key)
        if message is None:
            raise SlackError("message_not_found")
        return message

    def _update_message(self, params: Mapping[str, Any]) -> Payload:
        message = self._existing_message(params)
        if "text" in params:
            message.text = str(params["text"] or "")
        if "blocks" in params:
            message.blocks = decode_json(params["blocks"]) or []
        return {
            "ok": True,
            "channel": message.channel,
            "ts": message.ts,
            "text": message.text,
            "message": self._message_payload(message),
        }

    def _delete_message(self, params: Mapping[str, Any]) -> Payload:
        message = self._existing_message(params)
        del self.messages[(message.channel, message.ts)]
        return {"ok": True, "channel": message.channel, "ts": message.ts}

    def _post_ephemeral(self, params: Mapping[str, Any]) -> Payload:
        channel = self._resolve_channel(str(required(params, "channel")))
        user = str(required(params, "user"))
        if user not in self.users:
            raise SlackError("user_not_found")
        message_ts = self._next_ts()
        self.ephemerals.append(
            {
                "channel": channel,
                "user": user,
                "text": params.get("text") or "",
                "blocks": decode_json(params.get("blocks")) or [],
                "message_ts": message_ts,
            }
        )
        return {"ok": True, "message_ts": message_ts}

    # ---- views ---------------------------------------------------------------------------

    def _view_payload(self, view_id: str, view: Mapping[str, Any]) -> Payload:
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type", "modal"),
            "title": view.get("title"),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{1_700_000_000 + self._next()}.abcdef{self._next():02d}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }

    def _open_view(self, params: Mapping[str, Any]) -> Payload:
        required(params, "trigger_id")
        view_id = f"V{self._next():08d}"
        self.views[view_id] = self._view_payload(view_id, decode_json(required(params, "view")))
        return {"ok": True, "view": self.views[view_id]}

    def _update_view(self, params: Mapping[str, Any]) -> Payload:
        wanted = params.get("external_id")
        view_id = params.get("view_id") or next(
            (key for key, view in self.views.items() if wanted and view["external_id"] == wanted),
            None,
        )
        if view_id not in self.views:
            raise SlackError("not_found")
        self.views[view_id] = self._view_payload(view_id, decode_json(required(params, "view")))
        return {"ok": True, "view": self.views[view_id]}

    def _publish_view(self, params: Mapping[str, Any]) -> Payload:
        user_id = str(required(params, "user_id"))
        if user_id not in self.users:
            raise SlackError("user_not_found")
        view_id = f"V{self._next():08d}"
        self.home_views[user_id] = self._view_payload(view_id, decode_json(params.get("view")))
        return {"ok": True, "view": self.home_views[user_id]}

    # ---- files ---------------------------------------------------------------------------

    def _get_upload_url(self, params: Mapping[str, Any], *, origin: str) -> Payload:
        filename = str(required(params, "filename"))
        length = int(required(params, "length"))
        file_id = f"F{self._next():08d}"
        self.files[file_id] = UploadedFile(id=file_id, filename=filename, length=length)
        return {"ok": True, "upload_url": f"{origin}/upload/v1/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: Mapping[str, Any]) -> Payload:
        entries = decode_json(required(params, "files"))
        channel_id = params.get("channel_id")
        if channel_id:
            channel_id = self._resolve_channel(str(channel_id))
        completed = []
        for entry in entries:
            upload = self.files.get(entry.get("id", ""))
            if upload is None or upload.data is None:
                raise SlackError("file_not_found")
            upload.title = entry.get("title") or upload.filename
            upload.channel_id = channel_id
            upload.initial_comment = params.get("initial_comment")
            upload.completed = True
            completed.append(
                {
                    "id": upload.id,
                    "name": upload.filename,
                    "title": upload.title,
                    "size": len(upload.data),
                    "user": self.bot_user_id,
                    "channels": [channel_id] if channel_id else [],
                }
            )
        return {"ok": True, "files": completed}
