"""Deletions that span tables: a survey with everything recorded under it, and every
row keyed to one person but the holds that take their place. (A whole tenant goes
through :mod:`storage.tenant_removal`.)

The caller owns the transaction: every row goes, or (on any failure) none does. Rows
are deleted children first so that foreign keys hold at every statement on both
SQLite and PostgreSQL, without relying on ``ON DELETE CASCADE`` in the schema.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    Alert,
    AnswerClaim,
    AskHold,
    Contact,
    Digest,
    DirectoryEntry,
    DriverRating,
    Invitation,
    OptOut,
    ReleasedGroup,
    ReleaseState,
    ReplyMessage,
    ReplyThread,
    Response,
    ScopedViewer,
    Survey,
    Wave,
)
from storage.plan_models import ActionPlan, WaveNote
from storage.sql import rowcount, table
from storage.waves import tenant_wave_ids

HoldRule = Callable[[Survey, Sequence[date], date | None], date | None]
"""What forget-me keeps of a person's asks of one survey: given the survey (for its cap),
the days they were asked it and the hold they had (or None), the first day they may be
asked it again, or None to keep nothing."""


@dataclass(frozen=True)
class Deleted:
    """How many rows of each kind one deletion removed."""

    surveys: int
    waves: int
    invitations: int
    contacts: int
    holds: int
    claims: int
    ratings: int
    responses: int
    digests: int
    alerts: int
    ledger: int
    release: int
    viewers: int
    replies: int
    threads: int
    actions: int
    notes: int


async def delete_survey(session: AsyncSession, *, survey_id: uuid.UUID) -> Deleted:
    """Delete survey ``survey_id`` with its waves, invitations, asks, forget-me holds,
    answers (and their driver ratings and reply threads), digests, alerts, disclosure
    ledger, the people its report was shared with, its action plans and its "you said,
    we did" notes.

    Runs in the caller's transaction and does not commit. An unknown id deletes nothing
    (``Deleted.surveys == 0``). Answers of the survey go too: they are anonymous, but they
    belong to this survey and to nothing else.
    """
    waves = select(col(Wave.id)).where(col(Wave.survey_id) == survey_id).scalar_subquery()
    answers = select(col(Response.id)).where(col(Response.survey_id) == survey_id).scalar_subquery()
    threads = (
        select(col(ReplyThread.id)).where(col(ReplyThread.survey_id) == survey_id).scalar_subquery()
    )
    statements = (
        ("invitations", delete(Invitation).where(col(Invitation.wave_id).in_(waves))),
        ("contacts", delete(Contact).where(col(Contact.survey_id) == survey_id)),
        ("holds", delete(AskHold).where(col(AskHold.survey_id) == survey_id)),
        ("claims", delete(AnswerClaim).where(col(AnswerClaim.survey_id) == survey_id)),
        ("ratings", delete(DriverRating).where(col(DriverRating.response_id).in_(answers))),
        ("replies", delete(ReplyMessage).where(col(ReplyMessage.thread_id).in_(threads))),
        ("threads", delete(ReplyThread).where(col(ReplyThread.survey_id) == survey_id)),
        ("responses", delete(Response).where(col(Response.survey_id) == survey_id)),
        ("digests", delete(Digest).where(col(Digest.survey_id) == survey_id)),
        ("alerts", delete(Alert).where(col(Alert.survey_id) == survey_id)),
        ("waves", delete(Wave).where(col(Wave.survey_id) == survey_id)),
        ("ledger", delete(ReleasedGroup).where(col(ReleasedGroup.survey_id) == survey_id)),
        ("release", delete(ReleaseState).where(col(ReleaseState.survey_id) == survey_id)),
        ("viewers", delete(ScopedViewer).where(col(ScopedViewer.survey_id) == survey_id)),
        ("actions", delete(ActionPlan).where(col(ActionPlan.survey_id) == survey_id)),
        ("notes", delete(WaveNote).where(col(WaveNote.survey_id) == survey_id)),
        ("surveys", delete(Survey).where(col(Survey.id) == survey_id)),
    )
    counts = {name: await rowcount(session, statement) for name, statement in statements}
    return Deleted(**counts)


async def forget_person(
    session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str, hold: HoldRule
) -> int:
    """Delete every row keyed to this person in this tenant (asks, holds, opt-out,
    invitations, people-directory entries: a roster imported again brings the roster's
    back; the reports shared with them) and write in place of the asks and holds of each
    survey only the hold ``hold`` gives for them.

    The holds are what stops forget-me from letting someone answer a survey again at
    once. They are worked out from the rows this call deletes (``DELETE … RETURNING``),
    so an ask recorded by a racing request is either deleted and counted in its
    survey's hold, or not deleted and still counted by the cap. Answers are not
    touched: they hold no key, so they cannot be found, and they stay anonymous.
    Returns how many rows were deleted.
    """
    contacts, holds = table(Contact), table(AskHold)
    asked = await session.execute(
        delete(contacts)
        .where(contacts.c.tenant_id == tenant_id, contacts.c.respondent_key == respondent_key)
        .returning(contacts.c.survey_id, contacts.c.asked_on)
    )
    history: defaultdict[uuid.UUID, list[date]] = defaultdict(list)
    for survey_id, asked_on in asked.all():
        history[survey_id].append(asked_on)
    held = await session.execute(
        delete(holds)
        .where(holds.c.tenant_id == tenant_id, holds.c.respondent_key == respondent_key)
        .returning(holds.c.survey_id, holds.c.not_before)
    )
    previous: dict[uuid.UUID, date] = {survey_id: day for survey_id, day in held.all()}
    deleted = sum(map(len, history.values())) + len(previous)
    for statement in (
        delete(OptOut).where(
            col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
        ),
        delete(ScopedViewer).where(
            col(ScopedViewer.tenant_id) == tenant_id,
            col(ScopedViewer.viewer_key) == respondent_key,
        ),
        delete(Invitation).where(
            col(Invitation.respondent_key) == respondent_key,
            col(Invitation.wave_id).in_(tenant_wave_ids(tenant_id)),
        ),
        delete(DirectoryEntry).where(
            col(DirectoryEntry.tenant_id) == tenant_id,
            col(DirectoryEntry.respondent_key) == respondent_key,
        ),
    ):
        deleted += await rowcount(session, statement)
    surveys = await session.execute(
        select(Survey).where(
            col(Survey.tenant_id) == tenant_id, col(Survey.id).in_(set(history) | set(previous))
        )
    )
    kept = [
        {
            "survey_id": survey.id,
            "respondent_key": respondent_key,
            "tenant_id": tenant_id,
            "not_before": not_before,
        }
        for survey in surveys.scalars()
        if (not_before := hold(survey, history[survey.id], previous.get(survey.id))) is not None
    ]
    if kept:
        await session.execute(insert(holds), kept)
    return deleted
