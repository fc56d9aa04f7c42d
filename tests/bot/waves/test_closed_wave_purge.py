"""What a closed wave keeps of its invitations: who was invited and the status the counts
read, and no column that tells one invitee from another (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import survey_status
from bot.usecases.waves.closing import close_due
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from bot.usecases.waves.reminders import send_reminders
from bot.views.common import ReasonPrompt
from storage.models import Invitation, Survey
from storage.sql import table
from tests.bot.waves.conftest import KENJI, OPENING, UTC_PEOPLE
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

MAY_VARY = {
    "id": "a random row id",
    "respondent_key": "who was invited, so that forget-me can delete it",
    "status": "the wave's counts",
}


async def columns_that_vary(services: Services) -> Mapping[str, int]:
    """For each invitation column, how many distinct values it holds, where more than one."""
    async with services.database.engine.connect() as connection:
        rows = (await connection.execute(select(table(Invitation)))).mappings().all()
    distinct = {name: len({row[name] for row in rows}) for name in rows[0]}
    return {name: count for name, count in distinct.items() if count > 1}


async def test_after_close_only_the_status_varies_from_one_invitee_to_another(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    ann, ben, cat = UTC_PEOPLE
    platform.close_dms(cat)  # a delivery that fails, with the platform's reason
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    await deliver_due(deps, reach)
    clock.now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)  # Wednesday 10:00 in Tokyo
    await deliver_due(deps, reach)
    answered = await services.engine.record_score(
        Person(platform=platform.name, tenant=platform.tenant, user_id=ann),
        survey_id=str(survey.id),
        score=9,
    )
    assert isinstance(answered, ReasonPrompt)
    clock.now = datetime(2026, 3, 17, 0, 0, tzinfo=UTC)
    assert await send_reminders(deps, reach) == 2  # Ben and Kenji, not Ann, who answered
    assert [len(platform.direct_to(user)) for user in (ann, ben, KENJI)] == [1, 2, 2]

    # While the wave is open, the invitations tell people apart in many ways.
    assert {
        "address",
        "locale",
        "timezone",
        "deliver_at",
        "reference",
        "answered",
        "reminders_sent",
        "remind_at",
        "error",
    } <= set(await columns_that_vary(services))

    clock.now = datetime(2026, 3, 25, 0, 0, tzinfo=UTC)
    assert await close_due(deps, reach) == 1

    assert set(await columns_that_vary(services)) <= set(MAY_VARY)
    status = await survey_status(
        services.database, platform=platform.name, tenant=platform.tenant, name=survey.name
    )
    assert status.invitations == {"sent": 3, "failed": 1}
