"""Which platform roles label a person's answers: an admin's mapping, one per tenant.

A mapping says "members of role R answer with ``label=value``" (Discord's
``/nps segments``). It lives in the tenant's settings, under ``role_labels``, as
``{role id: {"label": …, "value": …}}``: tenant removal deletes it with the tenant. The
rule for a member holding several mapped roles is :func:`bot.domain.labels.role_values`
(the highest role decides); an adapter reads the mapping with :meth:`RoleLabels.of` and
applies it to the member it already has.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.labels import RoleLabel, clean_value, is_label_name
from bot.domain.people import Person
from bot.usecases.chat import ChatUseCases
from bot.usecases.guards import admin_only, database_guard
from bot.views.common import Notice, Tone
from storage import tenants as tenant_store

SETTING = "role_labels"
MAX_ROLES = 100
"""Mapped roles per tenant: far more than a server has teams, few enough to read each time."""
NOT_ALLOWED = "segments.not_allowed"


def _parsed(stored: object) -> dict[str, RoleLabel]:
    if not isinstance(stored, Mapping):
        return {}
    mapping: dict[str, RoleLabel] = {}
    for role_id, entry in stored.items():
        if isinstance(entry, Mapping):
            label, value = entry.get("label"), entry.get("value")
            if isinstance(label, str) and isinstance(value, str):
                mapping[str(role_id)] = RoleLabel(label, value)
    return mapping


def _stored(mapping: Mapping[str, RoleLabel]) -> dict[str, dict[str, str]] | None:
    entries = {role: {"label": e.label, "value": e.value} for role, e in mapping.items()}
    return entries or None


class RoleLabels(ChatUseCases):
    """Reading and changing a tenant's role mapping; changes are for admins only."""

    async def of(self, *, platform: str, tenant: str) -> Mapping[str, RoleLabel]:
        """The mapping of ``platform``/``tenant`` (empty for a tenant never seen; this
        creates nothing)."""
        async with self._deps.database.transaction() as session:
            found = await tenant_store.find_tenant(session, platform=platform, external_id=tenant)
            return {} if found is None else _parsed(found.settings.get(SETTING))

    @database_guard
    @admin_only(NOT_ALLOWED)
    async def map_role(
        self, person: Person, *, role_id: str, role_name: str, label: str, value: str | None
    ) -> Notice:
        """Members of ``role_id`` answer with ``label=value`` (``value`` defaults to the
        role's name). A role maps to one label; mapping it again replaces that."""
        t = self.translator(person)
        if not is_label_name(label):
            return Notice(t("segments.bad_label", label=label), Tone.ERROR)
        cleaned = clean_value(value if value is not None else role_name)
        if cleaned is None:
            return Notice(t("segments.bad_value"), Tone.ERROR)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            mapping = _parsed(tenant.settings.get(SETTING))
            if role_id not in mapping and len(mapping) >= MAX_ROLES:
                return Notice(t("segments.too_many", limit=MAX_ROLES), Tone.ERROR)
            mapping[role_id] = RoleLabel(label, cleaned)
            tenant_store.set_tenant_setting(tenant, key=SETTING, value=_stored(mapping))
        return Notice(
            t("segments.mapped", role=role_name, label=label, value=cleaned), Tone.SUCCESS
        )

    @database_guard
    @admin_only(NOT_ALLOWED)
    async def unmap_role(self, person: Person, *, role_id: str, role_name: str) -> Notice:
        t = self.translator(person)
        async with self._deps.database.transaction() as session:
            tenant = await self._tenant(session, person)
            mapping = _parsed(tenant.settings.get(SETTING))
            if mapping.pop(role_id, None) is None:
                return Notice(t("segments.not_mapped", role=role_name), Tone.INFO)
            tenant_store.set_tenant_setting(tenant, key=SETTING, value=_stored(mapping))
        return Notice(t("segments.unmapped", role=role_name), Tone.SUCCESS)

    @database_guard
    @admin_only(NOT_ALLOWED)
    async def list_roles(self, person: Person, *, role_names: Mapping[str, str]) -> Notice:
        """The mapping, one line a role, named by ``role_names`` (role id to its name
        today; a deleted role is shown by id)."""
        t = self.translator(person)
        mapping = await self.of(platform=person.platform, tenant=person.tenant)
        if not mapping:
            return Notice(t("segments.none"), Tone.INFO)
        lines = sorted(
            t(
                "segments.line",
                role=role_names.get(role_id, role_id),
                label=entry.label,
                value=entry.value,
            )
            for role_id, entry in mapping.items()
        )
        return Notice("\n".join([t("segments.list"), *lines]), Tone.INFO)
