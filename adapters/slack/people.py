"""Who is talking: Slack's `users.info` turned into the engine's `Person`, with the labels
the workspace's user groups and profile fields give (:mod:`adapters.slack.labels`)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.expiring import ExpiringCache
from adapters.slack.labels import SlackLabelSources
from bot.domain.people import Person

PLATFORM = "slack"

RESPONDENT_CACHE_SECONDS = 300.0
"""How long what ``users.info`` said of someone answering serves their next requests:
one answer is a click, a form and perhaps its driver questions within a minute or two,
and ``users.info`` is a Tier 4 method (about a hundred calls a minute per workspace)
that a wave's answers would otherwise spend two to four times a person. A changed
language or time zone shows within this time."""


def person_from_user(
    user: Mapping[str, Any], *, team_id: str, admin_ids: Collection[str]
) -> Person:
    """A `Person` from a `users.info`/`users.list` user object.

    Admins are workspace admins and owners, plus anyone listed in ``admin_ids``
    (the ``SLACK_ADMIN_USER_IDS`` setting).
    """
    user_id = str(user["id"])
    is_admin = (
        bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        or user_id in admin_ids
    )
    return Person(
        platform=PLATFORM,
        tenant=team_id,
        user_id=user_id,
        locale=user.get("locale") or None,
        timezone=user.get("tz") or None,
        is_admin=is_admin,
    )


def is_reachable_member(user: Mapping[str, Any]) -> bool:
    """True for a person who can be surveyed: not a bot, app user, or deactivated account."""
    return not (
        user.get("deleted")
        or user.get("is_bot")
        or user.get("is_app_user")
        or user.get("id") == "USLACKBOT"
    )


class SlackPeople:
    """Looks people up on demand. Their labels are cached for a while (``labels``), and
    so is what ``users.info`` said of someone answering (:meth:`respondent`); never
    for :meth:`person`, which admin paths read whether someone is an admin from."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        admin_ids: Collection[str],
        labels: SlackLabelSources | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._admin_ids = frozenset(admin_ids)
        self._labels = labels
        self._respondents: ExpiringCache[str, Mapping[str, Any]] = ExpiringCache(
            ttl=RESPONDENT_CACHE_SECONDS, clock=clock
        )

    async def person(self, user_id: str, *, team_id: str) -> Person:
        """The person ``user_id`` of workspace ``team_id``, with locale, time zone, admin
        and labels, as Slack says now."""
        return await self.from_user(await self._user(user_id), team_id=team_id)

    async def respondent(self, user_id: str, *, team_id: str) -> Person:
        """The person ``user_id`` answering a survey: as :meth:`person`, from what Slack
        said of them within ``RESPONDENT_CACHE_SECONDS`` (one lookup at a time per
        person; a refused one raises and is not kept)."""

        async def fetch() -> Mapping[str, Any]:
            return await self._user(user_id)

        user = await self._respondents.fetched(user_id, fetch)
        return await self.from_user(user, team_id=team_id)

    async def _user(self, user_id: str) -> Mapping[str, Any]:
        answer = await self._client.users_info(user=user_id, include_locale=True)
        user: Mapping[str, Any] = answer["user"]
        return user

    async def from_user(self, user: Mapping[str, Any], *, team_id: str) -> Person:
        """A person from a user object already fetched (e.g. by `users.list`), labelled."""
        person = person_from_user(user, team_id=team_id, admin_ids=self._admin_ids)
        if self._labels is None:
            return person
        return dataclasses.replace(person, segments=await self._labels.labels(person.user_id))
