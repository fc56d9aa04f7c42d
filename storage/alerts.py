"""Keyword-only data access for closed-loop alerts: the alerts posted, and the reasons
an alert quotes.

Each function runs inside the caller's session and transaction; none commits. An
alert, like a digest (:mod:`storage.digests`), is claimed by inserting its unique row
before it is posted, so of any number of processes exactly one posts it. Counts are
taken in SQL; texts are read only once a count says an alert is due.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from storage.answer_scope import DayRange, WrittenReason, released_by
from storage.models import Alert, Response
from storage.sql import insert_unless_present

DETRACTOR_MAX = 6
PROMOTER_MIN = 9


async def record_alert(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    kind: str,
    period: str,
    channel: str,
    now: datetime,
) -> bool:
    """Claim the one post of an alert. False when it was already posted."""
    alert = Alert(survey_id=survey_id, kind=kind, period=period, channel=channel, posted_at=now)
    return await insert_unless_present(session, alert)


async def last_alert_period(
    session: AsyncSession, *, survey_id: uuid.UUID, kind: str, channel: str
) -> str | None:
    """The greatest ``period`` of the survey's alerts of ``kind`` to ``channel``, if any."""
    query = select(func.max(col(Alert.period))).where(
        col(Alert.survey_id) == survey_id, col(Alert.kind) == kind, col(Alert.channel) == channel
    )
    found = (await session.execute(query)).scalar_one_or_none()
    return None if found is None else str(found)


def _reasons_where(
    survey_id: uuid.UUID, days: DayRange, through_step: int
) -> list[ColumnElement[bool]]:
    return [
        col(Response.survey_id) == survey_id,
        *released_by(col(Response.release_step), through_step),
        col(Response.reason).is_not(None),
        func.length(func.trim(col(Response.reason))) > 0,
        *days.conditions(col(Response.answered_on)),
    ]


async def detractor_reason_count(
    session: AsyncSession, *, survey_id: uuid.UUID, days: DayRange, through_step: int
) -> int:
    """How many detractors (0–6) answered in ``days`` and wrote a non-blank reason
    released by step ``through_step``."""
    query = select(func.count()).where(
        *_reasons_where(survey_id, days, through_step),
        col(Response.score) <= DETRACTOR_MAX,
    )
    return int((await session.execute(query)).scalar_one())


async def side_reasons(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    days: DayRange,
    detractors: bool,
    through_step: int,
) -> tuple[WrittenReason, ...]:
    """Non-blank reasons of detractors (or promoters) answered in ``days`` and released
    by step ``through_step``, in the answers' random order (nothing about when or by
    whom)."""
    side = (
        col(Response.score) <= DETRACTOR_MAX if detractors else col(Response.score) >= PROMOTER_MIN
    )
    query = (
        select(col(Response.score), col(Response.reason))
        .where(*_reasons_where(survey_id, days, through_step), side)
        .order_by(col(Response.id))
    )
    return tuple(
        WrittenReason(score=int(score), text=text)
        for score, text in (await session.execute(query)).all()
        if text
    )
