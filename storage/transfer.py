"""Bulk data access for CSV import and anonymized export.

Import writes many answers in a few ``executemany`` batches inside the caller's
transaction, so a failure stores nothing. Export streams answers in the order of their
random ids (never insertion order) and reads only what an export may contain.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Response, new_id
from storage.sql import groupable_json, table

EXPORT_BATCH = 5000


async def insert_answers(
    session: AsyncSession, *, tenant_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert anonymous answers; each row has ``survey_id, score, reason, segments,
    answered_on`` (ids are drawn here, at random)."""
    if not rows:
        return
    values = [{**row, "id": new_id(), "tenant_id": tenant_id, "wave_id": None} for row in rows]
    await session.execute(insert(table(Response)), values)


async def label_counts(
    session: AsyncSession, *, survey_id: uuid.UUID
) -> tuple[tuple[dict[str, str], int], ...]:
    """Answers per distinct set of segment labels of a survey, counted in SQL."""
    responses = table(Response)
    labels = groupable_json(responses.c.segments, dialect=session.get_bind().dialect.name)
    query = select(labels, func.count()).where(responses.c.survey_id == survey_id).group_by(labels)
    return tuple((dict(row[0] or {}), int(row[1])) for row in (await session.execute(query)).all())


@dataclass(frozen=True)
class StoredAnswer:
    """What an export may read of one answer: no id, wave or time of day."""

    answered_on: date
    score: int
    reason: str | None
    segments: dict[str, str]


async def stream_answers(
    session: AsyncSession, *, survey_id: uuid.UUID
) -> AsyncIterator[StoredAnswer]:
    """The survey's answers in random-id order, fetched in batches."""
    responses = table(Response)
    query = (
        select(responses.c.answered_on, responses.c.score, responses.c.reason, responses.c.segments)
        .where(responses.c.survey_id == survey_id)
        .order_by(responses.c.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    result = await session.stream(query)
    async for answered_on, score, reason, segments in result:
        yield StoredAnswer(
            answered_on=answered_on, score=int(score), reason=reason, segments=dict(segments or {})
        )
