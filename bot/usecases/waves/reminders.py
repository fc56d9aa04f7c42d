"""Reminding people who were sent an invitation and have not answered in its wave.

The bot knows only "answered in this wave" (a flag on the invitation, purged when the
wave closes), never the answer; the reminder says so. Reminders fall on working days
at 10:00 local time, never on the closing day (see :mod:`bot.domain.timing`). Each is
counted with a compare-and-set before it is sent, so replicas send it once, and a
crash after counting loses that one reminder rather than sending it twice.

After counting, what the platform answers decides: sent; refused for good
(:class:`~bot.ports.platform.DeliveryFailed`: kept counted, nothing to retry); its answer
lost (:class:`~bot.ports.platform.DeliveryUncertain`: the person may have it, so it stays
counted and is not sent again, with a warning); any other error means the platform did
not take it, so the count is given back (compare-and-set) and a later run sends it.
:class:`~bot.ports.platform.PlatformUnreachable` also ends the run: no further reminder is
counted, and the error is raised once every reminder under way is settled.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from bot.domain.timing import reminder_times, zone_or
from bot.ports.platform import DeliveryFailed, DeliveryUncertain, PlatformUnreachable
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.tenants import reach_tenant
from bot.usecases.waves.delivery import BATCH
from bot.views.common import Notice, Tone
from storage import invitations as store
from storage.models import Survey

log = logging.getLogger(__name__)


async def send_reminders(deps: WaveDeps, reach: Reach) -> int:
    """Send the reminders due now to this tenant's people; return how many were sent.

    Raises :class:`~bot.ports.platform.PlatformUnreachable` when the platform could not
    be reached (every reminder it cut short is due again).
    """
    now = deps.clock()
    async with deps.database.transaction() as session:
        tenant = await reach_tenant(session, deps, reach)
        due = await store.due_reminders(session, tenant_id=tenant.id, now=now, limit=BATCH)
        targets = await store.deliveries(session, invitation_ids=due)
        surveys: dict[uuid.UUID, Survey] = {}
        for target in targets:
            survey = surveys.get(target.survey_id) or await session.get(Survey, target.survey_id)
            assert survey is not None
            surveys[target.survey_id] = survey
    pace = reach.pacer()
    gate = asyncio.Semaphore(reach.concurrency)
    unreachable: list[PlatformUnreachable] = []

    async def give_back(target: store.Delivery) -> None:
        async with deps.database.transaction() as session:
            await store.give_back_reminder(
                session,
                invitation_id=target.invitation_id,
                reminders_sent=target.reminders_sent,
                due_at=now,
            )

    async def remind(target: store.Delivery) -> bool:
        survey = surveys[target.survey_id]
        zone = zone_or(target.timezone, survey.timezone)
        times = reminder_times(
            delivered=target.deliver_at,
            closes_at=target.closes_at,
            zone=zone,
            count=survey.reminders,
        )
        # A reminder missed while the bot was down is sent once, not in a burst.
        upcoming = [moment for moment in times if moment > now]
        if unreachable:
            return False  # not counted: due again on the next run
        async with deps.database.transaction() as session:
            claimed = await store.claim_reminder(
                session,
                invitation_id=target.invitation_id,
                reminders_sent=target.reminders_sent,
                next_remind_at=upcoming[0] if upcoming else None,
                now=now,
            )
        if not claimed:
            return False
        t = deps.survey_translator(target.locale, survey)
        closing_day = target.closes_at.astimezone(zone).date()
        view = Notice(t("wave.reminder", date=t.date(closing_day)), Tone.INFO)
        async with gate:
            if unreachable:
                await give_back(target)
                return False
            await pace.slot()
            try:
                await reach.platform.send_direct(target.address, view)
            except DeliveryFailed as failure:
                log.info("reminder not delivered: %s", failure.reason)
                return False
            except DeliveryUncertain:
                log.warning(
                    "reminder for invitation %s may not have arrived (its answer was lost); "
                    "it is not sent again, so nobody is reminded twice",
                    target.invitation_id,
                )
                return False
            except PlatformUnreachable as error:
                unreachable.append(error)
                await give_back(target)
                return False
            except Exception as error:
                log.warning(
                    "reminder for invitation %s not delivered (%s); it will be sent again",
                    target.invitation_id,
                    type(error).__name__,
                )
                await give_back(target)
                return False
        return True

    results = await asyncio.gather(*(remind(target) for target in targets))
    if unreachable:
        raise unreachable[0]
    return sum(results)
