"""Deleting a survey and everything recorded under it.

The caller owns the transaction: every row goes, or (on any failure) none does. Rows
are deleted children first so that foreign keys hold at every statement on both
SQLite and PostgreSQL, without relying on ``ON DELETE CASCADE`` in the schema.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    Alert,
    Contact,
    Digest,
    DriverRating,
    Invitation,
    Response,
    Survey,
    Wave,
)


@dataclass(frozen=True)
class Deleted:
    """How many rows of each kind one deletion removed."""

    surveys: int
    waves: int
    invitations: int
    contacts: int
    ratings: int
    responses: int
    digests: int
    alerts: int


async def delete_survey(session: AsyncSession, *, survey_id: uuid.UUID) -> Deleted:
    """Delete survey ``survey_id`` with its waves, invitations, asks, answers (and
    their driver ratings), digests and alerts.

    Runs in the caller's transaction and does not commit. An unknown id deletes nothing
    (``Deleted.surveys == 0``). Answers of the survey go too: they are anonymous, but they
    belong to this survey and to nothing else.
    """
    waves = select(col(Wave.id)).where(col(Wave.survey_id) == survey_id).scalar_subquery()
    answers = (
        select(col(Response.id)).where(col(Response.survey_id) == survey_id).scalar_subquery()
    )
    statements = (
        ("invitations", delete(Invitation).where(col(Invitation.wave_id).in_(waves))),
        ("contacts", delete(Contact).where(col(Contact.survey_id) == survey_id)),
        ("ratings", delete(DriverRating).where(col(DriverRating.response_id).in_(answers))),
        ("responses", delete(Response).where(col(Response.survey_id) == survey_id)),
        ("digests", delete(Digest).where(col(Digest.survey_id) == survey_id)),
        ("alerts", delete(Alert).where(col(Alert.survey_id) == survey_id)),
        ("waves", delete(Wave).where(col(Wave.survey_id) == survey_id)),
        ("surveys", delete(Survey).where(col(Survey.id) == survey_id)),
    )
    counts: dict[str, int] = {}
    for name, statement in statements:
        result = await session.execute(statement)
        counts[name] = int(getattr(result, "rowcount", 0) or 0)
    return Deleted(**counts)
