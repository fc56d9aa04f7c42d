"""Keyword-only data access for scoped viewers: whom a survey's report is shared with,
for which one group, by respondent key.

Each function runs inside the caller's session and transaction; none commits. A person
holds at most one share per survey (a unique key); sharing again replaces its group.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import ScopedViewer, Survey
from storage.sql import insert_unless_present, rowcount


async def share(
    session: AsyncSession,
    *,
    survey: Survey,
    viewer_key: str,
    label: str,
    value: str,
    today: date,
) -> bool:
    """Share ``survey``'s report for ``label`` = ``value`` with ``viewer_key``; True when
    the person had no share of it before (False: their share now names this group)."""
    row = ScopedViewer(
        tenant_id=survey.tenant_id,
        survey_id=survey.id,
        viewer_key=viewer_key,
        label=label,
        value=value,
        shared_on=today,
    )
    if await insert_unless_present(session, row):
        return True
    await session.execute(
        update(ScopedViewer)
        .where(col(ScopedViewer.survey_id) == survey.id, col(ScopedViewer.viewer_key) == viewer_key)
        .values(label=label, value=value, shared_on=today)
    )
    return False


async def revoke(session: AsyncSession, *, survey_id: uuid.UUID, viewer_key: str) -> bool:
    """End the person's share of the survey; False when they had none."""
    statement = delete(ScopedViewer).where(
        col(ScopedViewer.survey_id) == survey_id, col(ScopedViewer.viewer_key) == viewer_key
    )
    return await rowcount(session, statement) > 0


async def shares_of_survey(session: AsyncSession, *, survey_id: uuid.UUID) -> list[ScopedViewer]:
    """Every share of the survey, by group and then by the day it was made."""
    query = (
        select(ScopedViewer)
        .where(col(ScopedViewer.survey_id) == survey_id)
        .order_by(
            col(ScopedViewer.label),
            col(ScopedViewer.value),
            col(ScopedViewer.shared_on),
            col(ScopedViewer.viewer_key),
        )
    )
    return list((await session.execute(query)).scalars())


async def shares_of_viewer(
    session: AsyncSession, *, tenant_id: uuid.UUID, viewer_key: str
) -> list[tuple[ScopedViewer, Survey]]:
    """The person's shares in the tenant with their surveys, by survey name."""
    query = (
        select(ScopedViewer, Survey)
        .join(Survey, col(Survey.id) == col(ScopedViewer.survey_id))
        .where(col(ScopedViewer.tenant_id) == tenant_id, col(ScopedViewer.viewer_key) == viewer_key)
        .order_by(col(Survey.name))
    )
    return [(viewer, survey) for viewer, survey in (await session.execute(query)).all()]
