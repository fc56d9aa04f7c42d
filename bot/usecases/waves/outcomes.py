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
    session: AsyncSession, outcome: Outcome, *, claimed_at: datetime, survey: Survey
) -> None:
    """Settle the claim stamped ``claimed_at`` as ``outcome`` says (an unconfirmed one
    stays ``sending``, stamped, for a later run to look up)."""
    invitation_id = outcome.target.invitation_id
    if outcome.kind == "sent":
        await store.mark_sent(
            session,
            invitation_id=invitation_id,
            claimed_at=claimed_at,
            reference=outcome.detail,
            remind_at=first_reminder(outcome.target, survey),
        )
    elif outcome.kind == "failed":
        await store.mark_failed(
            session, invitation_id=invitation_id, claimed_at=claimed_at, reason=outcome.detail
        )
    elif outcome.kind == "released":
        await store.release_invitation(session, invitation_id=invitation_id, claimed_at=claimed_at)


def first_reminder(target: store.Delivery, survey: Survey) -> datetime | None:
    """When the person ``target`` invites is first reminded (None: never)."""
    reminders = reminder_times(
        delivered=target.deliver_at,
        closes_at=target.closes_at,
        zone=zone_or(target.timezone, survey.timezone),
        count=survey.reminders,
    )
    return reminders[0] if reminders else None
