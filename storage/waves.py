"""Keyword-only data access for waves: one sending of a survey, open until it closes.

Each function runs inside the caller's session and transaction; none commits. Every
step that several replicas may run at once is decided by the database: a wave is
unique per survey and opening, so replicas opening the same wave make one, and
closing is a compare-and-set that succeeds for exactly one caller. What a wave's
invitations go through is :mod:`storage.invitations`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Invitation, Survey, Wave
from storage.sql import find_or_insert, rowcount, utc

OPEN = "open"
CLOSED = "closed"


def _opening(survey_id: uuid.UUID, scheduled_for: datetime) -> SelectOfScalar[Wave]:
    return select(Wave).where(
        col(Wave.survey_id) == survey_id, col(Wave.scheduled_for) == utc(scheduled_for)
    )


def tenant_wave_ids(tenant_id: uuid.UUID) -> SelectOfScalar[uuid.UUID]:
    """A query of the ids of every wave of the tenant's surveys, to narrow further or to
    use as a subquery."""
    return (
        select(col(Wave.id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(col(Survey.tenant_id) == tenant_id)
    )


async def open_wave(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    scheduled_for: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> Wave:
    """The wave of ``survey_id`` for the opening ``scheduled_for``, created if missing.

    Race-safe: of two callers for the same opening, one inserts and both get that row.
    """
    return await find_or_insert(
        session,
        query=_opening(survey_id, scheduled_for),
        make=lambda: Wave(
            survey_id=survey_id,
            scheduled_for=utc(scheduled_for),
            opens_at=opens_at,
            closes_at=closes_at,
            status=OPEN,
        ),
    )


async def find_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> Wave | None:
    """The wave ``wave_id``, or None."""
    return await session.get(Wave, wave_id)


async def wave_for_opening(
    session: AsyncSession, *, survey_id: uuid.UUID, scheduled_for: datetime
) -> Wave | None:
    """The wave of ``survey_id`` for the opening ``scheduled_for``, if it was opened."""
    return (await session.execute(_opening(survey_id, scheduled_for))).scalar_one_or_none()


async def open_waves(session: AsyncSession, *, survey_id: uuid.UUID) -> list[Wave]:
    """The survey's waves that are still open, oldest first."""
    query = (
        select(Wave)
        .where(col(Wave.survey_id) == survey_id, col(Wave.status) == OPEN)
        .order_by(col(Wave.opens_at))
    )
    return list((await session.execute(query)).scalars())


async def latest_wave(session: AsyncSession, *, survey_id: uuid.UUID) -> Wave | None:
    """The survey's wave opened last, open or closed, if any."""
    query = select(Wave).where(col(Wave.survey_id) == survey_id).order_by(col(Wave.opens_at).desc())
    return (await session.execute(query)).scalars().first()


async def previous_wave(session: AsyncSession, *, wave: Wave) -> Wave | None:
    """The survey's wave opened last before ``wave``, if any."""
    query = (
        select(Wave)
        .where(col(Wave.survey_id) == wave.survey_id, col(Wave.opens_at) < wave.opens_at)
        .order_by(col(Wave.opens_at).desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def waves_due_to_close(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime
) -> list[uuid.UUID]:
    """Open waves of the tenant whose window has ended."""
    query = tenant_wave_ids(tenant_id).where(col(Wave.status) == OPEN, col(Wave.closes_at) <= now)
    return list((await session.execute(query)).scalars())


async def set_invited(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """Store (and return) how many invitations the wave holds."""
    count_query = select(func.count()).where(col(Invitation.wave_id) == wave_id)
    invited = int((await session.execute(count_query)).scalar_one())
    await session.execute(update(Wave).where(col(Wave.id) == wave_id).values(invited=invited))
    return invited


async def close_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> bool:
    """Mark an open wave closed. True for exactly one caller."""
    statement = (
        update(Wave).where(col(Wave.id) == wave_id, col(Wave.status) == OPEN).values(status=CLOSED)
    )
    return await rowcount(session, statement) == 1
