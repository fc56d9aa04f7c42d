"""Bulk data access for CSV import and anonymized export.

Import writes many answers in a few ``executemany`` batches inside the caller's
transaction, so a failure stores nothing. Export streams answers in the order of their
random ids (never insertion order) and reads only what an export may contain.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlmodel
from sqlalchemy import Table, cast, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Response, Survey, new_id

EXPORT_BATCH = 5000


def _responses() -> Table:
    return typing.cast(Table, getattr(Response, "__table__"))  # noqa: B009


async def insert_answers(
    session: AsyncSession, *, tenant_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert anonymous answers; each row has ``survey_id, score, reason, locale,
    segments, answered_on`` (ids are drawn here, at random)."""
    if not rows:
        return
    values = [{**row, "id": new_id(), "tenant_id": tenant_id, "wave_id": None} for row in rows]
    await session.execute(insert(_responses()), values)


async def label_counts(
    session: AsyncSession, *, survey_id: uuid.UUID
) -> tuple[tuple[dict[str, str], int], ...]:
    """Answers per distinct set of segment labels of a survey, counted in SQL."""
    labels: ColumnElement[Any] = _responses().c.segments
    if session.get_bind().dialect.name == "postgresql":
        labels = cast(labels, JSONB)  # ``json`` has no equality to group by
    query = (
        select(labels, func.count()).where(_responses().c.survey_id == survey_id).group_by(labels)
    )
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
    table = _responses()
    query = (
        select(table.c.answered_on, table.c.score, table.c.reason, table.c.segments)
        .where(table.c.survey_id == survey_id)
        .order_by(table.c.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    result = await session.stream(query)
    async for answered_on, score, reason, segments in result:
        yield StoredAnswer(
            answered_on=answered_on, score=int(score), reason=reason, segments=dict(segments or {})
        )


async def surveys_named(
    session: AsyncSession, *, tenant_id: uuid.UUID | None = None, name: str | None = None
) -> list[Survey]:
    """Surveys by name (every tenant unless one is given), ordered by name."""
    query = sqlmodel.select(Survey).order_by(sqlmodel.col(Survey.name))
    if tenant_id is not None:
        query = query.where(sqlmodel.col(Survey.tenant_id) == tenant_id)
    if name is not None:
        query = query.where(sqlmodel.col(Survey.name) == name)
    return list((await session.execute(query)).scalars())
