"""Keyword-only data access for invitations: one person invited to one wave, and the
state machine its delivery goes through.

``pending`` → ``sending`` (claimed by one sender) → ``sent``, ``failed`` (the platform
refused for good) or back to ``pending`` (it did not deliver, try again); closing the
wave turns what is left ``expired`` (never sent) or ``failed`` (claimed, never
confirmed) and purges everything but who was invited and the status (see
:func:`purge_wave`). Each function runs inside the caller's session and transaction;
none commits. An invitation is unique per person and wave, and every transition is a
compare-and-set on the status it leaves, so of any number of replicas exactly one
makes it. Invitations never hold the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Update, and_, bindparam, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Invitation, Survey, Wave
from storage.sql import Executor, insert_unless_present, rowcount, table, utc
from storage.waves import OPEN

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
EXPIRED = "expired"

# Built once: every answer to a wave notes it here, and building the statement cost more
# than running it.
_INVITATION = table(Invitation)
_MARK_ANSWERED = (
    update(_INVITATION)
    .where(
        _INVITATION.c.wave_id == bindparam("p_wave"),
        _INVITATION.c.respondent_key == bindparam("p_key"),
    )
    .values(answered=True, remind_at=None)
)


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


def _in_open_waves(tenant_id: uuid.UUID) -> SelectOfScalar[uuid.UUID]:
    """Ids of the invitations of the tenant's open waves, to narrow further."""
    return (
        select(col(Invitation.id))
        .join(Wave, col(Wave.id) == col(Invitation.wave_id))
        .join(Survey, col(Survey.id) == col(Wave.survey_id))
        .where(col(Survey.tenant_id) == tenant_id, col(Wave.status) == OPEN)
    )


def _while_claimed(invitation_id: uuid.UUID, claimed_at: datetime) -> Update:
    """An update of the invitation that applies only while it is still claimed
    (``sending``) under the claim stamped ``claimed_at``.

    A claim taken over is restamped later than the lease allows the old one to be, so a
    stamp no later than ``claimed_at`` means nobody took it over: the outcome of a sender
    that lost its claim changes nothing.
    """
    return update(Invitation).where(
        col(Invitation.id) == invitation_id,
        col(Invitation.status) == SENDING,
        col(Invitation.claimed_at) <= claimed_at,
    )


async def has_invitation(session: AsyncSession, *, wave_id: uuid.UUID, respondent_key: str) -> bool:
    """Whether this person is invited to this wave already."""
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
        _in_open_waves(tenant_id)
        .where(col(Invitation.status) == PENDING, col(Invitation.deliver_at) <= now)
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
    return await rowcount(session, statement) == 1


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
    query = _in_open_waves(tenant_id).where(_left_behind(claimed_before)).limit(limit)
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
    return await rowcount(session, statement) == 1


async def renew_claim(
    session: AsyncSession, *, invitation_id: uuid.UUID, claimed_at: datetime, now: datetime
) -> bool:
    """Restamp a claim still held under the stamp ``claimed_at`` to ``now``, so that it is
    not taken over while its send runs. False when it was taken over (or settled)."""
    statement = _while_claimed(invitation_id, claimed_at).values(claimed_at=now)
    return await rowcount(session, statement) == 1


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
        # An invitation with an address is of an open wave, so nothing of it is purged.
        assert invitation.address is not None and invitation.deliver_at is not None
        assert invitation.locale is not None and invitation.timezone is not None
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
    claimed_at: datetime,
    reference: str,
    remind_at: datetime | None,
) -> None:
    """Record that an invitation claimed under ``claimed_at`` was delivered as message
    ``reference`` (nothing, if the claim was taken over meanwhile)."""
    statement = _while_claimed(invitation_id, claimed_at)
    await session.execute(statement.values(status=SENT, reference=reference, remind_at=remind_at))


async def mark_failed(
    session: AsyncSession, *, invitation_id: uuid.UUID, claimed_at: datetime, reason: str
) -> None:
    """A delivery the platform refused for good; it is never retried (nothing, if the claim
    stamped ``claimed_at`` was taken over meanwhile)."""
    statement = _while_claimed(invitation_id, claimed_at)
    await session.execute(statement.values(status=FAILED, error=reason[:64]))


async def release_invitation(
    session: AsyncSession, *, invitation_id: uuid.UUID, claimed_at: datetime
) -> None:
    """Give a claim back (sending -> pending) after the platform said it did not deliver
    (nothing, if the claim stamped ``claimed_at`` was taken over meanwhile)."""
    await session.execute(_while_claimed(invitation_id, claimed_at).values(status=PENDING))


async def mark_answered(session: Executor, *, wave_id: uuid.UUID, respondent_key: str) -> bool:
    """Note that this person answered in this wave (never what). False if not invited."""
    params = {"p_wave": wave_id, "p_key": respondent_key}
    return await rowcount(session, _MARK_ANSWERED, params) == 1


async def due_reminders(
    session: AsyncSession, *, tenant_id: uuid.UUID, now: datetime, limit: int
) -> list[uuid.UUID]:
    """Sent, unanswered invitations of open waves whose next reminder time has come."""
    query = (
        _in_open_waves(tenant_id)
        .where(
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
    now: datetime,
) -> bool:
    """Count one more reminder, if one is still due at ``now``, nobody else counted it
    and the person has not answered.

    Compare-and-set on ``reminders_sent`` *and* on the reminder being due: a replica may
    read the due list before another replica's claim and the row after it, so it sees
    the new count but no reminder left due; the count alone would let it send a second.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.reminders_sent) == reminders_sent,
            col(Invitation.remind_at) <= now,
            col(Invitation.status) == SENT,
            col(Invitation.answered).is_(False),
        )
        .values(reminders_sent=reminders_sent + 1, remind_at=next_remind_at)
    )
    return await rowcount(session, statement) == 1


async def give_back_reminder(
    session: AsyncSession, *, invitation_id: uuid.UUID, reminders_sent: int, due_at: datetime
) -> bool:
    """Undo :func:`claim_reminder` (counted ``reminders_sent`` -> ``reminders_sent + 1``)
    after the platform surely did not take the reminder: due again at ``due_at``.

    Compare-and-set on the count it made, so a reminder counted since by someone else
    (or an answer given meanwhile) is left alone.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.reminders_sent) == reminders_sent + 1,
            col(Invitation.status) == SENT,
            col(Invitation.answered).is_(False),
        )
        .values(reminders_sent=reminders_sent, remind_at=due_at)
    )
    return await rowcount(session, statement) == 1


async def sent_messages(session: AsyncSession, *, wave_id: uuid.UUID) -> list[SentMessage]:
    """The messages the wave's delivered invitations left on the platform."""
    query = select(col(Invitation.reference), col(Invitation.locale)).where(
        col(Invitation.wave_id) == wave_id,
        col(Invitation.status) == SENT,
        col(Invitation.reference).is_not(None),
    )
    found: list[SentMessage] = []
    for reference, locale in (await session.execute(query)).all():
        if reference is not None and locale is not None:
            found.append(SentMessage(reference=reference, locale=locale))
    return found


async def purge_wave(session: AsyncSession, *, wave_id: uuid.UUID) -> None:
    """Forget everything of a closed wave's invitations but who was invited and the status.

    Invitations never sent become ``expired``; one claimed but never confirmed (the
    process stopped between claim and send) becomes ``failed``. Then every column that
    could tell one invitee from another is set to one value for all: the address, the
    message reference and the answered ledger, and also the locale and time zone (the
    one ``ja-JP`` invitee), the delivery time (which follows the time zone), the
    reminders sent (the one never reminded answered early) and the platform's error.
    Only ``status`` still varies, for the wave's counts.
    """
    where = col(Invitation.wave_id) == wave_id
    await session.execute(
        update(Invitation).where(where, col(Invitation.status) == PENDING).values(status=EXPIRED)
    )
    await session.execute(
        update(Invitation).where(where, col(Invitation.status) == SENDING).values(status=FAILED)
    )
    await session.execute(
        update(Invitation)
        .where(where)
        .values(
            address=None,
            reference=None,
            answered=False,
            remind_at=None,
            claimed_at=None,
            locale=None,
            timezone=None,
            deliver_at=None,
            reminders_sent=0,
            error=None,
        )
    )


async def status_counts(session: AsyncSession, *, wave_id: uuid.UUID) -> dict[str, int]:
    """How many invitations of the wave are in each status."""
    query = (
        select(col(Invitation.status), func.count())
        .where(col(Invitation.wave_id) == wave_id)
        .group_by(col(Invitation.status))
    )
    return {status: int(count) for status, count in await session.execute(query)}
