"""What an action's follow-up reads of one wave's answers: its released reasons, and the
count, sum and sum of squares of one driver's ratings (aggregated in SQL).

Nothing here decides what may be shown; the caller puts each wave to the disclosure gate
and applies the text and group thresholds. Each function runs in the caller's
transaction and only reads.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.answer_scope import released_by
from storage.models import DriverRating, Response


async def wave_reasons(
    session: AsyncSession, *, wave_id: uuid.UUID, through_step: int
) -> tuple[str, ...]:
    """The non-empty reasons of the wave's answers released by step ``through_step``,
    in the answers' random order."""
    query = (
        select(col(Response.reason))
        .where(
            col(Response.wave_id) == wave_id,
            col(Response.reason).is_not(None),
            *released_by(col(Response.release_step), through_step),
        )
        .order_by(col(Response.id))
    )
    return tuple(text for text in (await session.execute(query)).scalars() if text and text.strip())


async def rating_moments(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    driver: str,
    through_step: int,
    wave_id: uuid.UUID | None = None,
) -> tuple[int, float, float]:
    """How many of the survey's released answers (of wave ``wave_id`` only, when given)
    rated ``driver``, the sum of those ratings and the sum of their squares."""
    of_wave = [] if wave_id is None else [col(Response.wave_id) == wave_id]
    query = (
        select(
            func.count(),
            func.coalesce(func.sum(col(DriverRating.rating)), 0),
            func.coalesce(func.sum(col(DriverRating.rating) * col(DriverRating.rating)), 0),
        )
        .select_from(DriverRating)
        .join(Response, col(Response.id) == col(DriverRating.response_id))
        .where(
            col(Response.survey_id) == survey_id,
            *of_wave,
            col(DriverRating.driver) == driver,
            *released_by(col(Response.release_step), through_step),
        )
    )
    n, total, squares = (await session.execute(query)).one()
    return int(n), float(total), float(squares)
