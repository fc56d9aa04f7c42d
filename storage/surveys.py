"""Keyword-only data access for surveys, always scoped to their tenant unless a
function says otherwise.

Each function runs inside the caller's session and transaction; none commits. A
survey's name is unique in its tenant, and that constraint decides between two
processes creating the same survey at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Response, Survey, Tenant
from storage.sql import find_or_insert


def _named(tenant_id: uuid.UUID, name: str) -> SelectOfScalar[Survey]:
    return select(Survey).where(col(Survey.tenant_id) == tenant_id, col(Survey.name) == name)


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
    return await find_or_insert(
        session,
        query=_named(tenant_id, name),
        make=lambda: Survey(
            tenant_id=tenant_id,
            name=name,
            kind=kind,
            subject=subject,
            drivers=[dict(driver) for driver in drivers],
            created_at=now,
        ),
    )


async def find_survey(
    session: AsyncSession, *, tenant_id: uuid.UUID, survey_id: uuid.UUID
) -> Survey | None:
    """A survey of this tenant, or None (never another tenant's)."""
    query = select(Survey).where(col(Survey.id) == survey_id, col(Survey.tenant_id) == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def find_survey_by_name(
    session: AsyncSession, *, tenant_id: uuid.UUID, name: str
) -> Survey | None:
    """The tenant's survey called ``name``, or None. A name with a NUL is no survey's
    (names are stored without control characters), and PostgreSQL refuses it in text."""
    if "\x00" in name:
        return None
    return (await session.execute(_named(tenant_id, name))).scalar_one_or_none()


async def active_surveys(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[Survey]:
    query = select(Survey).where(col(Survey.tenant_id) == tenant_id, col(Survey.status) == "active")
    return list((await session.execute(query)).scalars())


async def tenant_surveys(
    session: AsyncSession, *, platform: str, external_id: str
) -> list[tuple[Survey, int]]:
    """The surveys of one workspace/guild by name, each with its number of answers.

    Counted in SQL with one grouped outer join. A tenant never seen yet has none.
    """
    answers = func.count(col(Response.id))
    query = (
        select(Survey, answers)
        .join(Tenant, col(Tenant.id) == col(Survey.tenant_id))
        .outerjoin(Response, col(Response.survey_id) == col(Survey.id))
        .where(col(Tenant.platform) == platform, col(Tenant.external_id) == external_id)
        .group_by(col(Survey.id))
        .order_by(col(Survey.name))
    )
    return [(survey, int(count)) for survey, count in (await session.execute(query)).all()]


async def surveys_named(
    session: AsyncSession, *, tenant_id: uuid.UUID | None = None, name: str | None = None
) -> list[Survey]:
    """Surveys by name (every tenant unless one is given), ordered by name; none for a
    name with a NUL (see :func:`find_survey_by_name`)."""
    if name is not None and "\x00" in name:
        return []
    query = select(Survey).order_by(col(Survey.name))
    if tenant_id is not None:
        query = query.where(col(Survey.tenant_id) == tenant_id)
    if name is not None:
        query = query.where(col(Survey.name) == name)
    return list((await session.execute(query)).scalars())
