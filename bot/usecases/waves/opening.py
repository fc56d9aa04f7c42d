"""Opening a wave: the wave row, then one invitation and one open ask per person.

State is written before any message is sent: opening only records who will be asked
and when; delivery (:mod:`bot.usecases.waves.delivery`) is a separate, resumable step. Every
write is guarded by a unique key, so an opening that is repeated (a restart, a second
replica firing the same job) adds only the people still missing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.identity import respondent_key
from bot.domain.people import Person
from bot.domain.policy import eligibility
from bot.domain.timing import delivery_time, zone_or
from bot.i18n import normalize_locale
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps, policy_of
from storage import contacts, invitations, opt_outs, tenants
from storage import surveys as survey_store
from storage import waves as store
from storage.models import Survey, Tenant, Wave

log = logging.getLogger(__name__)

CHUNK = 200
"""People invited per transaction: short transactions, bounded memory."""


@dataclass(frozen=True)
class Opened:
    """The outcome of one opening call.

    ``invited`` counts invitations this call wrote; ``skipped`` the people it left out
    (opted out, asked too recently, or already invited by an earlier call).
    """

    wave_id: uuid.UUID
    invited: int
    skipped: int


async def find_tenant(session: AsyncSession, deps: WaveDeps, reach: Reach) -> Tenant:
    return await tenants.get_or_create_tenant(
        session,
        platform=reach.platform.name,
        external_id=reach.tenant,
        locale="en",
        now=deps.clock(),
    )


async def open_wave(
    deps: WaveDeps, reach: Reach, *, survey_id: uuid.UUID, scheduled_for: datetime
) -> Opened | None:
    """Open (or complete the opening of) the wave of ``survey_id`` for ``scheduled_for``.

    None when the survey is unknown to this tenant or paused, or the wave is closed.
    """
    now = deps.clock()
    async with deps.database.transaction() as session:
        tenant = await find_tenant(session, deps, reach)
        survey = await survey_store.find_survey(session, tenant_id=tenant.id, survey_id=survey_id)
        if survey is None or survey.status != "active":
            return None
        wave = await store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=scheduled_for,
            opens_at=now,
            closes_at=now + timedelta(days=survey.window_days),
        )
    if wave.status != store.OPEN:
        return None
    spec = {str(key): str(value) for key, value in survey.audience.items()} or {"everyone": ""}
    people = await reach.platform.list_audience(spec)
    invited = 0
    for start in range(0, len(people), CHUNK):
        async with deps.database.transaction() as session:
            invited += await _invite(
                session,
                deps,
                tenant=tenant,
                survey=survey,
                wave=wave,
                people=people[start : start + CHUNK],
            )
    async with deps.database.transaction() as session:
        total = await store.set_invited(session, wave_id=wave.id)
    log.info("wave %s of survey %s: %d invited in total", wave.id, survey.name, total)
    return Opened(wave_id=wave.id, invited=invited, skipped=len(people) - invited)


async def _invite(
    session: AsyncSession,
    deps: WaveDeps,
    *,
    tenant: Tenant,
    survey: Survey,
    wave: Wave,
    people: Sequence[Person],
) -> int:
    """Invite the eligible among ``people``; return how many invitations were written."""
    today = deps.clock().date()
    written = 0
    for person in people:
        key = respondent_key(deps.pepper, person)
        if await invitations.has_invitation(session, wave_id=wave.id, respondent_key=key):
            continue
        if await opt_outs.is_opted_out(session, tenant_id=tenant.id, respondent_key=key):
            continue
        verdict = eligibility(
            asked_on=await contacts.ask_dates(session, survey_id=survey.id, respondent_key=key),
            opted_out=False,
            policy=policy_of(survey),
            today=today,
        )
        if not verdict.eligible:
            continue
        zone = zone_or(person.timezone, survey.timezone)
        added = await invitations.add_invitation(
            session,
            wave_id=wave.id,
            respondent_key=key,
            address=person.user_id,
            locale=normalize_locale(person.locale, fallback=survey.locale),
            timezone=zone.key,
            deliver_at=delivery_time(deps.clock(), zone),
        )
        if not added:
            continue  # another replica invited this person a moment ago
        await contacts.add_wave_contact(
            session,
            tenant_id=tenant.id,
            survey_id=survey.id,
            wave_id=wave.id,
            respondent_key=key,
            asked_on=today,
        )
        written += 1
    return written
