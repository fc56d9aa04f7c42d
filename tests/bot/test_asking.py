"""The one ask(): what it decides and what it records, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from bot.domain.policy import Refusal
from bot.domain.surveys import SurveyState
from bot.runtime.services import Services
from bot.usecases.asking import AskOutcome, ask
from bot.usecases.surveys import SurveySpec, create_survey
from storage import asks, opt_outs
from storage import waves as store
from storage.asks import AskState
from storage.models import Contact, Survey

DAY = date(2026, 3, 10)
KEY = "a" * 64


async def new_survey(services: Services) -> Survey:
    return await create_survey(
        services.database,
        platform="slack",
        tenant="T1",
        spec=SurveySpec(name="pulse"),
        now=services.clock(),
        default_locale="en",
    )


async def state_of(services: Services, survey: Survey) -> AskState:
    async with services.database.transaction() as session:
        state = await asks.ask_state(
            session, tenant_id=survey.tenant_id, survey_id=survey.id, respondent_key=KEY
        )
    assert state is not None
    return state


async def ask_on(
    services: Services, survey: Survey, day: date, *, wave_id: uuid.UUID | None = None
) -> AskOutcome:
    state = await state_of(services, survey)
    async with services.database.transaction() as session:
        return await ask(
            session,
            state=state,
            respondent_key=KEY,
            platform_labels={},
            today=day,
            wave_id=wave_id,
        )


async def stored_asks(services: Services) -> list[tuple[date, uuid.UUID | None, bool]]:
    async with services.database.transaction() as session:
        rows = await session.execute(
            select(col(Contact.asked_on), col(Contact.wave_id), col(Contact.open))
            .where(col(Contact.respondent_key) == KEY)
            .order_by(col(Contact.asked_on))
        )
        return [(asked_on, wave_id, bool(is_open)) for asked_on, wave_id, is_open in rows]


async def test_a_first_ask_is_recorded_open(services: Services) -> None:
    survey = await new_survey(services)
    outcome = await ask_on(services, survey, DAY)
    assert outcome.verdict.eligible and outcome.written and outcome.ask is not None
    assert outcome.ask.wave_id is None
    assert await stored_asks(services) == [(DAY, None, True)]


async def test_an_open_ask_stands_for_the_question_and_nothing_more_is_written(
    services: Services,
) -> None:
    survey = await new_survey(services)
    first = await ask_on(services, survey, DAY)
    later = await ask_on(services, survey, DAY + timedelta(days=3))
    assert later.ask == first.ask and not later.written
    assert await stored_asks(services) == [(DAY, None, True)]


async def test_a_wave_asks_anew_when_the_cap_allows_despite_an_ask_left_open(
    services: Services,
) -> None:
    survey = await new_survey(services)
    await ask_on(services, survey, DAY)
    async with services.database.transaction() as session:
        wave = await store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=services.clock(),
            opens_at=services.clock(),
            closes_at=services.clock() + timedelta(days=7),
        )
    too_soon = await ask_on(services, survey, DAY + timedelta(days=149), wave_id=wave.id)
    assert too_soon.verdict.refusal is Refusal.TOO_SOON and too_soon.ask is None
    allowed = await ask_on(services, survey, DAY + timedelta(days=150), wave_id=wave.id)
    assert allowed.written and allowed.ask is not None and allowed.ask.wave_id == wave.id
    assert await stored_asks(services) == [
        (DAY, None, True),
        (DAY + timedelta(days=150), wave.id, True),
    ]


async def test_refusals_write_nothing(services: Services) -> None:
    survey = await new_survey(services)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(status=SurveyState.PAUSED.value))
    paused = await ask_on(services, survey, DAY)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(status=SurveyState.ACTIVE.value))
        await opt_outs.add_opt_out(
            session, tenant_id=survey.tenant_id, respondent_key=KEY, since=DAY
        )
    opted_out = await ask_on(services, survey, DAY)
    assert [paused.verdict.refusal, opted_out.verdict.refusal] == [
        Refusal.INACTIVE,
        Refusal.OPTED_OUT,
    ]
    assert paused.ask is None and opted_out.ask is None
    assert await stored_asks(services) == []


async def test_a_caller_that_lost_the_race_gets_the_winners_ask_and_writes_nothing(
    services: Services,
) -> None:
    survey = await new_survey(services)
    stale = await state_of(services, survey)  # read before the winner wrote
    winner = await ask_on(services, survey, DAY)
    async with services.database.transaction() as session:
        loser = await ask(session, state=stale, respondent_key=KEY, platform_labels={}, today=DAY)
    assert winner.written and not loser.written
    assert loser.ask == winner.ask
    assert await stored_asks(services) == [(DAY, None, True)]
