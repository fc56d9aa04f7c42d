"""The mixing pool: answers that PostgreSQL's system columns cannot put in order.

PostgreSQL stamps every row version with the id of the transaction that wrote it
(``xmin``) and stores it at a position (``ctid``) that follows the order of writing.
Transaction ids are handed out in sequence, so an answer's ``xmin`` sits next to the
``xmin`` of whatever was written about its person a moment later (the ask closed), and
a reason or a driver rating added to it later stamps it again. Read together, those
columns would link a person to their score.

So the newest answers of each survey form a *pool* (``response.mixing``) of at least
``k`` of them once the survey has that many (all of them before). Every change to the
pool (an answer stored, a reason or a rating added to an answer, which rejoins the pool
if it had left it) deletes the pool's answers and their ratings and writes them back in
an order the database draws at random, in one statement: every answer of the pool then
carries the same ``xmin``, and their positions on disk are shuffled. When the pool
reaches ``2k`` answers, ``k`` of them, drawn at random, leave it as they are rewritten,
so the answers that leave together share one ``xmin`` too. The
pool's row lock is the survey's row (``FOR NO KEY UPDATE``: it does not stop other rows
from referring to the survey), taken before any answer of the pool is touched, so two
changes never interleave. Release steps are cut under the same lock (see
:func:`storage.disclosure.cut_step`), so a step never misses an answer being rewritten.

On SQLite there is nothing to mix: it keeps no transaction ids, and ``response`` and
``driver_rating`` are ``WITHOUT ROWID`` tables ordered by their random keys. There these
functions do nothing beyond the plain write. Nothing here commits.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal_column,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import DriverRating, Response, Survey
from storage.sql import Executor, dialect_name, rowcount, table

_SURVEY, _RESPONSE, _RATING = (table(model) for model in (Survey, Response, DriverRating))
# The transaction that wrote a row version: a PostgreSQL system column.
_XMIN: ColumnElement[Any] = literal_column("response.xmin")


def mixes(session: Executor) -> bool:
    """Whether this database needs its answers mixed (PostgreSQL)."""
    return dialect_name(session) == "postgresql"


async def lock_pool(session: AsyncSession, *, survey_id: uuid.UUID) -> None:
    """Hold the survey's pool for this transaction (PostgreSQL; a no-op on SQLite,
    where writers take turns anyway)."""
    if mixes(session):
        lock = select(_SURVEY.c.id).where(_SURVEY.c.id == survey_id).with_for_update(key_share=True)
        await session.execute(lock)


@dataclass(frozen=True)
class Pool:
    """A survey's pool, locked by :func:`hold_pool` for the caller's transaction."""

    survey_id: uuid.UUID
    size: int
    """The answers the pool keeps once it has them: the survey's ``k``."""

    @classmethod
    def of(cls, survey: Survey) -> Pool:
        """The pool of ``survey`` (lock it with :func:`lock_pool`)."""
        return cls(survey_id=survey.id, size=survey.k_min)


async def hold_pool(session: AsyncSession, *, response_id: uuid.UUID) -> Pool | None:
    """Lock the pool of answer ``response_id``'s survey and put the answer in it (it may
    have left it), or None on SQLite or for no such answer. Call it before changing the
    answer or its ratings, and :func:`remix` after: a change stamps the whole pool,
    never one answer."""
    if not mixes(session):
        return None
    query = (
        select(_SURVEY.c.id, _SURVEY.c.k_min, _RESPONSE.c.mixing)
        .join(_RESPONSE, _RESPONSE.c.survey_id == _SURVEY.c.id)
        .where(_RESPONSE.c.id == response_id)
    )
    found = (await session.execute(query)).first()
    if found is None:
        return None
    await lock_pool(session, survey_id=found.id)
    pool = Pool(survey_id=found.id, size=found.k_min)
    if not found.mixing:
        rejoin = update(_RESPONSE).where(_RESPONSE.c.id == response_id).values(mixing=True)
        await session.execute(rejoin)
        await close_cohorts(session, pool)
    return pool


async def close_cohorts(session: AsyncSession, pool: Pool) -> None:
    """After answers outside the pool joined it: put back with them every answer left
    outside that now shares its stamp with fewer than ``pool.size`` others outside.

    Answers leave the pool together, stamped by one transaction; when some of them
    rejoin it (a reason added, a step cut, reasons expired), those left behind must stay
    at least ``size`` strong, or rejoin too. Call it with the pool locked, before
    :func:`remix`.
    """
    cohort = _RESPONSE.alias("cohort")
    stamp = cast(literal_column("cohort.xmin"), Text)
    small = (
        select(stamp)
        .where(cohort.c.survey_id == pool.survey_id, cohort.c.mixing.is_(False))
        .group_by(stamp)
        .having(func.count() < pool.size)
    )
    outside = (_RESPONSE.c.survey_id == pool.survey_id) & _RESPONSE.c.mixing.is_(False)
    rejoin = update(_RESPONSE).where(outside, cast(_XMIN, Text).in_(small)).values(mixing=True)
    await session.execute(rejoin)


async def join_pool(session: AsyncSession, pool: Pool, *, where: ColumnElement[bool]) -> int:
    """Mark the answers of ``pool``'s survey matching ``where`` as pooled and rewrite the
    pool (locked by the caller) with them: for writers that change many answers at once
    (a release step cut, reasons expired), so that none of them keeps that writer's stamp
    alone. Returns how many answers joined."""
    joined = update(_RESPONSE).where(_RESPONSE.c.survey_id == pool.survey_id, where)
    count = await rowcount(session, joined.values(mixing=True))
    await close_cohorts(session, pool)
    await remix(session, pool)
    return count


def _a_new_answer() -> Select[Any]:
    """The values of an answer joining the pool, as a one-row ``SELECT`` of bound
    parameters named ``a_<column>`` (typed as the columns, so that JSON and UUIDs are
    bound as they are for an ``INSERT``)."""
    given = [
        bindparam(f"a_{column.name}", type_=column.type).label(column.name)
        for column in _RESPONSE.c
        if column.name != "mixing"
    ]
    return select(*given, true().label("mixing"))


def _remixing(*, adding: bool) -> Select[Any]:
    """Rewrite a survey's pool (``p_survey``, keeping ``p_size`` answers) in one
    statement: take its answers and their ratings out, and write them back, with the new
    answer when ``adding``, in an order drawn at random; the number of answers written.

    Everything happens in the database, in one round trip, so the pool's lock (held by
    the caller) is held for this statement and the commit only: the answers of one survey
    are stored one at a time, and a round trip more under the lock is one more wait for
    everyone queued behind it. Every answer taken out is read before any is written back
    (the draw below needs them all), and the foreign key from the ratings is checked once
    the statement has written both. ``gen_random_uuid()`` draws from the server's strong
    random source, as ``random.SystemRandom`` did on this side.
    """
    # Ratings go whether or not the survey asks driver questions now: it may have.
    # Both deletes read the statement's one snapshot, so the ratings are those of the
    # answers taken.
    # ``mixing`` bare, not ``mixing IS true``: only the bare column matches the pool's
    # partial index (``WHERE mixing``), so the rewrite reads the pool, not every answer
    # of the survey (tests/storage/test_pool_reads.py).
    in_pool = (_RESPONSE.c.survey_id == bindparam("p_survey")) & _RESPONSE.c.mixing
    pooled_ids = select(_RESPONSE.c.id).where(in_pool)
    taken_ratings = (
        delete(_RATING)
        .where(_RATING.c.response_id.in_(pooled_ids))
        .returning(*_RATING.c)
        .cte("taken_ratings")
    )
    taken = delete(_RESPONSE).where(in_pool).returning(*_RESPONSE.c).cte("taken_answers")
    pool: Select[Any] | CompoundSelect[Any] = select(*taken.c)
    if adding:
        pool = union_all(pool, _a_new_answer())
    pooled = pool.cte("pool")
    drawn = select(
        *pooled.c,
        func.row_number().over(order_by=func.gen_random_uuid()).label("draw"),
        func.count().over().label("pooled"),
    ).cte("drawn")
    size = bindparam("p_size", type_=Integer)
    # From 2k answers on, all but k leave the pool (those drawn after the first k).
    stays = case(((drawn.c.pooled >= 2 * size) & (drawn.c.draw > size), false()), else_=true())
    columns = [column.name for column in _RESPONSE.c]
    written = (
        insert(_RESPONSE)
        .from_select(
            columns,
            select(*(stays if name == "mixing" else drawn.c[name] for name in columns)).order_by(
                func.gen_random_uuid()
            ),
        )
        .returning(_RESPONSE.c.id)
        .cte("written")
    )
    rating_columns = [column.name for column in _RATING.c]
    ratings_back = (
        insert(_RATING)
        .from_select(
            rating_columns,
            select(*(taken_ratings.c[name] for name in rating_columns)).order_by(
                func.gen_random_uuid()
            ),
        )
        .cte("ratings_back")
    )
    # A data-modifying CTE runs whether or not the query reads it: the ratings' is
    # attached, not read.
    return select(func.count()).select_from(written).add_cte(ratings_back)


@functools.cache
def _remix_statement(*, adding: bool) -> Select[Any]:
    # Built once, on first use: building it costs more than the database's work on the
    # answer path, and SQLite deployments never build it.
    return _remixing(adding=adding)


async def remix(
    session: Executor,
    pool: Pool,
    *,
    added: Mapping[str, Any] | None = None,
) -> None:
    """Rewrite the pool (locked by the caller) in random order, with ``added`` (the
    values of a new answer) joining it, and the ratings of its answers with it; one
    statement (:func:`_remixing`)."""
    params: dict[str, Any] = {"p_survey": pool.survey_id, "p_size": pool.size}
    if added is not None:
        params.update({f"a_{name}": value for name, value in added.items() if name != "mixing"})
    await session.execute(_remix_statement(adding=added is not None), params)
