"""Closing a wave: state first (closed, asks closed, delivery details purged), then the
platform (sent messages updated to say the survey closed), then the digest.

The compare-and-set on the wave's status lets exactly one caller close it; that caller
does the rest. If it stops after committing, some messages keep their old buttons
(a late click is answered "already asked" by the engine) and the digest may be
missing, but nothing is ever done twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach
from bot.usecases.context import WaveDeps
from bot.usecases.tenants import reach_tenant
from bot.usecases.waves.alerts import alert_on_drop
from bot.usecases.waves.digest import post_digest
from bot.views.common import Notice
from storage import contacts, invitations
from storage import waves as store
from storage.models import Survey

log = logging.getLogger(__name__)


async def close_wave(deps: WaveDeps, reach: Reach, *, wave_id: uuid.UUID) -> bool:
    """Close ``wave_id`` now. False when it was already closed (by anyone)."""
    async with deps.database.transaction() as session:
        wave = await store.find_wave(session, wave_id=wave_id)
        if wave is None or not await store.close_wave(session, wave_id=wave_id):
            return False
        survey = await session.get(Survey, wave.survey_id)
        assert survey is not None
        await contacts.close_wave_contacts(session, wave_id=wave_id)
        messages = await invitations.sent_messages(session, wave_id=wave_id)
        await invitations.purge_wave(session, wave_id=wave_id)
    pace = reach.pacer()
    gate = asyncio.Semaphore(reach.concurrency)
    unreachable: list[PlatformUnreachable] = []

    async def mark_closed(message: invitations.SentMessage) -> None:
        text = deps.survey_translator(message.locale, survey)("wave.closed")
        async with gate:
            if unreachable:
                return
            await pace.slot()
            try:
                await reach.platform.update_message(message.reference, Notice(text))
            except PlatformUnreachable as error:
                unreachable.append(error)
            except Exception:
                log.warning("could not mark a survey message as closed")

    await asyncio.gather(*(mark_closed(message) for message in messages))
    if unreachable:
        log.warning(
            "wave %s closed, but its messages were not marked closed: %s is unreachable (%s)",
            wave_id,
            reach.platform.name,
            unreachable[0].detail,
        )
    try:
        await post_digest(deps, reach, wave_id=wave_id)
    except PlatformUnreachable as error:
        # The digest row is written first, so this digest is not posted later either.
        log.warning(
            "the digest of wave %s was not posted: %s is unreachable (%s)",
            wave_id,
            reach.platform.name,
            error.detail,
        )
    except Exception:
        log.exception("the digest of wave %s could not be posted", wave_id)
    try:
        await alert_on_drop(deps, reach, wave_id=wave_id)
    except Exception:
        log.exception("the drop alert of wave %s could not be posted", wave_id)
    return True


async def close_due(deps: WaveDeps, reach: Reach) -> int:
    """Close every wave of this tenant whose window has ended; return how many closed."""
    async with deps.database.transaction() as session:
        tenant = await reach_tenant(session, deps, reach)
        due = await store.waves_due_to_close(session, tenant_id=tenant.id, now=deps.clock())
    closed = 0
    for wave_id in due:
        closed += await close_wave(deps, reach, wave_id=wave_id)
    return closed
