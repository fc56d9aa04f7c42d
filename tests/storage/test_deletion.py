"""Deleting a survey on SQLite and PostgreSQL: everything under it goes, nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import col

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from storage import actions, alerts, asks, digests, invitations, ratings, viewers
from storage import waves as store
from storage.deletion import delete_survey
from storage.models import (
    Alert,
    AskHold,
    Contact,
    Digest,
    DriverRating,
    Invitation,
    Response,
    ScopedViewer,
    Survey,
    Tenant,
    Wave,
)
from storage.plan_models import ActionPlan, ActionPlanBase, WaveNote

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


async def filled_survey(services: Services, *, name: str, people: int) -> uuid.UUID:
    """A survey with one wave, ``people`` invitations and asks, answers, a forget-me
    hold, a digest, an alert, a report shared with one person for one group, an action
    and a "you said, we did" note."""
    survey = await create_survey(
        services.database,
        platform="slack",
        tenant="T1",
        spec=SurveySpec(name=name),
        now=NOW,
        default_locale="en",
    )
    async with services.database.transaction() as session:
        wave = await store.open_wave(
            session, survey_id=survey.id, scheduled_for=NOW, opens_at=NOW, closes_at=NOW
        )
        for number in range(people):
            key = f"{name}-{number}".ljust(64, "k")
            await invitations.add_invitation(
                session,
                wave_id=wave.id,
                respondent_key=key,
                address=f"U{number}",
                locale="en",
                timezone="UTC",
                deliver_at=NOW,
            )
            await asks.add_ask(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave.id,
                respondent_key=key,
                asked_on=NOW.date(),
                labels={"team": "eng"},
            )
        session.add(
            AskHold(
                survey_id=survey.id,
                respondent_key=f"{name}-forgot".ljust(64, "k"),
                tenant_id=survey.tenant_id,
                not_before=NOW.date(),
            )
        )
        await digests.record_digest(session, survey_id=survey.id, period="p", channel="C1", now=NOW)
        await alerts.record_alert(
            session, survey_id=survey.id, kind="drop", period="p", channel="C9", now=NOW
        )
        await viewers.share(
            session,
            survey=survey,
            viewer_key=f"{name}-lead".ljust(64, "k"),
            label="team",
            value="eng",
            today=NOW.date(),
        )
        item = ActionPlanBase(title="Fix onboarding", owner="U0ADMIN", due_on=NOW.date())
        await actions.add_action(session, survey=survey, item=item, now=NOW)
        await actions.write_note(session, survey=survey, wave_number=2, text="We did.", now=NOW)
    for number in range(people):
        # Answers given outside the wave (through the engine) belong to the survey too.
        person = Person(platform="slack", tenant="T1", user_id=f"{name}-U{number}")
        await services.engine.record_score(person, survey_id=str(survey.id), score=number % 11)
    async with services.database.transaction() as session:
        answers = select(col(Response.id)).where(col(Response.survey_id) == survey.id)
        for answer in (await session.execute(answers)).scalars():
            await ratings.set_rating(session, response_id=answer, driver="growth", rating=4)
    return survey.id


async def counts(services: Services, survey_id: uuid.UUID) -> dict[str, int]:
    async with services.database.transaction() as session:
        waves = select(col(Wave.id)).where(col(Wave.survey_id) == survey_id)
        queries = {
            "survey": select(func.count()).where(col(Survey.id) == survey_id),
            "wave": select(func.count()).where(col(Wave.survey_id) == survey_id),
            "invitation": select(func.count()).where(col(Invitation.wave_id).in_(waves)),
            "contact": select(func.count()).where(col(Contact.survey_id) == survey_id),
            "hold": select(func.count()).where(col(AskHold.survey_id) == survey_id),
            "response": select(func.count()).where(col(Response.survey_id) == survey_id),
            "digest": select(func.count()).where(col(Digest.survey_id) == survey_id),
            "alert": select(func.count()).where(col(Alert.survey_id) == survey_id),
            "viewer": select(func.count()).where(col(ScopedViewer.survey_id) == survey_id),
            "action": select(func.count()).where(col(ActionPlan.survey_id) == survey_id),
            "note": select(func.count()).where(col(WaveNote.survey_id) == survey_id),
            "rating": select(func.count())
            .select_from(DriverRating)
            .join(Response, col(Response.id) == col(DriverRating.response_id))
            .where(col(Response.survey_id) == survey_id),
        }
        return {name: int((await session.execute(q)).scalar_one()) for name, q in queries.items()}


async def test_a_deleted_survey_leaves_no_row_and_other_surveys_keep_theirs(
    services: Services,
) -> None:
    doomed = await filled_survey(services, name="doomed", people=3)
    kept = await filled_survey(services, name="kept", people=2)
    before = await counts(services, kept)

    async with services.database.transaction() as session:
        deleted = await delete_survey(session, survey_id=doomed)

    assert (deleted.surveys, deleted.waves, deleted.invitations, deleted.digests) == (1, 1, 3, 1)
    assert deleted.contacts == 6 and deleted.responses == 3
    assert (deleted.ratings, deleted.alerts, deleted.holds, deleted.viewers) == (3, 1, 1, 1)
    assert (deleted.actions, deleted.notes) == (1, 1)
    assert set((await counts(services, doomed)).values()) == {0}
    assert await counts(services, kept) == before
    async with services.database.transaction() as session:
        tenants = (await session.execute(select(func.count()).select_from(Tenant))).scalar_one()
    assert tenants == 1  # the workspace itself stays


async def test_an_unknown_survey_deletes_nothing(services: Services) -> None:
    kept = await filled_survey(services, name="kept", people=1)
    before = await counts(services, kept)
    async with services.database.transaction() as session:
        deleted = await delete_survey(session, survey_id=uuid.uuid4())
    assert deleted.surveys == 0
    assert await counts(services, kept) == before


async def test_a_failed_deletion_rolls_everything_back(services: Services) -> None:
    doomed = await filled_survey(services, name="doomed", people=2)
    before = await counts(services, doomed)
    try:
        async with services.database.transaction() as session:
            await delete_survey(session, survey_id=doomed)
            raise RuntimeError("the caller failed after deleting")
    except RuntimeError:
        pass
    assert await counts(services, doomed) == before
