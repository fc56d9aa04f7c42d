"""Keyword-only data access used by the engine's use cases.

Each function runs inside the caller's session and transaction; none commits. Where
two processes could race (first use of a tenant, closing an ask), the database's
unique constraints and conditional updates decide, not memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from storage.models import Contact, Invitation, OptOut, Response, Survey, Tenant, Wave

HISTOGRAM_BINS = 11


async def insert_unless_present(session: AsyncSession, row: SQLModel) -> bool:
    """Insert ``row`` in a savepoint; False (and nothing written) when a unique constraint
    says it exists already. This is how concurrent callers agree on one row."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


async def get_or_create_tenant(
    session: AsyncSession, *, platform: str, external_id: str, locale: str, now: datetime
) -> Tenant:
    """The tenant for a workspace/guild, created on first use (race-safe)."""
    query = select(Tenant).where(
        col(Tenant.platform) == platform, col(Tenant.external_id) == external_id
    )
    tenant = (await session.execute(query)).scalar_one_or_none()
    if tenant is not None:
        return tenant
    tenant = Tenant(platform=platform, external_id=external_id, locale=locale, created_at=now)
    if await insert_unless_present(session, tenant):
        return tenant
    return (await session.execute(query)).scalar_one()


async def find_tenant(session: AsyncSession, *, platform: str, external_id: str) -> Tenant | None:
    """The tenant of a workspace/guild if it is stored (never creates one)."""
    query = select(Tenant).where(
        col(Tenant.platform) == platform, col(Tenant.external_id) == external_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def get_or_create_survey(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    name: str,
    kind: str,
    subject: str,
    now: datetime,
    drivers: Sequence[Mapping[str, str]] = (),
) -> Survey:
    """The tenant's survey called ``name``, created with the given kind/subject (and
    driver questions) if missing."""
    query = select(Survey).where(col(Survey.tenant_id) == tenant_id, col(Survey.name) == name)
    survey = (await session.execute(query)).scalar_one_or_none()
    if survey is not None:
        return survey
    survey = Survey(
        tenant_id=tenant_id,
        name=name,
        kind=kind,
        subject=subject,
        drivers=[dict(driver) for driver in drivers],
        created_at=now,
    )
    if await insert_unless_present(session, survey):
        return survey
    return (await session.execute(query)).scalar_one()


async def find_survey(
    session: AsyncSession, *, tenant_id: uuid.UUID, survey_id: uuid.UUID
) -> Survey | None:
    """A survey of this tenant, or None (never another tenant's)."""
    query = select(Survey).where(col(Survey.id) == survey_id, col(Survey.tenant_id) == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def find_survey_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> Survey | None:
    query = select(Survey).where(col(Survey.tenant_id) == tenant_id, col(Survey.name) == name)
    return (await session.execute(query)).scalar_one_or_none()


async def close_contact(session: AsyncSession, *, contact_id: uuid.UUID) -> bool:
    """Close an open ask. True for exactly one caller, however many race for it."""
    statement = (
        update(Contact)
        .where(col(Contact.id) == contact_id, col(Contact.open).is_(True))
        .values(open=False)
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def insert_response(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    survey_id: uuid.UUID,
    wave_id: uuid.UUID | None,
    score: int,
    locale: str,
    segments: Mapping[str, str],
    answered_on: date,
) -> uuid.UUID:
    """Store one anonymous answer and return its random id."""
    response = Response(
        tenant_id=tenant_id,
        survey_id=survey_id,
        wave_id=wave_id,
        score=score,
        locale=locale,
        segments=dict(segments),
        answered_on=answered_on,
    )
    session.add(response)
    await session.flush()
    return response.id


async def set_reason(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID, reason: str | None
) -> bool:
    """Attach (or clear) the reason of an answer of this tenant. False if there is none."""
    statement = (
        update(Response)
        .where(col(Response.id) == response_id, col(Response.tenant_id) == tenant_id)
        .values(reason=reason)
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def response_score(
    session: AsyncSession, *, tenant_id: uuid.UUID, response_id: uuid.UUID
) -> int | None:
    """The score of one answer of this tenant, or None."""
    query = select(col(Response.score)).where(
        col(Response.id) == response_id, col(Response.tenant_id) == tenant_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def is_opted_out(session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str) -> bool:
    query = select(col(OptOut.id)).where(
        col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
    )
    return (await session.execute(query)).first() is not None


async def add_opt_out(
    session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str, since: date
) -> bool:
    """Record an opt-out; False when the person had already opted out."""
    return await insert_unless_present(
        session, OptOut(tenant_id=tenant_id, respondent_key=respondent_key, since=since)
    )


async def remove_opt_out(
    session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str
) -> bool:
    """Forget an opt-out; False when there was none."""
    statement = delete(OptOut).where(
        col(OptOut.tenant_id) == tenant_id,
        col(OptOut.respondent_key) == respondent_key,
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def score_histogram(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    since: date | None = None,
    until: date | None = None,
) -> tuple[int, ...]:
    """Counts of scores 0..10 for a survey, optionally within [since, until], in SQL."""
    query = select(col(Response.score), func.count()).where(col(Response.survey_id) == survey_id)
    if since is not None:
        query = query.where(col(Response.answered_on) >= since)
    if until is not None:
        query = query.where(col(Response.answered_on) <= until)
    query = query.group_by(col(Response.score))
    counts = [0] * HISTOGRAM_BINS
    for score, count in (await session.execute(query)).all():
        counts[score] = count
    return tuple(counts)


def histogram_from_rows(rows: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """Turn (score, count) rows into an 11-bin histogram."""
    counts = [0] * HISTOGRAM_BINS
    for score, count in rows:
        counts[score] += count
    return tuple(counts)


async def forget_person(session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str) -> int:
    """Delete every row keyed to this person in this tenant: asks, opt-out, invitations.

    Answers are not touched: they hold no key, so they cannot be found, and they stay
    anonymous. Returns how many rows were deleted.
    """
    waves = (
        select(col(Wave.id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(col(Survey.tenant_id) == tenant_id)
    )
    statements = [
        delete(Contact).where(
            col(Contact.tenant_id) == tenant_id, col(Contact.respondent_key) == respondent_key
        ),
        delete(OptOut).where(
            col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
        ),
        delete(Invitation).where(
            col(Invitation.respondent_key) == respondent_key, col(Invitation.wave_id).in_(waves)
        ),
    ]
    deleted = 0
    for statement in statements:
        result = await session.execute(statement)
        deleted += int(result.rowcount)  # type: ignore[attr-defined]
    return deleted


async def expire_reasons(session: AsyncSession, *, answered_before: date) -> int:
    """Clear the reasons of answers given before ``answered_before``; scores stay."""
    statement = (
        update(Response)
        .where(col(Response.answered_on) < answered_before, col(Response.reason).is_not(None))
        .values(reason=None)
    )
    result = await session.execute(statement)
    return int(result.rowcount)  # type: ignore[attr-defined]
