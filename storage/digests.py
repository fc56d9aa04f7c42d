"""Keyword-only data access for digests: which periodic summary went to which channel.

Each function runs inside the caller's session and transaction; none commits. A
digest is claimed by inserting its row, unique per survey, period and channel, before
it is posted, so of any number of processes exactly one posts it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Digest
from storage.sql import insert_unless_present


async def record_digest(
    session: AsyncSession, *, survey_id: uuid.UUID, period: str, channel: str, now: datetime
) -> bool:
    """Claim the one post of a digest. False when it was already posted."""
    digest = Digest(survey_id=survey_id, period=period, channel=channel, posted_at=now)
    return await insert_unless_present(session, digest)


async def digest_posted(
    session: AsyncSession, *, survey_id: uuid.UUID, period: str, channel: str
) -> bool:
    """Whether the digest of ``period`` already went to ``channel``."""
    query = select(col(Digest.id)).where(
        col(Digest.survey_id) == survey_id,
        col(Digest.period) == period,
        col(Digest.channel) == channel,
    )
    return (await session.execute(query)).first() is not None
