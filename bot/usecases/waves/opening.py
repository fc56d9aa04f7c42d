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
from bot.domain.surveys import SurveyState
from bot.domain.timing import delivery_time, zone_or
from bot.ports.reach import Reach
from bot.usecases.asking import ask
from bot.usecases.context import WaveDeps, recipient_locale
from bot.usecases.tenants import reach_tenant
from bot.usecases.waves.notes import settle_note
from storage import asks, invitations
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


async def open_wave(
    deps: WaveDeps, reach: Reach, *, survey_id: uuid.UUID, scheduled_for: datetime
) -> Opened | None:
    """Open (or complete the opening of) the wave of ``survey_id`` for ``scheduled_for``.

    None when the survey is unknown to this tenant or paused, or the wave is closed.
    Raises :class:`~bot.ports.platform.PlatformUnreachable` before anything is written
    when the platform cannot list the audience.
    """
    now = deps.clock()
    async with deps.database.transaction() as session:
        tenant = await reach_tenant(session, deps, reach)
        survey = await survey_store.find_survey(session, tenant_id=tenant.id, survey_id=survey_id)
        if survey is None or survey.status != SurveyState.ACTIVE:
            return None
        known = await store.wave_for_opening(
            session, survey_id=survey.id, scheduled_for=scheduled_for
        )
    if known is not None and known.status != store.OPEN:
        return None
    # The audience is asked before the wave is written: a platform out of reach leaves
    # no wave without invitations behind, which a scheduled opening would take for done.
    spec = {str(key): str(value) for key, value in survey.audience.items()} or {"everyone": ""}
    people = await reach.platform.list_audience(spec)
    async with deps.database.transaction() as session:
        wave = await store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=scheduled_for,
            opens_at=now,
            closes_at=now + timedelta(days=survey.window_days),
        )
    if wave.status != store.OPEN:
        return None
    # Fixed before anyone is invited, so every invitation of the wave says the same.
    await settle_note(deps, survey=survey, wave=wave)
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
    """Invite those among ``people`` who may be asked; return how many invitations were
    written. Each invitation comes with the wave's ask, recorded by the one
    :func:`~bot.usecases.asking.ask`."""
    today = deps.clock().date()
    written = 0
    for person in people:
        key = respondent_key(deps.pepper, person)
        if await invitations.has_invitation(session, wave_id=wave.id, respondent_key=key):
            continue
        state = await asks.ask_state(
            session, tenant_id=tenant.id, survey_id=survey.id, respondent_key=key
        )
        if state is None:
            break  # the survey was deleted while the wave opened: nobody more to invite
        try:
            # A savepoint: an invitation another replica wrote a moment ago takes this
            # call's ask back with it, so the person is asked once.
            async with session.begin_nested():
                # The labels the person has at the opening stay with the wave's ask.
                asked = await ask(
                    session,
                    state=state,
                    respondent_key=key,
                    platform_labels=person.segments,
                    today=today,
                    wave_id=wave.id,
                )
                if not asked.written:
                    continue  # not to be asked now, or another replica asked a moment ago
                zone = zone_or(person.timezone, survey.timezone)
                if not await invitations.add_invitation(
                    session,
                    wave_id=wave.id,
                    respondent_key=key,
                    address=person.user_id,
                    locale=recipient_locale(person.locale, survey),
                    timezone=zone.key,
                    deliver_at=delivery_time(deps.clock(), zone),
                ):
                    raise _InvitedElsewhere
        except _InvitedElsewhere:
            continue
        written += 1
    return written


class _InvitedElsewhere(Exception):
    """Another replica invited the person between the check and this call's write."""
