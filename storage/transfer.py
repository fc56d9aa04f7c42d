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

from storage.database import note_answers
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
    note_answers(session, len(values))


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
    """What an export may read of one answer: no id and no time of day. ``step`` and
    ``wave`` only place the answer in the disclosure gate's atoms; they are not exported."""

    answered_on: date
    score: int
    reason: str | None
    segments: dict[str, str]
    step: int | None
    wave: str | None


async def stream_answers(
    session: AsyncSession, *, survey_id: uuid.UUID, through_step: int | None = None
) -> AsyncIterator[StoredAnswer]:
    """The survey's answers in random-id order, fetched in batches: all of them, or with
    ``through_step`` only those released by that step."""
    responses = table(Response)
    columns = (
        responses.c.answered_on,
        responses.c.score,
        responses.c.reason,
        responses.c.segments,
        responses.c.release_step,
        responses.c.wave_id,
    )
    where = [responses.c.survey_id == survey_id]
    if through_step is not None:
        where += [responses.c.release_step.is_not(None), responses.c.release_step <= through_step]
    query = (
        select(*columns)
        .where(*where)
        .order_by(responses.c.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    result = await session.stream(query)
    async for answered_on, score, reason, segments, step, wave in result:
        yield StoredAnswer(
            answered_on=answered_on,
            score=int(score),
            reason=reason,
            segments=dict(segments or {}),
            step=None if step is None else int(step),
            wave=None if wave is None else uuid.UUID(str(wave)).hex,
        )
