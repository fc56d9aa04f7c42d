"""Counting answers in SQL: score histograms, totals, and the report's score cube.

Nothing here loads answers into Python to count them. Each function runs inside the
caller's session and transaction and writes nothing. A report's one query scans a
survey's answers once and returns the *score cube*: a count per (period, segment label
value, score). Every total the report needs (overall, per period, per group) is a sum
over those few hundred cells, so the database does the work that grows with the number
of answers and Python only folds a small table.

Reasons are the one exception: theme analysis reads the texts themselves, so
:func:`reasons` returns the written reasons (never ids or dates) of one survey.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, String, cast, extract, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause, Subquery
from sqlmodel import col

from storage.answer_scope import DayRange, released_by
from storage.answer_scope import WrittenReason as WrittenReason  # named here too, by reports
from storage.models import Contact, Invitation, Response, Wave
from storage.periods import PeriodKind as PeriodKind  # named here too, by its queries
from storage.sql import groupable_json, table

HISTOGRAM_BINS = 11


@dataclass(frozen=True)
class Cell:
    """``count`` answers with ``score`` in ``period`` and segment label value ``group``.

    ``period`` is ``None`` when no period was asked for (or the answer has no wave);
    ``group`` is ``None`` when no label was asked for or the answer does not carry it.
    Period labels sort in time order as plain strings.
    """

    period: str | None
    group: str | None
    score: int
    count: int


@dataclass(frozen=True)
class WaveCounts:
    """A wave's invitations and the score counts of the answers it received."""

    wave_id: uuid.UUID
    label: str
    invited: int
    histogram: tuple[int, ...]


async def score_counts(session: AsyncSession, *where: ColumnElement[bool]) -> tuple[int, ...]:
    """The answers matching every condition of ``where``, counted per score: one bin for
    each score 0..10."""
    query = select(col(Response.score), func.count()).where(*where).group_by(col(Response.score))
    counts = [0] * HISTOGRAM_BINS
    for score, count in (await session.execute(query)).all():
        counts[int(score)] = int(count)
    return tuple(counts)


async def score_histogram(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    since: date | None = None,
    until: date | None = None,
) -> tuple[int, ...]:
    """Counts of scores 0..10 for a survey, optionally within [since, until]."""
    where = [col(Response.survey_id) == survey_id]
    if since is not None:
        where.append(col(Response.answered_on) >= since)
    if until is not None:
        where.append(col(Response.answered_on) <= until)
    return await score_counts(session, *where)


async def wave_histogram(
    session: AsyncSession, *, wave_id: uuid.UUID, through_step: int
) -> tuple[int, ...]:
    """The wave's answers released by step ``through_step``, counted per score (11 bins)."""
    return await score_counts(
        session,
        col(Response.wave_id) == wave_id,
        *released_by(col(Response.release_step), through_step),
    )


async def wave_answers(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """How many answers the wave received."""
    query = select(func.count()).where(col(Response.wave_id) == wave_id)
    return int((await session.execute(query)).scalar_one())


async def answers_between(session: AsyncSession, *, survey_id: uuid.UUID, days: DayRange) -> int:
    """How many answers the survey received in ``days``."""
    query = select(func.count()).where(
        col(Response.survey_id) == survey_id, *days.conditions(col(Response.answered_on))
    )
    return int((await session.execute(query)).scalar_one())


async def score_cube(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    period: PeriodKind | None = None,
    by: str | None = None,
    days: DayRange | None = None,
    through_step: int,
) -> tuple[Cell, ...]:
    """Count one survey's answers per period, segment label value ``by`` and score
    (only those answered in ``days`` when given, and only those released by step
    ``through_step``).

    Two stages in one statement. The inner one groups by the stored columns alone (day,
    segment labels, score, wave) in the order of the ``ix_response_cube`` index, so
    SQLite streams it from the index without sorting or reading the table. The outer one
    derives the requested period and reads the label with SQLAlchemy's JSON element
    access (``JSON_EXTRACT`` on SQLite, ``->>`` on PostgreSQL) over those pre-counted
    rows, far fewer than the answers. Cells come ordered by period, group and score.
    """
    fine = _fine_counts(
        survey_id=survey_id,
        dialect=session.get_bind().dialect.name,
        days=days or DayRange(),
        through_step=through_step,
    )
    group: ColumnElement[Any] = literal(None, String) if by is None else _label(fine.c.segments, by)
    keys: list[ColumnElement[Any]] = []
    source: FromClause = fine
    if period in (PeriodKind.MONTH, PeriodKind.QUARTER):
        year = cast(extract("year", fine.c.answered_on), Integer)
        month = cast(extract("month", fine.c.answered_on), Integer)
        keys = [year, month if period is PeriodKind.MONTH else (month + 2) // 3]
    elif period is PeriodKind.WAVE:
        wave = table(Wave)
        keys = [wave.c.opens_at, wave.c.id]
        # An outer join: answers outside any wave (the card, CSV imports) still count
        # overall, in a cell without a period.
        source = fine.outerjoin(wave, wave.c.id == fine.c.wave_id)
    query = (
        select(*keys, group, fine.c.score, func.sum(fine.c.answers))
        .select_from(source)
        .group_by(*keys, group, fine.c.score)
    )
    width = len(keys)
    cells = [
        Cell(
            period=_period_label(period, row[:width]),
            group=row[width],
            score=int(row[width + 1]),
            count=int(row[width + 2]),
        )
        for row in (await session.execute(query)).all()
    ]
    cells.sort(key=lambda cell: (cell.period or "", cell.group or "", cell.score))
    return tuple(cells)


def _fine_counts(
    *, survey_id: uuid.UUID, dialect: str, days: DayRange, through_step: int
) -> Subquery:
    """Answers counted per stored (day, labels, score, wave), as a subquery.

    PostgreSQL cannot compare ``json`` values, so there the labels are grouped as
    ``jsonb`` (equal label sets compare equal whatever their key order).
    """
    response = table(Response)
    columns = [
        response.c.answered_on,
        groupable_json(response.c.segments, dialect=dialect).label("segments"),
        response.c.score,
        response.c.wave_id,
    ]
    return (
        select(*columns, func.count().label("answers"))
        .where(
            response.c.survey_id == survey_id,
            *days.conditions(response.c.answered_on),
            *released_by(response.c.release_step, through_step),
        )
        .group_by(*columns)
        .subquery("fine")
    )


def _period_label(period: PeriodKind | None, key: Sequence[Any]) -> str | None:
    if period is PeriodKind.MONTH:
        return f"{int(key[0]):04d}-{int(key[1]):02d}"
    if period is PeriodKind.QUARTER:
        return f"{int(key[0]):04d}-Q{int(key[1])}"
    if period is PeriodKind.WAVE:
        return None if key[0] is None else _day(key[0]).isoformat()
    return None


def _day(value: datetime | date | str) -> date:
    """The day of a timestamp as the driver returns it (SQLite may give text)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    return value.date() if isinstance(value, datetime) else value


async def latest_invited_wave(
    session: AsyncSession, *, survey_id: uuid.UUID, through_step: int
) -> WaveCounts | None:
    """The most recently opened wave of the survey that has invitation rows, if any.

    ``invited`` counts the wave's invitation rows; the histogram counts the answers
    stored with that wave and released by step ``through_step``.
    """
    invited = func.count(col(Invitation.id))
    query = (
        select(col(Wave.id), col(Wave.opens_at), invited)
        .join(Invitation, col(Invitation.wave_id) == col(Wave.id))
        .where(col(Wave.survey_id) == survey_id)
        .group_by(col(Wave.id), col(Wave.opens_at))
        .order_by(col(Wave.opens_at).desc())
        .limit(1)
    )
    found = (await session.execute(query)).first()
    if found is None:
        return None
    wave_id, opens_at, count = found
    histogram = await score_counts(
        session,
        col(Response.survey_id) == survey_id,
        col(Response.wave_id) == wave_id,
        *released_by(col(Response.release_step), through_step),
    )
    return WaveCounts(
        wave_id=wave_id, label=_day(opens_at).isoformat(), invited=int(count), histogram=histogram
    )


async def invited_by_label(session: AsyncSession, *, wave_id: uuid.UUID, by: str) -> dict[str, int]:
    """The wave's asks (one per person invited) counted per value of label ``by`` they
    were made with, in SQL; asks without that label are not counted."""
    contact = table(Contact)
    value = _label(contact.c.labels, by)
    query = (
        select(value, func.count())
        .where(contact.c.wave_id == wave_id, value.is_not(None))
        .group_by(value)
    )
    return {str(label): int(count) for label, count in (await session.execute(query)).all()}


async def wave_labels(session: AsyncSession, *, survey_id: uuid.UUID) -> dict[str, frozenset[str]]:
    """The survey's waves by the label a report gives them (the day each opened), as the
    hex ids that answers carry; waves opened on the same day share a label."""
    query = select(col(Wave.id), col(Wave.opens_at)).where(col(Wave.survey_id) == survey_id)
    labels: dict[str, set[str]] = {}
    for wave_id, opens_at in (await session.execute(query)).all():
        labels.setdefault(_day(opens_at).isoformat(), set()).add(uuid.UUID(str(wave_id)).hex)
    return {label: frozenset(ids) for label, ids in labels.items()}


async def reasons(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    through_step: int,
    days: DayRange | None = None,
) -> tuple[WrittenReason, ...]:
    """Every non-empty reason of a survey released by step ``through_step`` (answered in
    ``days`` when given), ordered by the answers' random ids.

    The random order means any "first few" taken from it is an unbiased sample that
    says nothing about when or by whom a reason was written.
    """
    query = (
        select(col(Response.score), col(Response.reason), col(Response.id))
        .where(
            col(Response.survey_id) == survey_id,
            col(Response.reason).is_not(None),
            *(days or DayRange()).conditions(col(Response.answered_on)),
            *released_by(col(Response.release_step), through_step),
        )
        .order_by(col(Response.id))
    )
    return tuple(
        WrittenReason(score=int(score), text=text, answer_id=uuid.UUID(str(answer_id)))
        for score, text, answer_id in (await session.execute(query)).all()
        if text and text.strip()
    )


def _label(labels: ColumnElement[Any], name: str) -> ColumnElement[Any]:
    """The text of label ``name`` in the JSON column ``labels``. A name holding a double
    quote is read as no value on either database: SQLite's JSON path cannot name it,
    and both databases must count alike."""
    if '"' in name:
        return literal(None, String)
    value: ColumnElement[Any] = labels[name].as_string()
    return value
