"""Delivering due invitations: claim, send, record — resumable, and exactly once as the
person sees it wherever the platform can tell.

Each invitation is *claimed* a few seconds before it is sent, with a compare-and-set
(pending -> sending, stamped with the time) committed before its message goes out,
then sent, then marked ``sent`` (with the message's reference, so closing can update
it) or ``failed`` with the platform's reason. Replicas delivering at once claim
disjoint invitations.

Every invitation message carries a *nonce*: an HMAC of the invitation's random id
under the pepper, opaque and naming no one. If the process stops between the claim
and recording the platform's answer, the invitation stays ``sending``. Once its claim
is older than the lease (``WaveDeps.claim_lease``), a later run takes it over with a
second compare-and-set (restamping it) and asks the platform
(:meth:`~bot.ports.platform.Platform.find_direct`) whether a message with that
nonce arrived: found -> ``sent`` with its reference; surely absent -> sent now;
the platform cannot tell -> ``failed`` with ``interrupted`` (at most once: a
duplicate survey would be worse than one missed invitation).

A live sender's claim is never taken over (see :mod:`bot.domain.leases`): each send is
given up after ``WaveDeps.send_timeout``, shortened to fit a short lease (then it
counts as unconfirmed, below), and a claim that waited for its pace slot so long that
its send could end past the lease (less a margin) is renewed first. Every outcome is
recorded only under the claim's own stamp, so a sender that lost its claim anyway
(a replica's clock far ahead) changes nothing the new holder wrote.

A platform error other than :class:`~bot.ports.platform.DeliveryFailed` means the platform did
not take the message (its SDK has already retried), so the claim is given back and a
later run tries again; ``DeliveryFailed`` is final and never retried.
:class:`~bot.ports.platform.PlatformUnreachable` gives the claim back too, and ends the run:
every invitation still claimed is given back unsent, and the report says why
(``DeliveryReport.unreachable``), so an outage costs one failed call a run, not one per
person.
:class:`~bot.ports.platform.DeliveryUncertain` (the answer was lost after the platform may
have posted) is neither: the invitation stays ``sending``, and once past the lease it is
looked up by its nonce like any claim a stopped process left, before anything is resent.

Pacing: every send, a reconciled one included, first takes a start slot of the
tenant's :class:`~bot.ports.pacing.Pace` (``Reach.pacer()``), and at most
``Reach.concurrency`` sends are in flight. The pace is set just under the platform's
per-workspace limit and shared with the SDK's retries, so rate-limit answers are the
exception, and the SDK's own handlers honour them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leases import must_renew, send_limit
from bot.ports.pacing import Pace
from bot.ports.platform import DeliveryFailed, DeliveryUncertain, PlatformUnreachable
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.tenants import reach_tenant
from bot.usecases.waves.outcomes import Outcome, write_outcome
from bot.views.prompts import score_prompt
from storage import actions as notes
from storage import invitations as store
from storage.models import Survey, Wave

log = logging.getLogger(__name__)

BATCH = 500
"""Invitations read per round: claims are short transactions, not one long one."""

CLAIM_AHEAD_SECONDS = 3
"""How many seconds of sends (at the tenant's pace) are claimed before they are sent."""

RECORD_BATCH = 50
"""At most this many outcomes are written in one transaction."""


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    released: int = 0
    unconfirmed: int = 0
    """Sends whose answer was lost: left ``sending``, looked up by nonce after the lease."""
    unreachable: str | None = None
    """Why the platform could not be reached, when that ended the run (None: it could)."""

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.released + self.unconfirmed


ProgressHook = Callable[[int], None]
"""Told how many invitations were just settled (for a progress bar)."""


async def deliver_due(
    deps: WaveDeps, reach: Reach, *, progress: ProgressHook | None = None
) -> DeliveryReport:
    """Settle this tenant's claims left behind, then send every invitation due now; each
    invitation is tried at most once per run."""
    run = _Run(deps, reach, progress)
    await run.reconcile()
    await run.deliver()
    return run.report


def delivery_nonce(pepper: bytes, invitation_id: uuid.UUID) -> str:
    """The opaque token an invitation's message carries: without the pepper it reveals
    nothing, not even the invitation's id."""
    digest = hmac.new(pepper, b"delivery:" + invitation_id.bytes, hashlib.sha256)
    return digest.hexdigest()[:NONCE_LENGTH]


NONCE_LENGTH = 32


class _Run:
    """One delivery run for one tenant, as a small pipeline.

    A claimer claims invitations a few seconds of sends ahead (each batch committed
    before any of its messages is sent) and queues them; ``Reach.concurrency`` senders take a pace
    slot and send; one recorder writes outcomes, several per transaction. Only two
    tasks write, so senders never wait on each other's commits (SQLite's busy handler
    sleeps up to 100 ms a try, which would stall the pace); a stop between a claim and
    its record leaves ``sending`` rows, which a later run reconciles.
    """

    def __init__(self, deps: WaveDeps, reach: Reach, progress: ProgressHook | None) -> None:
        self._deps = deps
        self._reach = reach
        self._progress = progress
        self._pace: Pace = reach.pacer()
        self._surveys: dict[uuid.UUID, Survey] = {}
        self._notes: dict[uuid.UUID, str] = {}
        """Each wave's "you said, we did" text, fixed when it opened (empty: none)."""
        self._stamps: dict[uuid.UUID, datetime] = {}
        """The stamp of each claim this run holds: its outcomes are written under it."""
        self._limit = send_limit(lease=deps.claim_lease, send_timeout=deps.send_timeout)
        """How long one send may take (the send timeout, shortened for a short lease)."""
        self.report = DeliveryReport()

    async def deliver(self) -> None:
        """Claim, send and record every invitation due now (each tried once this run)."""
        senders = max(1, self._reach.concurrency)
        # A few seconds of sends claimed ahead, so a slow commit (a busy disk's fsync)
        # never leaves the pace without a message to start.
        ahead = max(senders, math.ceil(self._pace.per_second * CLAIM_AHEAD_SECONDS))
        ready: asyncio.Queue[store.Delivery | None] = asyncio.Queue(maxsize=ahead)
        settled: asyncio.Queue[Outcome | None] = asyncio.Queue()

        async def claimer() -> None:
            seen: set[uuid.UUID] = set()
            while self._reachable and (fresh := [i for i in await self._due() if i not in seen]):
                seen.update(fresh)
                for start in range(0, len(fresh), ahead):
                    if not self._reachable:
                        break
                    for target in await self._claim(fresh[start : start + ahead]):
                        await ready.put(target)
            for _ in range(senders):
                await ready.put(None)

        async def sender() -> None:
            while (target := await ready.get()) is not None:
                if not self._reachable:
                    await settled.put(Outcome(target, "released"))
                    continue
                # The slot comes last, so the platform counts the call when the pace says.
                await self._pace.slot()
                outcome = await self._send_claimed(target)
                if outcome is not None:
                    await settled.put(outcome)

        async def recorder() -> None:
            done = False
            while not done:
                batch = [await settled.get()]
                while not settled.empty() and len(batch) < RECORD_BATCH:
                    batch.append(settled.get_nowait())
                done = None in batch
                await self._record([outcome for outcome in batch if outcome is not None])

        recording = asyncio.create_task(recorder())
        workers = [asyncio.create_task(claimer())]
        workers += [asyncio.create_task(sender()) for _ in range(senders)]
        try:
            await asyncio.gather(*workers)
        finally:
            # After a failure the other workers stop too; what was sent is still recorded,
            # and claims cut short stay `sending` for a later run to reconcile.
            for worker in workers:
                worker.cancel()
            await settled.put(None)
            await recording

    async def _due(self) -> list[uuid.UUID]:
        async with self._deps.database.transaction() as session:
            tenant = await reach_tenant(session, self._deps, self._reach)
            return await store.due_invitations(
                session, tenant_id=tenant.id, now=self._deps.clock(), limit=BATCH
            )

    @property
    def _reachable(self) -> bool:
        return self.report.unreachable is None

    async def _claim(self, invitation_ids: list[uuid.UUID]) -> list[store.Delivery]:
        now = self._deps.clock()
        async with self._deps.database.transaction() as session:
            claimed = [
                invitation_id
                for invitation_id in invitation_ids
                if await store.claim_invitation(session, invitation_id=invitation_id, now=now)
            ]
            self._stamps.update(dict.fromkeys(claimed, now))
            return await self._targets(session, claimed)

    async def reconcile(self) -> None:
        """Settle the claims a stopped process left ``sending`` past the lease."""
        deps = self._deps
        now = deps.clock()
        async with deps.database.transaction() as session:
            tenant = await reach_tenant(session, deps, self._reach)
            left = await store.left_behind_claims(
                session, tenant_id=tenant.id, claimed_before=now - deps.claim_lease, limit=BATCH
            )
        if left:
            log.info("reconciling %d invitations left unconfirmed by a stopped sender", len(left))
        gate = asyncio.Semaphore(max(1, self._reach.concurrency))
        await asyncio.gather(*(self._reconcile_one(i, now, gate) for i in left))

    async def _reconcile_one(
        self, invitation_id: uuid.UUID, now: datetime, gate: asyncio.Semaphore
    ) -> None:
        deps = self._deps
        stamp = deps.clock()
        async with deps.database.transaction() as session:
            taken = await store.reclaim_invitation(
                session,
                invitation_id=invitation_id,
                claimed_before=now - deps.claim_lease,
                now=stamp,
            )
            targets = await self._targets(session, [invitation_id] if taken else [])
        if not targets:
            return
        self._stamps[invitation_id] = stamp
        target = targets[0]
        nonce = delivery_nonce(deps.pepper, invitation_id)
        async with gate:
            if not self._reachable:
                return  # restamped, unsent: looked up again after the lease
            try:
                found = await self._reach.platform.find_direct(target.address, nonce)
            except DeliveryFailed as failure:
                await self._record([Outcome(target, "failed", failure.reason)])
                return
            except PlatformUnreachable as unreachable:
                # Claim kept, as below; the outage is said once, by whoever runs this.
                self.report.unreachable = unreachable.detail
                return
            except Exception:
                # Claim kept: it is looked up again once the new stamp is past the lease.
                log.warning("could not check invitation %s; will check again", invitation_id)
                return
            if found is not None:
                await self._record([Outcome(target, "sent", found)])
                return
            await self._pace.slot()
            outcome = await self._send_claimed(target)
            if outcome is not None:
                await self._record([outcome])

    async def _targets(
        self, session: AsyncSession, invitation_ids: list[uuid.UUID]
    ) -> list[store.Delivery]:
        found = await store.deliveries(session, invitation_ids=invitation_ids)
        for target in found:
            if target.survey_id not in self._surveys:
                survey = await session.get(Survey, target.survey_id)
                assert survey is not None
                self._surveys[target.survey_id] = survey
            if target.wave_id not in self._notes:
                wave = await session.get(Wave, target.wave_id)
                assert wave is not None
                self._notes[target.wave_id] = await notes.note_of_wave(session, wave=wave) or ""
        return found

    async def _send_claimed(self, target: store.Delivery) -> Outcome | None:
        """Send one claimed invitation, renewing its claim first if the send could
        otherwise outlast the lease; None when the claim was lost (nothing is sent)."""
        deps = self._deps
        invitation_id = target.invitation_id
        stamp = self._stamps[invitation_id]
        now = deps.clock()
        if must_renew(claimed_at=stamp, now=now, lease=deps.claim_lease, limit=self._limit):
            async with deps.database.transaction() as session:
                renewed = await store.renew_claim(
                    session, invitation_id=invitation_id, claimed_at=stamp, now=now
                )
            if not renewed:
                log.warning(
                    "invitation %s was taken over by another sender before it was sent; "
                    "not sending it here",
                    invitation_id,
                )
                return None
            self._stamps[invitation_id] = now
        return await self._send(target)

    async def _send(self, target: store.Delivery) -> Outcome:
        """Send one claimed invitation, abandoned after the send timeout; say what
        became of it."""
        survey = self._surveys[target.survey_id]
        view = score_prompt(
            self._deps.survey_translator(target.locale, survey),
            survey,
            follow_up=self._notes.get(target.wave_id, ""),
        )
        nonce = delivery_nonce(self._deps.pepper, target.invitation_id)
        limit = self._limit.total_seconds()
        deadline = asyncio.timeout(limit)
        try:
            async with deadline:
                reference = await self._reach.platform.send_direct(
                    target.address, view, nonce=nonce
                )
        except DeliveryFailed as failure:
            return Outcome(target, "failed", failure.reason)
        except PlatformUnreachable as unreachable:
            self.report.unreachable = unreachable.detail
            return Outcome(target, "released")
        except DeliveryUncertain:
            log.warning(
                "invitation %s may have been delivered; it will be looked up before any resend",
                target.invitation_id,
            )
            return Outcome(target, "unconfirmed")
        except Exception as error:
            if isinstance(error, TimeoutError) and deadline.expired():
                # The platform may still carry out a request it received before the send
                # was given up: the claim stays, and its nonce is looked up after the lease.
                log.warning(
                    "invitation %s: sending took longer than %g s and was given up; it will "
                    "be looked up before any resend",
                    target.invitation_id,
                    limit,
                )
                return Outcome(target, "unconfirmed")
            log.warning(
                "invitation %s not delivered (%s); it will be retried",
                target.invitation_id,
                type(error).__name__,
            )
            return Outcome(target, "released")
        return Outcome(target, "sent", reference)

    async def _record(self, outcomes: list[Outcome]) -> None:
        """Write ``outcomes`` in one transaction, then count them."""
        if not outcomes:
            return
        now = self._deps.clock()
        async with self._deps.database.transaction() as session:
            for outcome in outcomes:
                await write_outcome(
                    session,
                    outcome,
                    claimed_at=self._stamps[outcome.target.invitation_id],
                    survey=self._surveys[outcome.target.survey_id],
                    now=now,
                )
        for outcome in outcomes:
            setattr(self.report, outcome.kind, getattr(self.report, outcome.kind) + 1)
        if self._progress is not None:
            self._progress(len(outcomes))
