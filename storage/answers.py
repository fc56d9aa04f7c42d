"""Keyword-only data access for one answer at a time (the ``response`` table).

Each function runs inside the caller's session and transaction; none commits. An
answer is anonymous by construction (see :mod:`storage.models`): nothing here takes
or returns a respondent key, and a function given a tenant never touches another
tenant's answer.
Counting answers is :mod:`storage.aggregates`' job; the hot path of answering inserts
through :mod:`storage.asks`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage import mixing
from storage.database import note_answers
from storage.models import Response, Survey
from storage.sql import rowcount


async def insert_response(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    wave_id: uuid.UUID | None,
    score: int,
    segments: Mapping[str, str],
    answered_on: date,
) -> uuid.UUID:
    """Store one anonymous answer and return its random id."""
    response = Response(
        tenant_id=tenant_id,
        survey_id=survey_id,
        wave_id=wave_id,
        score=score,
        segments=dict(segments),
        answered_on=answered_on,
    )
    session.add(response)
    await session.flush()
    note_answers(session, 1)
    return response.id


async def set_reason(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID, reason: str | None
) -> bool:
    """Attach (or clear) the reason of an answer of this tenant. False if there is none.

    An answer still in its survey's mixing pool is changed with the pool rewritten, so
    the change stamps no single answer (see :mod:`storage.mixing`).
    """
    pool = await mixing.hold_pool(session, response_id=response_id)
    statement = (
        update(Response)
        .where(col(Response.id) == response_id, col(Response.tenant_id) == tenant_id)
        .values(reason=reason)
    )
    changed = await rowcount(session, statement) > 0
    if changed and pool is not None:
        await mixing.remix(session, pool)
    return changed


async def response_score(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID
) -> int | None:
    """The score of one answer of this tenant, or None."""
    query = select(col(Response.score)).where(
        col(Response.id) == response_id, col(Response.tenant_id) == tenant_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def expire_reasons(session: AsyncSession, *, answered_before: date) -> int:
    """Clear the reasons of answers given before ``answered_before``; scores stay.

    On PostgreSQL the answers changed join their surveys' mixing pools, one survey at a
    time, so that none keeps this change's stamp alone (see :mod:`storage.mixing`).
    """
    expiring = (col(Response.answered_on) < answered_before) & col(Response.reason).is_not(None)
    if not mixing.mixes(session):
        return await rowcount(session, update(Response).where(expiring).values(reason=None))
    surveys = (
        (
            await session.execute(
                select(Survey).where(
                    col(Survey.id).in_(select(col(Response.survey_id)).where(expiring))
                )
            )
        )
        .scalars()
        .all()
    )
    cleared = 0
    for survey in surveys:
        await mixing.lock_pool(session, survey_id=survey.id)
        mine = col(Response.survey_id) == survey.id
        cleared += await rowcount(
            session, update(Response).where(mine, expiring).values(reason=None, mixing=True)
        )
        pool = mixing.Pool.of(survey)
        await mixing.close_cohorts(session, pool)
        await mixing.remix(session, pool)
    return cleared
