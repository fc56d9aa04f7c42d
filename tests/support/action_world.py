"""A survey with a heard wave behind it, for the action plan scenarios on each platform:
the first wave's detractors all wrote about onboarding, its promoters did not; a later
wave's reasons are about something else."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from bot.runtime.services import Services
from storage import answers
from storage import waves as wave_store
from storage.models import Survey

HEARD = [(2, "onboarding was slow and confusing")] * 12
CALM = [(10, "great colleagues and a calm pace")] * 12
ELSEWHERE = [(3, "too many long meetings")] * 12


async def seed_wave(services: Services, survey: Survey, *, opens: datetime) -> uuid.UUID:
    """A closed wave of ``survey`` opened at ``opens`` with :data:`HEARD` and :data:`CALM`."""
    async with services.database.transaction() as session:
        wave = await wave_store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=opens,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
    await seed_reasons(services, survey, wave_id=wave.id, day=opens.date(), written=HEARD + CALM)
    async with services.database.transaction() as session:
        await wave_store.close_wave(session, wave_id=wave.id)
    return wave.id


async def seed_reasons(
    services: Services,
    survey: Survey,
    *,
    wave_id: uuid.UUID,
    day: date,
    written: list[tuple[int, str]],
) -> None:
    """One answer with its reason per ``(score, reason)``, in wave ``wave_id``."""
    async with services.database.transaction() as session:
        for score, reason in written:
            answer = await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave_id,
                score=score,
                segments={},
                answered_on=day + timedelta(days=1),
            )
            await answers.set_reason(
                session, tenant_id=survey.tenant_id, response_id=answer, reason=reason
            )
