"""Delivering due invitations: claim, send, record — resumable, and exactly once as the
person sees it wherever the platform can tell.

Each invitation is *claimed* just before it is sent, with a compare-and-set
(pending -> sending, stamped with the time) in its own committed transaction, then
sent, then marked ``sent`` (with the message's reference, so closing can update it)
or ``failed`` with the platform's reason. Replicas delivering at once claim disjoint
invitations.

Every invitation message carries a *nonce*: an HMAC of the invitation's random id
under the pepper, opaque and naming no one. If the process stops between the claim
and recording the platform's answer, the invitation stays ``sending``. Once its claim
is older than the lease (``WaveDeps.claim_lease``, longer than any single send with
its SDK retries), a later run takes it over with a second compare-and-set and asks
the platform (:meth:`~bot.ports.Platform.find_direct`) whether a message with that
nonce arrived: found -> ``sent`` with its reference; surely absent -> sent now;
the platform cannot tell -> ``failed`` with ``interrupted`` (at most once: a
duplicate survey would be worse than one missed invitation).

A platform error other than :class:`~bot.ports.DeliveryFailed` means the platform did
not take the message (its SDK has already retried), so the claim is given back and a
later run tries again; ``DeliveryFailed`` is final and never retried.

Pacing: every send, a reconciled one included, first takes a start slot of the
tenant's :class:`Pace` (``Reach.per_second``), and at most ``Reach.concurrency``
sends are in flight. The pace is set just under the platform's per-workspace limit,
so rate-limit answers are the exception, and the SDK's own handlers honour them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pacing import Pace
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
    """Settle this tenant's claims left behind, then send every invitation due now; each
    invitation is tried at most once per run."""
    run = _Run(deps, reach, progress)
    await run.reconcile()
    seen: set[uuid.UUID] = set()
    while True:
        async with deps.database.transaction() as session:
            tenant = await find_tenant(session, deps, reach)
            due = await store.due_invitations(
                session, tenant_id=tenant.id, now=deps.clock(), limit=BATCH
            )
        fresh = [invitation_id for invitation_id in due if invitation_id not in seen]
        if not fresh:
            return run.report
        seen.update(fresh)
        await asyncio.gather(*(run.claim_and_send(invitation_id) for invitation_id in fresh))


def delivery_nonce(pepper: bytes, invitation_id: uuid.UUID) -> str:
    """The opaque token an invitation's message carries: without the pepper it reveals
    nothing, not even the invitation's id."""
    digest = hmac.new(pepper, b"delivery:" + invitation_id.bytes, hashlib.sha256)
    return digest.hexdigest()[:NONCE_LENGTH]


NONCE_LENGTH = 32


class _Run:
    """One delivery run for one tenant: its pace, its concurrency gate and its report."""

    def __init__(self, deps: WaveDeps, reach: Reach, progress: ProgressHook | None) -> None:
        self._deps = deps
        self._reach = reach
        self._progress = progress
        self._pace: Pace = reach.pacer()
        self._gate = asyncio.Semaphore(reach.concurrency)
        self._surveys: dict[uuid.UUID, Survey] = {}
        self.report = DeliveryReport()

    async def reconcile(self) -> None:
        """Settle the claims a stopped process left ``sending`` past the lease."""
        deps = self._deps
        now = deps.clock()
        async with deps.database.transaction() as session:
            tenant = await find_tenant(session, deps, self._reach)
            left = await store.left_behind_claims(
                session, tenant_id=tenant.id, claimed_before=now - deps.claim_lease, limit=BATCH
            )
        if left:
            log.info("reconciling %d invitations left unconfirmed by a stopped sender", len(left))
        await asyncio.gather(*(self._reconcile_one(invitation_id, now) for invitation_id in left))

    async def _reconcile_one(self, invitation_id: uuid.UUID, now: datetime) -> None:
        deps = self._deps
        async with deps.database.transaction() as session:
            taken = await store.reclaim_invitation(
                session,
                invitation_id=invitation_id,
                claimed_before=now - deps.claim_lease,
                now=deps.clock(),
            )
            target = await self._target(session, invitation_id) if taken else None
        if target is None:
            return
        nonce = delivery_nonce(deps.pepper, invitation_id)
        async with self._gate:
            try:
                found = await self._reach.platform.find_direct(target.address, nonce)
            except DeliveryFailed as failure:
                await self._record_failed(target, failure.reason)
                return
            except Exception:
                # Claim kept: it is looked up again once the new stamp is past the lease.
                log.warning("could not check invitation %s; will check again", invitation_id)
                return
            if found is not None:
                await self._record_sent(target, found)
                return
            await self._pace.slot()
            await self._send(target)

    async def claim_and_send(self, invitation_id: uuid.UUID) -> None:
        async with self._gate:
            # One commit per claim: a claim must be durable before its message is sent.
            async with self._deps.database.transaction() as session:
                claimed = await store.claim_invitation(
                    session, invitation_id=invitation_id, now=self._deps.clock()
                )
                target = await self._target(session, invitation_id) if claimed else None
            if target is not None:
                # The slot comes last, so the platform counts the call when the pace says.
                await self._pace.slot()
                await self._send(target)

    async def _target(
        self, session: AsyncSession, invitation_id: uuid.UUID
    ) -> store.Delivery | None:
        found = await store.deliveries(session, invitation_ids=[invitation_id])
        if not found:
            return None
        target = found[0]
        if target.survey_id not in self._surveys:
            survey = await session.get(Survey, target.survey_id)
            assert survey is not None
            self._surveys[target.survey_id] = survey
        return target

    async def _send(self, target: store.Delivery) -> None:
        """Send one claimed invitation and record the outcome."""
        survey = self._surveys[target.survey_id]
        view = score_prompt(self._deps.translator(target.locale, survey), survey)
        nonce = delivery_nonce(self._deps.pepper, target.invitation_id)
        try:
            reference = await self._reach.platform.send_direct(target.address, view, nonce=nonce)
        except DeliveryFailed as failure:
            await self._record_failed(target, failure.reason)
            return
        except Exception:
            log.warning("invitation %s not delivered; it will be retried", target.invitation_id)
            async with self._deps.database.transaction() as session:
                await store.release_invitation(session, invitation_id=target.invitation_id)
            self._settled("released")
            return
        await self._record_sent(target, reference)

    async def _record_failed(self, target: store.Delivery, reason: str) -> None:
        async with self._deps.database.transaction() as session:
            await store.mark_failed(session, invitation_id=target.invitation_id, reason=reason)
        self._settled("failed")

    async def _record_sent(self, target: store.Delivery, reference: str) -> None:
        survey = self._surveys[target.survey_id]
        reminders = reminder_times(
            delivered=target.deliver_at,
            closes_at=target.closes_at,
            zone=zone_or(target.timezone, survey.timezone),
            count=survey.reminders,
        )
        async with self._deps.database.transaction() as session:
            await store.mark_sent(
                session,
                invitation_id=target.invitation_id,
                reference=reference,
                remind_at=reminders[0] if reminders else None,
            )
        self._settled("sent")

    def _settled(self, outcome: str) -> None:
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        if self._progress is not None:
            self._progress(1)
