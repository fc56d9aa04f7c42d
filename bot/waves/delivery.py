"""Delivering due invitations: claim, send, record — resumable and at most once.

Each invitation is first *claimed* with a compare-and-set (pending -> sending) in its
own committed transaction, then sent, then marked ``sent`` (with the message's
reference, so closing can update it) or ``failed`` with the platform's reason. Two
replicas delivering at once claim disjoint invitations.

At most once: if the process stops between the claim and the platform's answer, the
invitation stays ``sending`` and is never sent again (closing marks it failed with
``interrupted``). A duplicate survey in someone's messages would be worse than one
missed invitation, and the window is a single request. A platform error other than
:class:`~bot.ports.DeliveryFailed` means the platform did not take the message (its
SDK has already retried), so the claim is given back and a later run tries again;
``DeliveryFailed`` is final and never retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.ports import DeliveryFailed
from bot.prompts import score_prompt
from bot.waves.context import Reach, WaveDeps
from bot.waves.opening import find_tenant
from bot.waves.timing import reminder_times, zone_or
from storage import waves as store
from storage.models import Survey

log = logging.getLogger(__name__)

BATCH = 500
"""Invitations claimed per round: claims are short transactions, not one long one."""


class Pace:
    """Spaces the start of sends to at most ``per_second`` per second.

    One instance paces one tenant in one process; the lock makes concurrent senders
    take turns for their start slot, not for the whole send.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = clock()
        self._lock = asyncio.Lock()

    async def slot(self) -> None:
        """Wait until the next start slot is due, and take it."""
        async with self._lock:
            wait = self._next - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self._next = max(self._next, self._clock()) + self._interval


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    released: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.released


ProgressHook = Callable[[int], None]
"""Told how many invitations were just settled (for a progress bar)."""


async def deliver_due(
    deps: WaveDeps, reach: Reach, *, progress: ProgressHook | None = None
) -> DeliveryReport:
    """Send every invitation of this tenant that is due now; each one at most once per run."""
    report = DeliveryReport()
    pace = Pace(reach.per_second)
    gate = asyncio.Semaphore(reach.concurrency)
    surveys: dict[uuid.UUID, Survey] = {}
    seen: set[uuid.UUID] = set()
    while True:
        claimed = await _claim_round(deps, reach, seen)
        if claimed is None:
            return report
        async with deps.database.transaction() as session:
            targets = await store.deliveries(session, invitation_ids=claimed)
            for target in targets:
                if target.survey_id not in surveys:
                    survey = await session.get(Survey, target.survey_id)
                    assert survey is not None
                    surveys[target.survey_id] = survey

        async def send(target: store.Delivery) -> None:
            async with gate:
                await pace.slot()
                outcome = await _send_one(deps, reach, target, surveys[target.survey_id])
            setattr(report, outcome, getattr(report, outcome) + 1)
            if progress is not None:
                progress(1)

        await asyncio.gather(*(send(target) for target in targets))


async def _claim_round(
    deps: WaveDeps, reach: Reach, seen: set[uuid.UUID]
) -> list[uuid.UUID] | None:
    """Claim a batch of due invitations not yet tried in this run; None when none is left."""
    async with deps.database.transaction() as session:
        tenant = await find_tenant(session, deps, reach)
        due = await store.due_invitations(
            session, tenant_id=tenant.id, now=deps.clock(), limit=BATCH
        )
    fresh = [invitation_id for invitation_id in due if invitation_id not in seen]
    if not fresh:
        return None
    seen.update(fresh)
    claimed: list[uuid.UUID] = []
    for invitation_id in fresh:
        # One commit per claim: a claim must be durable before its message is sent.
        async with deps.database.transaction() as session:
            if await store.claim_invitation(session, invitation_id=invitation_id):
                claimed.append(invitation_id)
    return claimed


async def _send_one(deps: WaveDeps, reach: Reach, target: store.Delivery, survey: Survey) -> str:
    """Send one claimed invitation and record the outcome; return the report field."""
    view = score_prompt(deps.translator(target.locale, survey), survey)
    try:
        reference = await reach.platform.send_direct(target.address, view)
    except DeliveryFailed as failure:
        async with deps.database.transaction() as session:
            await store.mark_failed(
                session, invitation_id=target.invitation_id, reason=failure.reason
            )
        return "failed"
    except Exception:
        log.warning("invitation %s not delivered; it will be retried", target.invitation_id)
        async with deps.database.transaction() as session:
            await store.release_invitation(session, invitation_id=target.invitation_id)
        return "released"
    reminders = reminder_times(
        delivered=target.deliver_at,
        closes_at=target.closes_at,
        zone=zone_or(target.timezone, survey.timezone),
        count=survey.reminders,
    )
    async with deps.database.transaction() as session:
        await store.mark_sent(
            session,
            invitation_id=target.invitation_id,
            reference=reference,
            remind_at=reminders[0] if reminders else None,
        )
    return "sent"
