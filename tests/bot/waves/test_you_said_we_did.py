"""A wave opens with "you said, we did": the themes the gate shows of the wave before and
the actions done or in progress, fixed for the wave, in every invitation and the card."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.actions import ActionDraft
from bot.domain.people import Person
from bot.domain.surveys import DEFAULT_SURVEY
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from bot.views.common import ScorePrompt, SurveyCard
from storage import answers
from storage import waves as wave_store
from storage.models import Survey
from tests.bot.waves.conftest import DIGEST, OPENING, TENANT, UTC_PEOPLE
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

EARLIER = OPENING - timedelta(days=120)


@pytest.fixture
async def survey(services: Services, reach: Reach, clock: Clock) -> Survey:
    """The tenant's default survey: the one its channel card invites to."""
    clock.now = OPENING
    return await create_survey(
        services.database,
        platform=reach.platform.name,
        tenant=reach.tenant,
        spec=SurveySpec(name=DEFAULT_SURVEY, k_min=3, digest_channel=DIGEST, timezone="UTC"),
        now=clock(),
        default_locale="en",
    )


async def seed_heard_wave(services: Services, survey: Survey, *, opens: datetime) -> None:
    """A closed wave whose detractors all wrote about onboarding and promoters did not."""
    async with services.database.transaction() as session:
        wave = await wave_store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=opens,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        written = [(2, "onboarding was slow and confusing")] * 12
        written += [(10, "great colleagues and a calm pace")] * 12
        for score, reason in written:
            answer = await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave.id,
                score=score,
                segments={},
                answered_on=opens.date() + timedelta(days=1),
            )
            await answers.set_reason(
                session, tenant_id=survey.tenant_id, response_id=answer, reason=reason
            )
        await wave_store.close_wave(session, wave_id=wave.id)


async def test_the_next_wave_says_what_was_heard_and_done(
    services: Services,
    survey: Survey,
    reach: Reach,
    platform: RecordingPlatform,
    clock: Clock,
) -> None:
    await seed_heard_wave(services, survey, opens=EARLIER)
    where = {"platform": platform.name, "tenant": TENANT, "name": "default"}
    await services.actions.add(
        **where,
        draft=ActionDraft(
            title="An onboarding buddy for every newcomer",
            owner="U0ADMIN01",
            due=(OPENING + timedelta(days=30)).date().isoformat(),
            status="in_progress",
            theme="onboarding",
        ),
    )
    await services.actions.add(
        **where,
        draft=ActionDraft(title="Not started yet", owner="U0ADMIN01", due="2026-04-30"),
    )
    t = services.catalogs.translator("en")
    preview, written = await services.notes.preview(**where)
    assert not written and preview is not None
    heard, done = preview.split("\n")
    assert heard.startswith(t("actions.note.heard", themes="")[:9]) and "onboarding" in heard
    assert done == t("actions.note.done", actions="An onboarding buddy for every newcomer")

    clock.now = OPENING
    opened = await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert opened is not None and opened.invited == 4
    await deliver_due(services.waves, reach)

    for user_id in UTC_PEOPLE:
        [sent] = platform.direct_to(user_id)
        assert isinstance(sent.view, ScorePrompt) and sent.view.follow_up == preview
    # Changing the plan now changes no wave already open.
    await services.notes.set_text(**where, text="A later text, for the wave after.")
    admin = Person(platform=platform.name, tenant=TENANT, user_id="U0ADMIN01", is_admin=True)
    card = await services.engine.survey_card(admin)
    assert isinstance(card, SurveyCard) and card.follow_up == preview


async def test_an_admins_own_text_opens_the_wave_as_written(
    services: Services,
    survey: Survey,
    reach: Reach,
    platform: RecordingPlatform,
    clock: Clock,
) -> None:
    where = {"platform": platform.name, "tenant": TENANT, "name": "default"}
    assert await services.notes.preview(**where) == (None, False)
    number = await services.notes.set_text(**where, text="  We moved the all-hands. <!here>  ")
    assert number == 1
    assert await services.notes.preview(**where) == ("We moved the all-hands. <!here>", True)
    clock.now = OPENING
    await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    await deliver_due(services.waves, reach)
    [sent] = platform.direct_to(UTC_PEOPLE[0])
    # Kept as written; each adapter escapes it where shown (see the adapter tests).
    assert isinstance(sent.view, ScorePrompt)
    assert sent.view.follow_up == "We moved the all-hands. <!here>"


async def test_a_first_wave_without_actions_opens_with_nothing_extra(
    services: Services,
    survey: Survey,
    reach: Reach,
    platform: RecordingPlatform,
    clock: Clock,
) -> None:
    clock.now = OPENING
    await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    await deliver_due(services.waves, reach)
    [sent] = platform.direct_to(UTC_PEOPLE[0])
    assert isinstance(sent.view, ScorePrompt) and sent.view.follow_up == ""
