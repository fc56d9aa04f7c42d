"""A Slack person's labels from the workspace's own groups: user groups and profile fields.

Which labels, and the rule for a person in several groups, are the settings'
(:class:`SlackLabelRules`) and :mod:`bot.domain.labels`'. The Web API calls are few and
cached for ``cache_seconds``:

- ``usergroups.list`` with ``include_users`` (Tier 2), once per workspace: every group's
  handle and members in one answer;
- ``team.profile.get`` (Tier 3), once per workspace: which custom field is which;
- ``users.profile.get`` (Tier 4), once per person: their field values.

Rate limits are handled by the client's retry handlers (:mod:`adapters.slack.client`,
which wait out ``Retry-After``); a lookup that still fails leaves the person with the
labels known before (or none) rather than failing what they were doing
(:class:`~adapters.slack.expiring.ExpiringCache`). Fields of type ``user`` are never
read: their values are user ids, which must not become labels.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.expiring import ExpiringCache
from bot.domain.labels import layered, profile_values, usergroup_value

DEFAULT_CACHE_SECONDS = 900
PERSON_FIELD_TYPE = "user"

Memberships = Mapping[str, tuple[str, ...]]
"""User id to the handles of the (enabled) user groups they are in."""


@dataclass(frozen=True)
class SlackLabelRules:
    """What becomes a label (``SLACK_USERGROUP_LABEL``, ``SLACK_USERGROUP_LABEL_GROUPS``,
    ``SLACK_PROFILE_LABELS``, ``SLACK_LABELS_CACHE_SECONDS``).

    ``usergroup_label`` names the label user groups give (None: groups give none);
    ``usergroups`` are the handles that count, in priority order (empty: every group,
    the first by handle winning). ``profile_fields`` maps a custom field's label to a
    label name.
    """

    usergroup_label: str | None = None
    usergroups: tuple[str, ...] = ()
    profile_fields: Mapping[str, str] = field(default_factory=dict)
    cache_seconds: float = DEFAULT_CACHE_SECONDS

    @property
    def any(self) -> bool:
        return self.usergroup_label is not None or bool(self.profile_fields)


class SlackLabelSources:
    """One workspace's label look-ups, over that workspace's client, with their cache."""

    def __init__(
        self,
        client: AsyncWebClient,
        rules: SlackLabelRules,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._rules = rules
        self._groups: ExpiringCache[None, Memberships] = ExpiringCache(
            ttl=rules.cache_seconds, clock=clock
        )
        self._fields: ExpiringCache[None, Mapping[str, str]] = ExpiringCache(
            ttl=rules.cache_seconds, clock=clock
        )
        self._profiles: ExpiringCache[str, Mapping[str, str]] = ExpiringCache(
            ttl=rules.cache_seconds, clock=clock
        )

    async def labels(self, user_id: str) -> dict[str, str]:
        """The labels of ``user_id``; a profile field wins over user groups for the same
        label name (see :mod:`bot.domain.labels`)."""
        groups, profile = await asyncio.gather(
            self._group_labels(user_id), self._profile_labels(user_id)
        )
        return layered(groups, profile)

    async def _group_labels(self, user_id: str) -> dict[str, str]:
        label = self._rules.usergroup_label
        if label is None:
            return {}
        memberships = await self._groups.get(None, self._fetch_memberships, fallback={})
        value = usergroup_value(memberships.get(user_id, ()), priority=self._rules.usergroups)
        return {} if value is None else {label: value}

    async def _profile_labels(self, user_id: str) -> dict[str, str]:
        if not self._rules.profile_fields:
            return {}
        names = await self._fields.get(None, self._fetch_field_names, fallback={})
        if not names:
            return {}

        async def fetch() -> Mapping[str, str]:
            return await self._fetch_profile(user_id, names)

        values = await self._profiles.get(user_id, fetch, fallback={})
        return profile_values(values, field_labels=self._rules.profile_fields)

    async def _fetch_memberships(self) -> Memberships:
        answer = await self._client.usergroups_list(include_users=True)
        held: dict[str, list[str]] = {}
        groups: list[dict[str, Any]] = answer.get("usergroups") or []
        for group in groups:
            if group.get("date_delete"):
                continue  # a disabled group is nobody's group
            handle = str(group.get("handle") or group.get("name") or "")
            for user_id in group.get("users") or []:
                held.setdefault(str(user_id), []).append(handle)
        return {user_id: tuple(handles) for user_id, handles in held.items()}

    async def _fetch_field_names(self) -> Mapping[str, str]:
        """Field id to field label, for the fields the rules name."""
        answer = await self._client.team_profile_get()
        wanted = {name.casefold() for name in self._rules.profile_fields}
        fields: list[dict[str, Any]] = (answer.get("profile") or {}).get("fields") or []
        return {
            str(entry["id"]): str(entry["label"])
            for entry in fields
            if str(entry.get("label", "")).casefold() in wanted
            and entry.get("type") != PERSON_FIELD_TYPE
        }

    async def _fetch_profile(self, user_id: str, names: Mapping[str, str]) -> Mapping[str, str]:
        """Field label to the person's text, for the fields of ``names``."""
        answer = await self._client.users_profile_get(user=user_id)
        fields: Mapping[str, Any] = (answer.get("profile") or {}).get("fields") or {}
        return {
            names[field_id]: str(entry.get("value") or "")
            for field_id, entry in fields.items()
            if field_id in names and isinstance(entry, Mapping)
        }


def label_sources(
    client: AsyncWebClient, rules: SlackLabelRules | None
) -> SlackLabelSources | None:
    """The label look-ups of one workspace's client, or None when no label is configured."""
    if rules is None or not rules.any:
        return None
    return SlackLabelSources(client, rules)
