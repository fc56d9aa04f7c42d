"""Owner reminders: a direct message to an action's owner a few days before its due date.

Each open action is reminded once: the reminder is claimed in the database (a
compare-and-set on the action) before the message is sent, so two replicas running the
daily job at once send one message, and a crash after the claim loses that one reminder
rather than sending it twice. An action past its due date gets no reminder; the digest
lists it as overdue instead. A changed due date earns a new reminder.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.domain.actions import ActionStatus, reminder_due
from bot.ports.platform import DeliveryFailed
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.views.common import Notice, Tone
from storage import actions as store

log = logging.getLogger(__name__)


async def remind_owners(deps: WaveDeps, reach: Reach, *, lead_days: int) -> int:
    """Remind the owners of this tenant's open actions due within ``lead_days``; returns
    how many reminders were sent."""
    today = deps.clock().date()
    async with deps.database.transaction() as session:
        due = await store.reminders_due(
            session, today=today, until=today + timedelta(days=lead_days)
        )
    sent = 0
    for action, survey, tenant in due:
        if (tenant.platform, tenant.external_id) != (reach.platform.name, reach.tenant):
            continue
        if not reminder_due(
            ActionStatus(action.status), action.due_on, today=today, lead_days=lead_days
        ):
            continue
        async with deps.database.transaction() as session:
            if not await store.claim_reminder(session, action_id=action.id, today=today):
                continue  # another replica took it
        t = deps.survey_translator(None, survey)
        words = t(
            "actions.reminder",
            number=action.number,
            survey=survey.name,
            title=action.title,
            due=t.date(action.due_on),
            days=(action.due_on - today).days,
        )
        try:
            await reach.platform.send_direct(action.owner, Notice(words, Tone.INFO))
        except DeliveryFailed as failure:
            log.warning("could not remind the owner of action %s: %s", action.id, failure.reason)
            continue
        sent += 1
    return sent
