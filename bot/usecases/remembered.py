"""Ids the conversation remembers per workspace/guild, so an answer reads in one statement.

A tenant's id and its default survey's id never change once created, so remembering
them is safe as long as a remembered id that no longer names a row (a workspace
removed, a survey deleted, an id seen in a transaction that rolled back) is forgotten
and looked up again: :meth:`RememberedIds.forget` is for that. One instance per
engine; nothing here is shared between engines or processes.
"""

from __future__ import annotations

import uuid

Place = tuple[str, str]
"""(platform, workspace/guild id)."""


class RememberedIds:
    """Tenant and default-survey ids by place."""

    def __init__(self) -> None:
        self._tenants: dict[Place, uuid.UUID] = {}
        self._default_surveys: dict[Place, uuid.UUID] = {}

    def tenant(self, place: Place) -> uuid.UUID | None:
        return self._tenants.get(place)

    def default_survey(self, place: Place) -> uuid.UUID | None:
        return self._default_surveys.get(place)

    def remember_tenant(self, place: Place, tenant_id: uuid.UUID) -> None:
        self._tenants[place] = tenant_id

    def remember_default_survey(self, place: Place, survey_id: uuid.UUID) -> None:
        self._default_surveys[place] = survey_id

    def forget(self, place: Place) -> None:
        """Drop what is remembered of ``place``."""
        self._tenants.pop(place, None)
        self._default_surveys.pop(place, None)
