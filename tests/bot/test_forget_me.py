"""Forget-me keeps the count: a person who forgets is not asked a survey again sooner than
its cap allows, by any way of asking, and nothing else is kept (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Table, func, select, text
from sqlmodel import SQLModel

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import HomeView, Notice, ReasonPrompt, ScorePrompt, Tone
from storage.models import AskHold, Response
from storage.sql import table
from tests.support.clock import Clock

T = "T0FORGET1"
HOLDS = table(AskHold)


def person(user: str = "U0FORGET1") -> Person:
    return Person(platform="test", tenant=T, user_id=user, locale="en")


async def answer(services: Services, who: Person, score: int) -> ReasonPrompt:
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)
    assert isinstance(view, ReasonPrompt)
    return view


async def rows(services: Services, of: Table) -> list[tuple[object, ...]]:
    async with services.database.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(select(of))]


async def answers(services: Services) -> int:
    async with services.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(Response))).scalar_one())


async def test_answer_forget_me_and_nps_again_is_refused_until_the_cap_allows(
    services: Services, clock: Clock
) -> None:
    who = person()
    await answer(services, who, 10)
    forgot = await services.commands.handle(who, "forget-me")
    assert isinstance(forgot, Notice) and forgot.tone is Tone.SUCCESS

    again = await services.commands.handle(who, "")  # "/nps"

    # The first ask was on Tuesday 10 March 2026; the cap's gap ends on Friday 7 August,
    # and the day kept is the Monday after it.
    assert clock().date() + timedelta(days=150) == date(2026, 8, 7)
    assert isinstance(again, Notice)
    assert (
        again.text
        == "You answered recently, so we won't ask again yet. Next time from August 10, 2026."
    )
    # A score sent with the survey's id (a channel card, an old button) is no way round it.
    score = await services.engine.record_score(who, survey_id=await survey_id(services), score=10)
    assert isinstance(score, Notice) and score.text == again.text
    assert await answers(services) == 1

    clock.now = clock.now.replace(month=8, day=9)
    assert isinstance(await services.commands.handle(who, ""), Notice)
    clock.now = clock.now.replace(day=10)
    assert isinstance(await services.commands.handle(who, ""), ScorePrompt)


async def survey_id(services: Services) -> str:
    async with services.database.engine.connect() as connection:
        return str((await connection.execute(text("SELECT id FROM survey"))).scalar_one())


async def test_an_ask_left_unanswered_cannot_be_answered_after_forget_me(
    services: Services,
) -> None:
    who = person()
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    await services.engine.forget_me(who)

    late = await services.engine.record_score(who, survey_id=prompt.survey_id, score=0)

    assert isinstance(late, Notice) and late.tone is not Tone.SUCCESS
    assert await answers(services) == 0


async def test_only_the_survey_and_the_day_are_kept_and_forgetting_again_changes_nothing(
    services: Services, clock: Clock
) -> None:
    who, other = person(), person("U0STAYS01")
    await answer(services, who, 3)
    await answer(services, other, 8)
    await services.engine.opt_out(who)
    await services.engine.forget_me(who)
    kept = await rows(services, HOLDS)

    clock.advance(days=3)
    await services.engine.forget_me(who)

    assert await rows(services, HOLDS) == kept
    [(survey, key, tenant, not_before)] = kept
    assert not_before == date(2026, 8, 10) and not_before.weekday() == 0
    everything = await every_row(services)
    assert [(name, row) for name, row in everything if key in row] == [
        ("ask_hold", (survey, key, tenant, not_before))
    ]
    home = await services.engine.home(who)
    assert isinstance(home, HomeView) and not home.opted_out  # the opt-out went too
    assert isinstance(await services.engine.start(other), Notice)  # others keep their asks


async def test_the_opt_out_flows_still_work_after_forget_me(services: Services) -> None:
    who = person()
    await answer(services, who, 6)
    await services.engine.forget_me(who)
    t = services.catalogs.translator("en")

    out = await services.engine.opt_out(who)
    refused = await services.engine.start(who)
    back = await services.engine.opt_in(who)
    held = await services.engine.start(who)

    assert isinstance(out, Notice) and out.text == t("optout.done")
    assert isinstance(refused, Notice) and refused.text == t("answer.opted_out")
    assert isinstance(back, Notice) and back.text == t("optin.done")
    assert isinstance(held, Notice) and "Next time from August 10, 2026" in held.text


async def test_someone_never_asked_keeps_nothing(services: Services) -> None:
    who = person()
    await services.engine.opt_out(who)
    await services.engine.forget_me(who)
    assert await rows(services, table(AskHold)) == []
    assert isinstance(await services.engine.start(who), ScorePrompt)


async def every_row(services: Services) -> list[tuple[str, tuple[object, ...]]]:
    found = []
    for each in SQLModel.metadata.sorted_tables:
        found.extend((each.name, row) for row in await rows(services, each))
    return found


async def test_the_daily_job_deletes_a_hold_once_it_weighs_in_no_cap(
    services: Services, clock: Clock
) -> None:
    who = person()
    await answer(services, who, 7)
    await services.engine.forget_me(who)
    # Kept: Monday 10 August 2026. It stands for an ask on 13 March 2026 (150 days
    # before), which leaves the 365-day window on 13 March 2027.
    clock.now = clock.now.replace(year=2027, month=3, day=12)
    assert await services.engine.apply_retention() == 0
    assert len(await rows(services, HOLDS)) == 1

    clock.now = clock.now.replace(day=13)
    assert await services.engine.apply_retention() == 1
    assert await rows(services, HOLDS) == []
    assert await services.engine.apply_retention() == 0
    assert isinstance(await services.engine.start(who), ScorePrompt)
