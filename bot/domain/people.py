"""The platform-neutral picture of a person talking to the bot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """Someone in a conversation, as an adapter describes them.

    ``tenant`` is the platform's workspace/guild id. ``segments`` are the labels an
    answer carries into reports (team, role, plan); ``is_admin`` is the platform's
    verdict (workspace admin, Manage Server, configured admin list). The user id is
    used to compute the respondent key and to deliver messages; it is never stored
    next to an answer.
    """

    platform: str
    tenant: str
    user_id: str
    locale: str | None = None
    timezone: str | None = None
    segments: Mapping[str, str] = field(default_factory=dict)
    is_admin: bool = False
