"""Keyword-only data access for waves, invitations and digests.

Each function runs inside the caller's session and transaction; none commits. Every
step that several replicas may run at once is decided by the database: unique keys
(a wave per opening, an invitation per person and wave, a digest per survey, period
and channel) turn a second insert into "already there", and status changes are
compare-and-set updates that succeed for exactly one caller.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Contact, Digest, Invitation, Response, Survey, Wave
from storage.queries import insert_unless_present

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
EXPIRED = "expired"
INTERRUPTED = "interrupted"

OPEN = "open"
CLOSED = "closed"


@dataclass(frozen=True)
class Delivery:
    """What sending one invitation needs; read after the invitation was claimed."""

    invitation_id: uuid.UUID
    wave_id: uuid.UUID
    survey_id: uuid.UUID
    address: str
    locale: str
    timezone: str
    deliver_at: datetime
    closes_at: datetime
    reminders_sent: int


@dataclass(frozen=True)
class SentMessage:
    """A delivered invitation whose message should say the wave has closed."""

    reference: str
    locale: str


def utc(moment: datetime) -> datetime:
    """``moment`` as aware UTC. SQLite hands back naive datetimes; every stored one is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


async def _rowcount(session: AsyncSession, statement: object) -> int:
    result = await session.execute(statement)  # type: ignore[call-overload]
    return int(result.rowcount)


# -- waves --------------------------------------------------------------------------------


async def open_wave(
    session: AsyncSession,
    *,
    survey_id: uuid.UUID,
    scheduled_for: datetime,
    opens_at: datetime,
    closes_at: datetime,
) -> Wave:
    """The wave of ``survey_id`` for the opening ``scheduled_for``, created if missing.

    Race-safe: of two callers for the same opening, one inserts and both get that row.
    """
    scheduled_for = utc(scheduled_for)
    query = select(Wave).where(
        col(Wave.survey_id) == survey_id, col(Wave.scheduled_for) == scheduled_for
    )
    wave = (await session.execute(query)).scalar_one_or_none()
    if wave is not None:
        return wave
    wave = Wave(
        survey_id=survey_id,
        scheduled_for=scheduled_for,
        opens_at=opens_at,
        closes_at=closes_at,
        status=OPEN,
    )
    if await insert_unless_present(session, wave):
        return wave
    return (await session.execute(query)).scalar_one()


async def find_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> Wave | None:
    return await session.get(Wave, wave_id)


async def open_waves(session: AsyncSession, *, survey_id: uuid.UUID) -> list[Wave]:
    """The survey's waves that are still open, oldest first."""
    query = (
        select(Wave)
        .where(col(Wave.survey_id) == survey_id, col(Wave.status) == OPEN)
        .order_by(col(Wave.opens_at))
    )
    return list((await session.execute(query)).scalars())


async def latest_wave(session: AsyncSession, *, survey_id: uuid.UUID) -> Wave | None:
    query = select(Wave).where(col(Wave.survey_id) == survey_id).order_by(col(Wave.opens_at).desc())
    return (await session.execute(query)).scalars().first()


async def waves_due_to_close(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime
) -> list[uuid.UUID]:
    """Open waves of the tenant whose window has ended."""
    query = (
        select(col(Wave.id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(
            col(Survey.tenant_id) == tenant_id,
            col(Wave.status) == OPEN,
            col(Wave.closes_at) <= now,
        )
    )
    return list((await session.execute(query)).scalars())


async def set_invited(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """Store (and return) how many invitations the wave holds."""
    count_query = select(func.count()).where(col(Invitation.wave_id) == wave_id)
    invited = int((await session.execute(count_query)).scalar_one())
    await session.execute(update(Wave).where(col(Wave.id) == wave_id).values(invited=invited))
    return invited


async def close_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> bool:
    """Mark an open wave closed. True for exactly one caller."""
    statement = (
        update(Wave).where(col(Wave.id) == wave_id, col(Wave.status) == OPEN).values(status=CLOSED)
    )
    return await _rowcount(session, statement) == 1


async def close_wave_contacts(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """Close every ask of the wave still waiting for a score."""
    statement = (
        update(Contact)
        .where(col(Contact.wave_id) == wave_id, col(Contact.open).is_(True))
        .values(open=False)
    )
    return await _rowcount(session, statement)


async def sent_messages(session: AsyncSession, *, wave_id: uuid.UUID) -> list[SentMessage]:
    query = select(col(Invitation.reference), col(Invitation.locale)).where(
        col(Invitation.wave_id) == wave_id,
        col(Invitation.status) == SENT,
        col(Invitation.reference).is_not(None),
    )
    found: list[SentMessage] = []
    for reference, locale in (await session.execute(query)).all():
        if reference is not None:
            found.append(SentMessage(reference=reference, locale=locale))
    return found


async def purge_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> None:
    """Forget delivery details and the answered ledger of a closed wave.

    Invitations never sent become ``expired``; one claimed but never confirmed (the
    process stopped between claim and send) becomes ``failed`` with ``interrupted``.
    """
    where = col(Invitation.wave_id) == wave_id
    await session.execute(
        update(Invitation).where(where, col(Invitation.status) == PENDING).values(status=EXPIRED)
    )
    await session.execute(
        update(Invitation)
        .where(where, col(Invitation.status) == SENDING)
        .values(status=FAILED, error=INTERRUPTED)
    )
    await session.execute(
        update(Invitation)
        .where(where)
        .values(address=None, reference=None, answered=False, remind_at=None, claimed_at=None)
    )


async def status_counts(session: AsyncSession, *, wave_id: uuid.UUID) -> dict[str, int]:
    """How many invitations of the wave are in each status."""
    query = (
        select(col(Invitation.status), func.count())
        .where(col(Invitation.wave_id) == wave_id)
        .group_by(col(Invitation.status))
    )
    return {status: int(count) for status, count in await session.execute(query)}


# -- invitations --------------------------------------------------------------------------


async def has_invitation(session: AsyncSession, *, wave_id: uuid.UUID, respondent_key: str) -> bool:
    query = select(col(Invitation.id)).where(
        col(Invitation.wave_id) == wave_id, col(Invitation.respondent_key) == respondent_key
    )
    return (await session.execute(query)).first() is not None


async def add_invitation(
    session: AsyncSession,
    *,
    wave_id: uuid.UUID,
    respondent_key: str,
    address: str,
    locale: str,
    timezone: str,
    deliver_at: datetime,
) -> bool:
    """Invite a person to a wave. False (and nothing written) if they already are."""
    invitation = Invitation(
        wave_id=wave_id,
        respondent_key=respondent_key,
        address=address,
        locale=locale,
        timezone=timezone,
        deliver_at=deliver_at,
    )
    return await insert_unless_present(session, invitation)


async def due_invitations(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime, limit: int
) -> list[uuid.UUID]:
    """Pending invitations of the tenant's open waves whose delivery time has come."""
    query = (
        select(col(Invitation.id))
        .join(Wave, col(Wave.id) == col(Invitation.wave_id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(
            col(Survey.tenant_id) == tenant_id,
            col(Wave.status) == OPEN,
            col(Invitation.status) == PENDING,
            col(Invitation.deliver_at) <= now,
        )
        .order_by(col(Invitation.deliver_at))
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def claim_invitation(
    session: AsyncSession, *, invitation_id: uuid.UUID, now: datetime
) -> bool:
    """Compare-and-set pending -> sending, stamped ``now``. True for exactly one caller."""
    statement = (
        update(Invitation)
        .where(col(Invitation.id) == invitation_id, col(Invitation.status) == PENDING)
        .values(status=SENDING, claimed_at=now)
    )
    return await _rowcount(session, statement) == 1


def _left_behind(claimed_before: datetime) -> ColumnElement[bool]:
    """A ``sending`` claim older than ``claimed_before`` (or from before claims were stamped)."""
    return and_(
        col(Invitation.status) == SENDING,
        or_(col(Invitation.claimed_at).is_(None), col(Invitation.claimed_at) <= claimed_before),
    )


async def left_behind_claims(
    session: AsyncSession, *, tenant_id: uuid.UUID, claimed_before: datetime, limit: int
) -> list[uuid.UUID]:
    """Invitations of the tenant's open waves claimed before ``claimed_before`` and never
    settled: their sender stopped between the claim and recording the platform's answer."""
    query = (
        select(col(Invitation.id))
        .join(Wave, col(Wave.id) == col(Invitation.wave_id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(
            col(Survey.tenant_id) == tenant_id,
            col(Wave.status) == OPEN,
            _left_behind(claimed_before),
        )
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def reclaim_invitation(
    session: AsyncSession, *, invitation_id: uuid.UUID, claimed_before: datetime, now: datetime
) -> bool:
    """Take over a claim left behind (restamped ``now``). True for exactly one caller, so
    two replicas never reconcile the same invitation at once."""
    statement = (
        update(Invitation)
        .where(col(Invitation.id) == invitation_id, _left_behind(claimed_before))
        .values(claimed_at=now)
    )
    return await _rowcount(session, statement) == 1


async def deliveries(
    session: AsyncSession, *, invitation_ids: Sequence[uuid.UUID]
) -> list[Delivery]:
    """Delivery details of the given invitations that still have an address."""
    if not invitation_ids:
        return []
    query = (
        select(Invitation, Wave)
        .join(Wave, col(Wave.id) == col(Invitation.wave_id))
        .where(col(Invitation.id).in_(invitation_ids), col(Invitation.address).is_not(None))
    )
    found: list[Delivery] = []
    for invitation, wave in (await session.execute(query)).all():
        assert invitation.address is not None
        found.append(
            Delivery(
                invitation_id=invitation.id,
                wave_id=wave.id,
                survey_id=wave.survey_id,
                address=invitation.address,
                locale=invitation.locale,
                timezone=invitation.timezone,
                deliver_at=utc(invitation.deliver_at),
                closes_at=utc(wave.closes_at),
                reminders_sent=invitation.reminders_sent,
            )
        )
    return found


async def mark_sent(
    session: AsyncSession,
    *,
    invitation_id: uuid.UUID,
    reference: str,
    remind_at: datetime | None,
) -> None:
    await session.execute(
        update(Invitation)
        .where(col(Invitation.id) == invitation_id, col(Invitation.status) == SENDING)
        .values(status=SENT, reference=reference, remind_at=remind_at)
    )


async def mark_failed(session: AsyncSession, *, invitation_id: uuid.UUID, reason: str) -> None:
    """A delivery the platform refused for good; it is never retried."""
    await session.execute(
        update(Invitation)
        .where(col(Invitation.id) == invitation_id, col(Invitation.status) == SENDING)
        .values(status=FAILED, error=reason[:64])
    )


async def release_invitation(session: AsyncSession, *, invitation_id: uuid.UUID) -> None:
    """Give a claim back (sending -> pending) after the platform said it did not deliver."""
    await session.execute(
        update(Invitation)
        .where(col(Invitation.id) == invitation_id, col(Invitation.status) == SENDING)
        .values(status=PENDING)
    )


async def mark_answered(session: AsyncSession, *, wave_id: uuid.UUID, respondent_key: str) -> bool:
    """Note that this person answered in this wave (never what). False if not invited."""
    statement = (
        update(Invitation)
        .where(
            col(Invitation.wave_id) == wave_id,
            col(Invitation.respondent_key) == respondent_key,
        )
        .values(answered=True, remind_at=None)
    )
    return await _rowcount(session, statement) == 1


async def due_reminders(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime, limit: int
) -> list[uuid.UUID]:
    """Sent, unanswered invitations of open waves whose next reminder time has come."""
    query = (
        select(col(Invitation.id))
        .join(Wave, col(Wave.id) == col(Invitation.wave_id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(
            col(Survey.tenant_id) == tenant_id,
            col(Wave.status) == OPEN,
            col(Wave.closes_at) > now,
            col(Invitation.status) == SENT,
            col(Invitation.answered).is_(False),
            col(Invitation.remind_at) <= now,
        )
        .order_by(col(Invitation.remind_at))
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def claim_reminder(
    session: AsyncSession,
    *,
    invitation_id: uuid.UUID,
    reminders_sent: int,
    next_remind_at: datetime | None,
) -> bool:
    """Count one more reminder, if nobody else did and the person has not answered.

    Compare-and-set on ``reminders_sent``, so two replicas send one reminder.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.reminders_sent) == reminders_sent,
            col(Invitation.status) == SENT,
            col(Invitation.answered).is_(False),
        )
        .values(reminders_sent=reminders_sent + 1, remind_at=next_remind_at)
    )
    return await _rowcount(session, statement) == 1


# -- digests ------------------------------------------------------------------------------


async def record_digest(
    session: AsyncSession, *, survey_id: uuid.UUID, period: str, channel: str, now: datetime
) -> bool:
    """Claim the one post of a digest. False when it was already posted."""
    digest = Digest(survey_id=survey_id, period=period, channel=channel, posted_at=now)
    return await insert_unless_present(session, digest)


async def wave_answers(session: AsyncSession, *, wave_id: uuid.UUID) -> int:
    """How many answers the wave received."""
    query = select(func.count()).where(col(Response.wave_id) == wave_id)
    return int((await session.execute(query)).scalar_one())


async def wave_for_opening(
    session: AsyncSession, *, survey_id: uuid.UUID, scheduled_for: datetime
) -> Wave | None:
    query = select(Wave).where(
        col(Wave.survey_id) == survey_id, col(Wave.scheduled_for) == utc(scheduled_for)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def active_surveys(session: AsyncSession, *, tenant_id: uuid.UUID) -> list[Survey]:
    query = select(Survey).where(col(Survey.tenant_id) == tenant_id, col(Survey.status) == "active")
    return list((await session.execute(query)).scalars())
