"""A wave after forget-me: the person who forgot is not invited sooner than the cap allows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.closing import close_due
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from bot.views.common import ReasonPrompt
from storage.models import Invitation, Survey
from tests.bot.waves.conftest import KENJI, OPENING, UTC_PEOPLE
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform


async def test_who_answered_a_wave_and_forgot_is_not_invited_to_the_next_one_early(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    ann = Person(platform=platform.name, tenant=platform.tenant, user_id=UTC_PEOPLE[0])
    first = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert first is not None and first.invited == 4
    await deliver_due(deps, reach)
    answered = await services.engine.record_score(ann, survey_id=str(survey.id), score=9)
    assert isinstance(answered, ReasonPrompt)
    clock.advance(days=15)
    assert await close_due(deps, reach) == 1
    await services.engine.forget_me(ann)

    # 30 days after the first opening everyone is still within the 150-day gap: nobody
    # is invited, Ann no more than those who kept their history.
    clock.now = OPENING + timedelta(days=30)
    second = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=clock())
    # 151 days after: the gap is over for the others, not yet for Ann's Monday.
    clock.now = OPENING + timedelta(days=151)
    third = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=clock())

    assert second is not None and second.invited == 0
    assert third is not None and third.invited == 3
    async with services.database.transaction() as session:
        query = select(col(Invitation.address)).where(col(Invitation.wave_id) == third.wave_id)
        invited = set((await session.execute(query)).scalars())
    assert invited == {*UTC_PEOPLE[1:], KENJI}
