"""What became of one claimed invitation's send, and how it is written down.

Every write is made under the claim's own stamp (see :mod:`storage.invitations`), so
the outcome of a sender whose claim was taken over changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.timing import reminder_times, zone_or
from storage import invitations as store
from storage.models import Survey


@dataclass(frozen=True)
class Outcome:
    """What the platform said about one invitation: ``sent`` with the message's
    reference, ``failed`` with its reason, ``released`` (try again later), or
    ``unconfirmed`` (the answer was lost, or the send was given up: the claim stays
    for reconciliation)."""

    target: store.Delivery
    kind: str
    detail: str = ""


async def write_outcome(
    session: AsyncSession,
    outcome: Outcome,
    *,
    claimed_at: datetime,
    survey: Survey,
    now: datetime,
) -> None:
    """Settle the claim stamped ``claimed_at`` as ``outcome`` says (an unconfirmed one
    stays ``sending``, stamped, for a later run to look up); ``now`` is when it was
    settled."""
    invitation_id = outcome.target.invitation_id
    if outcome.kind == "sent":
        await store.mark_sent(
            session,
            invitation_id=invitation_id,
            claimed_at=claimed_at,
            reference=outcome.detail,
            remind_at=first_reminder(outcome.target, survey, sent_at=now),
        )
    elif outcome.kind == "failed":
        await store.mark_failed(
            session, invitation_id=invitation_id, claimed_at=claimed_at, reason=outcome.detail
        )
    elif outcome.kind == "released":
        await store.release_invitation(session, invitation_id=invitation_id, claimed_at=claimed_at)


def first_reminder(target: store.Delivery, survey: Survey, *, sent_at: datetime) -> datetime | None:
    """When the person ``target`` invites, sent the invitation at ``sent_at``, is first
    reminded (None: never).

    Counted from the day it was sent, not the day it was due: an invitation delivered
    late (after an outage) is never followed at once by a reminder already due.
    """
    reminders = reminder_times(
        delivered=max(target.deliver_at, sent_at),
        closes_at=target.closes_at,
        zone=zone_or(target.timezone, survey.timezone),
        count=survey.reminders,
    )
    return reminders[0] if reminders else None
