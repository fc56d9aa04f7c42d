"""Custom profile fields in the Slack Web API double: `team.profile.get`, `users.profile.get`.

A workspace defines its fields once (``Department``, ``Office``); each member may have a
value for some of them. Slack answers `team.profile.get` with the field definitions and
`users.profile.get` with a person's profile, whose ``fields`` map field ids to
``{"value", "alt"}``, leaving out fields the person has no value for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.doubles.slack_records import Payload, SlackError, SlackUser


@dataclass(frozen=True)
class ProfileField:
    """One custom profile field as an admin defined it."""

    id: str
    label: str
    type: str = "text"
    hint: str = ""
    options: tuple[str, ...] = ()


@dataclass
class ProfileFields:
    """The workspace's custom fields and every member's values for them."""

    fields: list[ProfileField] = field(default_factory=list)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def define(self, *fields: ProfileField) -> None:
        """Add fields, in the order Slack lists them."""
        self.fields.extend(fields)

    def set(self, user_id: str, **by_label: str) -> None:
        """Give ``user_id`` values by field label, e.g. ``set("U1", Department="Sales")``."""
        ids = {entry.label: entry.id for entry in self.fields}
        for label, value in by_label.items():
            self.values.setdefault(user_id, {})[ids[label]] = value

    def team_profile(self, params: Mapping[str, Any]) -> Payload:
        return {
            "ok": True,
            "profile": {
                "fields": [
                    {
                        "id": entry.id,
                        "ordering": ordering,
                        "label": entry.label,
                        "hint": entry.hint,
                        "type": entry.type,
                        "possible_values": list(entry.options) or None,
                        "options": None,
                        "is_hidden": False,
                    }
                    for ordering, entry in enumerate(self.fields)
                ]
            },
        }

    def user_profile(
        self, params: Mapping[str, Any], *, users: Mapping[str, SlackUser], caller: str
    ) -> Payload:
        """A person's profile; without ``user``, the caller's own (the bot's)."""
        user_id = str(params.get("user") or caller)
        user = users.get(user_id)
        if user is None:
            raise SlackError("user_not_found")
        fields = {
            field_id: {"value": value, "alt": ""}
            for field_id, value in self.values.get(user_id, {}).items()
        }
        return {
            "ok": True,
            "profile": {
                "real_name": user.real_name,
                "display_name": user.display_name,
                "title": user.title,
                "fields": fields,
            },
        }
