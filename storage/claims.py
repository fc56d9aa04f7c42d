"""Keyword-only data access for answer claims (the ``answer_claim`` table).

A claim stands between storing an answer and closing its ask: the answer's transaction
writes the claim and no row about the person; the next transaction closes the ask, and
settling runs delete the claim later (see :mod:`bot.usecases.settling`). A claim is
named only by a keyed digest of the ask's id, computed by the bot, so the database
alone cannot tell which ask a claim is for. Nothing here commits.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable

from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AnswerClaim, Survey
from storage.sql import Executor, dialect_name, insert_or_skip, rowcount, table

_CLAIM, _SURVEY = table(AnswerClaim), table(Survey)


@functools.cache
def _claim_and_lock() -> Select[tuple[uuid.UUID]]:
    """One round trip on PostgreSQL: the claim, and when it is won, the survey's row
    lock (``FOR NO KEY UPDATE``, the mixing pool's lock, see :mod:`storage.mixing`).
    Built once, on first use, so SQLite deployments do not load PostgreSQL's SQL."""
    from sqlalchemy.dialects import postgresql

    claimed = (
        postgresql.insert(_CLAIM)
        .values(digest=bindparam("digest"), survey_id=bindparam("survey_id"), seen=False)
        .on_conflict_do_nothing()
        .returning(_CLAIM.c.survey_id)
        .cte("claimed")
    )
    return (
        select(_SURVEY.c.id)
        .where(_SURVEY.c.id.in_(select(claimed.c.survey_id)))
        .with_for_update(key_share=True, of=_SURVEY)
    )


async def claim_ask(
    session: Executor, *, survey_id: uuid.UUID, digest: str, lock_pool: bool = False
) -> bool:
    """Claim the ask named by ``digest`` for the answer being stored with one ``INSERT``.

    True for exactly one of any number of racing callers; False when the ask was
    claimed already (its answer is stored, even if its ask is not yet closed).
    With ``lock_pool`` on PostgreSQL the same statement takes the survey's mixing pool
    lock when the claim is won, as :func:`storage.mixing.lock_pool` does (a no-op on
    SQLite, whose writers take turns anyway).
    """
    values = {"digest": digest, "survey_id": survey_id}
    dialect = dialect_name(session)
    if lock_pool and dialect == "postgresql":
        return (await session.execute(_claim_and_lock(), values)).first() is not None
    inserted = await session.execute(insert_or_skip(_CLAIM, dialect), values)
    return bool(inserted.rowcount)  # type: ignore[attr-defined]


async def drop_claims(session: AsyncSession, *, digests: Iterable[str]) -> int:
    """Delete the claims named; how many there were."""
    wanted = list(digests)
    if not wanted:
        return 0
    return await rowcount(session, delete(AnswerClaim).where(col(AnswerClaim.digest).in_(wanted)))


async def mark_seen(session: AsyncSession, *, digests: Iterable[str]) -> int:
    """Note that the claims named were found with their asks closed."""
    wanted = list(digests)
    if not wanted:
        return 0
    statement = update(AnswerClaim).where(col(AnswerClaim.digest).in_(wanted)).values(seen=True)
    return await rowcount(session, statement)


async def claims_by_survey(session: AsyncSession) -> dict[uuid.UUID, dict[str, bool]]:
    """Every claim still standing, by survey: each digest with whether it was seen."""
    query = select(_CLAIM.c.survey_id, _CLAIM.c.digest, _CLAIM.c.seen)
    found: dict[uuid.UUID, dict[str, bool]] = {}
    for survey_id, digest, seen in (await session.execute(query)).all():
        found.setdefault(survey_id, {})[digest] = bool(seen)
    return found
