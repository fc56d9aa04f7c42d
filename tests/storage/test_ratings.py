"""Driver ratings in storage, on SQLite and PostgreSQL: one row per answer and driver,
1..5 enforced by the database, counted per (score, ratings) in one query."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.runtime.services import Services
from storage import answers, ratings
from storage.models import Survey
from tests.storage.test_aggregates import make_survey
from tests.support.release import release_waiting

DAY = date(2026, 3, 10)
KEYS = ("growth", "manager", "workload")


async def add_answer(services: Services, survey: Survey, score: int) -> uuid.UUID:
    async with services.database.transaction() as session:
        return await answers.insert_response(
            session,
            tenant_id=survey.tenant_id,
            survey_id=survey.id,
            wave_id=None,
            score=score,
            segments={},
            answered_on=DAY,
        )


async def rate(services: Services, answer: uuid.UUID, driver: str, rating: int) -> None:
    async with services.database.transaction() as session:
        await ratings.set_rating(session, response_id=answer, driver=driver, rating=rating)


async def test_rating_table_holds_only_the_answer_the_driver_and_the_rating(
    services: Services,
) -> None:
    async with services.database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("driver_rating")}
        )
        foreign = await connection.run_sync(
            lambda sync: inspect(sync).get_foreign_keys("driver_rating")
        )
    assert columns == {"response_id", "driver", "rating"}
    assert [fk["referred_table"] for fk in foreign] == ["response"]
    if services.database.dialect == "sqlite":
        async with services.database.engine.connect() as connection:
            with pytest.raises(OperationalError):
                await connection.execute(text("SELECT rowid FROM driver_rating"))


async def test_a_second_rating_replaces_the_first(services: Services) -> None:
    survey = await make_survey(services)
    answer = await add_answer(services, survey, 7)
    await rate(services, answer, "growth", 2)
    await rate(services, answer, "growth", 4)
    await rate(services, answer, "manager", 1)
    async with services.database.transaction() as session:
        assert await ratings.ratings_of(session, response_id=answer) == {"growth": 4, "manager": 1}


@pytest.mark.parametrize("rating", [0, 6])
async def test_the_database_refuses_ratings_outside_one_to_five(
    services: Services, rating: int
) -> None:
    survey = await make_survey(services)
    answer = await add_answer(services, survey, 7)
    with pytest.raises(IntegrityError):
        await rate(services, answer, "growth", rating)


async def test_a_rating_needs_an_existing_answer(services: Services) -> None:
    if services.database.dialect == "sqlite":
        pytest.skip("SQLite checks foreign keys only when asked to")
    with pytest.raises(IntegrityError):
        await rate(services, uuid.uuid4(), "growth", 3)


async def test_answer_drivers_names_the_survey_questions_of_this_tenant_only(
    services: Services,
) -> None:
    survey = await make_survey(services)
    async with services.database.transaction() as session:
        stored = await session.get(Survey, survey.id)
        assert stored is not None
        stored.drivers = [{"key": "growth", "label": "Growth"}]
        session.add(stored)
    answer = await add_answer(services, survey, 9)
    async with services.database.transaction() as session:
        own = await ratings.answer_drivers(session, tenant_id=survey.tenant_id, response_id=answer)
        foreign = await ratings.answer_drivers(session, tenant_id=uuid.uuid4(), response_id=answer)
        missing = await ratings.answer_drivers(
            session, tenant_id=survey.tenant_id, response_id=uuid.uuid4()
        )
    assert own == [{"key": "growth", "label": "Growth"}]
    assert foreign is None and missing is None


async def test_rated_answers_count_each_combination_of_score_and_ratings(
    services: Services,
) -> None:
    survey = await make_survey(services)
    other = await make_survey(services, "other")
    pick = random.Random(7)
    expected: Counter[tuple[int, tuple[int | None, ...]]] = Counter()
    for _ in range(60):
        score = pick.randrange(11)
        given = tuple(pick.choice([None, 1, 2, 3, 4, 5]) for _ in KEYS)
        answer = await add_answer(services, survey, score)
        for key, rating in zip(KEYS, given, strict=True):
            if rating is not None:
                await rate(services, answer, key, rating)
        # A rating of a driver that is not asked about is ignored.
        await rate(services, answer, "retired", 5)
        if any(rating is not None for rating in given):
            expected[(score, given)] += 1
    noise = await add_answer(services, other, 3)
    await rate(services, noise, "growth", 1)

    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
        rows = await ratings.rated_answers(
            session, survey_id=survey.id, keys=KEYS, through_step=step
        )
        none = await ratings.rated_answers(session, survey_id=survey.id, keys=(), through_step=step)
    assert Counter({(row.score, row.ratings): row.count for row in rows}) == expected
    assert len(rows) == len(expected)
    assert none == ()
