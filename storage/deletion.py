"""Deletions that span tables: a survey with everything recorded under it, and every
row keyed to one person. (A whole tenant goes through :mod:`storage.tenant_removal`.)

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
    OptOut,
    ReleasedGroup,
    ReleaseState,
    Response,
    Survey,
    Wave,
)
from storage.sql import rowcount
from storage.waves import tenant_wave_ids


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
    ledger: int
    release: int


async def delete_survey(session: AsyncSession, *, survey_id: uuid.UUID) -> Deleted:
    """Delete survey ``survey_id`` with its waves, invitations, asks, answers (and
    their driver ratings), digests and alerts.

    Runs in the caller's transaction and does not commit. An unknown id deletes nothing
    (``Deleted.surveys == 0``). Answers of the survey go too: they are anonymous, but they
    belong to this survey and to nothing else.
    """
    waves = select(col(Wave.id)).where(col(Wave.survey_id) == survey_id).scalar_subquery()
    answers = select(col(Response.id)).where(col(Response.survey_id) == survey_id).scalar_subquery()
    statements = (
        ("invitations", delete(Invitation).where(col(Invitation.wave_id).in_(waves))),
        ("contacts", delete(Contact).where(col(Contact.survey_id) == survey_id)),
        ("ratings", delete(DriverRating).where(col(DriverRating.response_id).in_(answers))),
        ("responses", delete(Response).where(col(Response.survey_id) == survey_id)),
        ("digests", delete(Digest).where(col(Digest.survey_id) == survey_id)),
        ("alerts", delete(Alert).where(col(Alert.survey_id) == survey_id)),
        ("waves", delete(Wave).where(col(Wave.survey_id) == survey_id)),
        ("ledger", delete(ReleasedGroup).where(col(ReleasedGroup.survey_id) == survey_id)),
        ("release", delete(ReleaseState).where(col(ReleaseState.survey_id) == survey_id)),
        ("surveys", delete(Survey).where(col(Survey.id) == survey_id)),
    )
    counts = {name: await rowcount(session, statement) for name, statement in statements}
    return Deleted(**counts)


async def forget_person(session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str) -> int:
    """Delete every row keyed to this person in this tenant: asks, opt-out, invitations.

    Answers are not touched: they hold no key, so they cannot be found, and they stay
    anonymous. Returns how many rows were deleted.
    """
    statements = [
        delete(Contact).where(
            col(Contact.tenant_id) == tenant_id, col(Contact.respondent_key) == respondent_key
        ),
        delete(OptOut).where(
            col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
        ),
        delete(Invitation).where(
            col(Invitation.respondent_key) == respondent_key,
            col(Invitation.wave_id).in_(tenant_wave_ids(tenant_id)),
        ),
    ]
    deleted = 0
    for statement in statements:
        deleted += await rowcount(session, statement)
    return deleted
