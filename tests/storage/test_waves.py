"""Wave storage on SQLite and PostgreSQL: unique openings, invitations and digests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveyError, SurveySpec, create_survey, edit_survey
from storage import digests as digest_store
from storage import invitations
from storage import waves as store

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


async def test_openings_invitations_claims_and_digests_happen_once(services: Services) -> None:
    survey = await create_survey(
        services.database, platform="slack", tenant="T1", spec=SurveySpec(name="s"), now=NOW
    )
    async with services.database.transaction() as session:
        first = await store.open_wave(
            session, survey_id=survey.id, scheduled_for=NOW, opens_at=NOW, closes_at=NOW
        )
        second = await store.open_wave(
            session, survey_id=survey.id, scheduled_for=NOW, opens_at=NOW, closes_at=NOW
        )
        added = [
            await invitations.add_invitation(
                session,
                wave_id=first.id,
                respondent_key="k" * 64,
                address="U1",
                locale="en",
                timezone="UTC",
                deliver_at=NOW,
            )
            for _ in range(2)
        ]
        digests = [
            await digest_store.record_digest(
                session, survey_id=survey.id, period=first.id.hex, channel="C1", now=NOW
            )
            for _ in range(2)
        ]
    assert first.id == second.id
    assert added == [True, False]
    assert digests == [True, False]
    async with services.database.transaction() as session:
        due = await invitations.due_invitations(
            session, tenant_id=survey.tenant_id, now=NOW + timedelta(seconds=1), limit=10
        )
        claims = [
            await invitations.claim_invitation(session, invitation_id=due[0], now=NOW)
            for _ in range(2)
        ]
        closes = [await store.close_wave(session, wave_id=first.id) for _ in range(2)]
    assert len(due) == 1 and claims == [True, False] and closes == [True, False]


async def test_k_cannot_be_lowered_once_answers_exist(services: Services) -> None:
    survey = await create_survey(
        services.database, platform="slack", tenant="T1", spec=SurveySpec(name="s"), now=NOW
    )
    who = Person(platform="slack", tenant="T1", user_id="U1")
    await services.engine.record_score(who, survey_id=str(survey.id), score=7)
    try:
        await edit_survey(
            services.database,
            platform="slack",
            tenant="T1",
            name="s",
            changes={"k_min": 3},
            now=NOW,
        )
    except SurveyError as error:
        assert "cannot go below 5" in str(error)
    else:
        raise AssertionError("lowering k was accepted")
    raised = await edit_survey(
        services.database, platform="slack", tenant="T1", name="s", changes={"k_min": 7}, now=NOW
    )
    assert (raised.k_min, raised.k_comments) == (7, 8)
    assert uuid.UUID(str(raised.id)) == survey.id
