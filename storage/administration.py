"""Read-only queries for survey administration, always scoped to one tenant."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Response, Survey, Tenant


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
