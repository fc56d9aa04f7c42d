"""Driver ratings: stored against an anonymous answer, and counted in SQL for reports.

A rating row is (answer id, driver key, rating). Nothing here takes or returns anything
about a person; which answer a rating belongs to is decided by the caller from a sealed
token only the person who answered holds.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage import mixing
from storage.answer_scope import DayRange, released_by
from storage.models import DriverRating, Response, Survey
from storage.sql import table


@dataclass(frozen=True)
class RatedAnswers:
    """``count`` answers with ``score`` and these ratings, in the order of the keys asked
    for (``None``: that driver was not rated)."""

    score: int
    ratings: tuple[int | None, ...]
    count: int


async def answer_drivers(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID
) -> list[dict[str, str]] | None:
    """The driver questions of the survey an answer of this tenant belongs to; None when
    there is no such answer."""
    query = (
        select(col(Survey.drivers))
        .join(Response, col(Response.survey_id) == col(Survey.id))
        .where(col(Response.id) == response_id, col(Response.tenant_id) == tenant_id)
    )
    found = (await session.execute(query)).first()
    return None if found is None else list(found[0] or [])


async def set_rating(
    session: AsyncSession, *, response_id: uuid.UUID, driver: str, rating: int
) -> None:
    """Store or change one rating of an answer (one row per answer and driver).

    An upsert, so a double click, a redelivery or a change of mind all leave one row
    holding the latest rating, however many requests race.
    """
    pool = await mixing.hold_pool(session, response_id=response_id)
    dialect = session.get_bind().dialect.name
    # Only the dialect in use is loaded: a SQLite deployment never holds PostgreSQL's.
    dialects = importlib.import_module(f"sqlalchemy.dialects.{dialect}")
    statement = dialects.insert(table(DriverRating)).values(
        response_id=response_id, driver=driver, rating=rating
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["response_id", "driver"], set_={"rating": statement.excluded.rating}
        )
    )
    if pool is not None:
        await mixing.remix(session, pool)


async def ratings_of(session: AsyncSession, *, response_id: uuid.UUID) -> dict[str, int]:
    """The ratings given so far for one answer, by driver key."""
    query = select(col(DriverRating.driver), col(DriverRating.rating)).where(
        col(DriverRating.response_id) == response_id
    )
    return {str(driver): int(rating) for driver, rating in (await session.execute(query)).all()}


async def rated_answers(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    keys: Sequence[str],
    through_step: int,
    days: DayRange | None = None,
) -> tuple[RatedAnswers, ...]:
    """Answers of a survey that rated any of ``keys`` (answered in ``days`` when given),
    counted per score and ratings.

    One statement: the inner query pivots each answer's rating rows into one column per
    key, the outer one counts answers per (score, ratings) combination, so at most
    11 × 6⁵ rows come back however many answers there are.
    """
    if not keys:
        return ()
    rating = table(DriverRating)
    response = table(Response)
    pivot = [
        func.max(case((rating.c.driver == key, rating.c.rating))).label(f"r{index}")
        for index, key in enumerate(keys)
    ]
    per_answer = (
        select(response.c.score, *pivot)
        .join(rating, rating.c.response_id == response.c.id)
        .where(
            response.c.survey_id == survey_id,
            rating.c.driver.in_(list(keys)),
            *(days or DayRange()).conditions(response.c.answered_on),
            *released_by(response.c.release_step, through_step),
        )
        .group_by(response.c.id, response.c.score)
        .subquery("per_answer")
    )
    columns: list[Any] = [per_answer.c.score, *(per_answer.c[f"r{i}"] for i in range(len(keys)))]
    query = select(*columns, func.count()).group_by(*columns)
    return tuple(
        RatedAnswers(
            score=int(row[0]),
            ratings=tuple(None if value is None else int(value) for value in row[1:-1]),
            count=int(row[-1]),
        )
        for row in (await session.execute(query)).all()
    )
