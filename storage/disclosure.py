"""The disclosure ledger: release steps, released groups, and the atoms the rule reads.

Everything runs in the caller's transaction. :func:`lock_release` must come first in a
release: it rewrites the survey's ``release_state`` row unchanged, which holds a row
lock on PostgreSQL and the write lock on SQLite until the transaction ends, so two
releases of one survey never decide against a ledger the other is still changing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage import mixing
from storage.models import DriverRating, ReleasedGroup, ReleaseState, Response
from storage.sql import groupable_json, insert_unless_present, rowcount, table

DETRACTOR_TOP = 6
PROMOTER_BOTTOM = 9


@dataclass(frozen=True)
class AtomRow:
    """``count`` released answers alike in step, day, wave and labels."""

    step: int
    day: date
    wave: str | None
    labels: dict[str, str]
    count: int


async def lock_release(session: AsyncSession, *, survey_id: uuid.UUID, k: int) -> ReleaseState:
    """The survey's release state, locked for this transaction. It is created only once
    the survey has a release step to cut (``k`` answers waiting): before that a release
    writes nothing (and has nothing to release), so reading the report of a survey with
    fewer answers stores no row."""
    lock = (
        update(ReleaseState)
        .where(col(ReleaseState.survey_id) == survey_id)
        .values(step=col(ReleaseState.step))
    )
    if not await rowcount(session, lock):
        if await waiting_answers(session, survey_id=survey_id) < k:
            return ReleaseState(survey_id=survey_id)
        await insert_unless_present(session, ReleaseState(survey_id=survey_id))
        await rowcount(session, lock)
    state = await session.get(ReleaseState, survey_id, populate_existing=True)
    assert state is not None  # inserted above unless it existed
    return state


async def waiting_answers(session: AsyncSession, *, survey_id: uuid.UUID) -> int:
    """How many answers of the survey belong to no release step yet."""
    query = select(func.count()).where(
        col(Response.survey_id) == survey_id, col(Response.release_step).is_(None)
    )
    return int((await session.execute(query)).scalar_one())


async def cut_step(session: AsyncSession, *, state: ReleaseState, pool: mixing.Pool) -> int:
    """Put every waiting answer of ``state``'s survey into a new step; how many moved.

    The survey's mixing pool (``pool``) is locked first, so an answer being rewritten
    there joins this step or the next, never neither; on PostgreSQL the answers moved
    join the pool as they are stamped, so that none keeps the cut's stamp alone (see
    :mod:`storage.mixing`).
    """
    await mixing.lock_pool(session, survey_id=state.survey_id)
    step = state.step + 1
    waiting = col(Response.survey_id) == state.survey_id, col(Response.release_step).is_(None)
    moved = await rowcount(session, update(Response).where(*waiting).values(release_step=step))
    if mixing.mixes(session):
        await mixing.join_pool(session, pool, where=col(Response.release_step) == step)
    await set_steps(session, state=state, step=step)
    return moved


async def set_steps(
    session: AsyncSession,
    *,
    state: ReleaseState,
    step: int | None = None,
    text_step: int | None = None,
    ratings_step: int | None = None,
) -> None:
    """Move the state's steps (only those given)."""
    values: dict[str, Any] = {}
    for name, value in (("step", step), ("text_step", text_step), ("ratings_step", ratings_step)):
        if value is not None:
            values[name] = value
            setattr(state, name, value)
    if values:
        await session.execute(
            update(ReleaseState)
            .where(col(ReleaseState.survey_id) == state.survey_id)
            .values(**values)
        )


async def atoms(session: AsyncSession, *, survey_id: uuid.UUID, through_step: int) -> list[AtomRow]:
    """Released answers of the survey counted per (step, day, wave, labels), in SQL.

    Counted in two steps: first per (day, labels, score, wave, step), the order of the
    ``ix_response_cube`` index, which SQLite then reads in order and groups as it goes;
    then those counts summed over the scores. Grouped at once by (step, day, wave,
    labels), SQLite sorted every answer of the survey first (a million: 0.6 s, against
    0.3 s in two steps)."""
    response = table(Response)
    labels = groupable_json(response.c.segments, dialect=session.get_bind().dialect.name)
    fine = (
        select(
            response.c.release_step,
            response.c.answered_on,
            response.c.wave_id,
            labels.label("labels"),
            func.count().label("answers"),
        )
        .where(
            response.c.survey_id == survey_id,
            response.c.release_step.is_not(None),
            response.c.release_step <= through_step,
        )
        .group_by(
            response.c.answered_on,
            labels,
            response.c.score,
            response.c.wave_id,
            response.c.release_step,
        )
        .subquery("fine")
    )
    keys = [fine.c.release_step, fine.c.answered_on, fine.c.wave_id, fine.c.labels]
    query = select(*keys, func.sum(fine.c.answers)).group_by(*keys)
    return [
        AtomRow(
            step=int(row[0]),
            day=_day(row[1]),
            wave=None if row[2] is None else uuid.UUID(str(row[2])).hex,
            labels={str(k): str(v) for k, v in dict(row[3] or {}).items()},
            count=int(row[4]),
        )
        for row in (await session.execute(query)).all()
    ]


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


async def released_selectors(session: AsyncSession, *, survey_id: uuid.UUID) -> list[str]:
    """The ledger of the survey: the canonical text of every group released so far."""
    query = select(col(ReleasedGroup.selector)).where(col(ReleasedGroup.survey_id) == survey_id)
    return [str(text) for text in (await session.execute(query)).scalars().all()]


async def record_released(
    session: AsyncSession, *, survey_id: uuid.UUID, selectors: Iterable[str]
) -> None:
    """Add groups to the survey's ledger (those already there are left as they are)."""
    for text in dict.fromkeys(selectors):
        await insert_unless_present(session, ReleasedGroup(survey_id=survey_id, selector=text))


async def reasons_by_side(
    session: AsyncSession, *, survey_id: uuid.UUID, after_step: int, through_step: int
) -> tuple[int, int]:
    """Detractors' and promoters' written reasons in the steps after ``after_step`` up to
    ``through_step``."""
    in_steps = (
        col(Response.survey_id) == survey_id,
        col(Response.release_step) > after_step,
        col(Response.release_step) <= through_step,
        col(Response.reason).is_not(None),
    )
    # One read of the reasons' index (ix_response_reason_step) for both sides.
    both = select(
        func.count().filter(col(Response.score) <= DETRACTOR_TOP),
        func.count().filter(col(Response.score) >= PROMOTER_BOTTOM),
    ).where(*in_steps)
    detractors, promoters = (await session.execute(both)).one()
    return int(detractors), int(promoters)


async def rated_answers(
    session: AsyncSession, *, survey_id: uuid.UUID, after_step: int, through_step: int
) -> int:
    """Answers with at least one driver rating in the steps after ``after_step`` up to
    ``through_step``."""
    query = (
        select(func.count(func.distinct(col(DriverRating.response_id))))
        .join(Response, col(Response.id) == col(DriverRating.response_id))
        .where(
            col(Response.survey_id) == survey_id,
            col(Response.release_step) > after_step,
            col(Response.release_step) <= through_step,
        )
    )
    return int((await session.execute(query)).scalar_one())
