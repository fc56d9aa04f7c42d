"""Reminders between replicas: counted once, never ahead of the invitation, and given
back (not lost) when the platform did not take them."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest

from bot.ports.platform import DeliveryUncertain
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from bot.usecases.waves.reminders import send_reminders
from storage import invitations
from storage.models import Invitation, Survey
from storage.sql import utc
from tests.bot.waves.conftest import OPENING, TENANT, UTC_PEOPLE, invitation_to
from tests.bot.waves.held_platform import HeldPlatform
from tests.support.clock import Clock
from tests.support.waiting import HANG_GUARD_SECONDS

ANN = UTC_PEOPLE[0]


@pytest.fixture
def platform() -> HeldPlatform:
    held = HeldPlatform(tenant=TENANT)
    held.join(ANN, locale="en-US", timezone="UTC")
    return held


@pytest.fixture
def reach(platform: HeldPlatform) -> Reach:
    return Reach(platform=platform, tenant=TENANT, per_second=500)


async def ann_invitation(services: Services) -> Invitation:
    return await invitation_to(services, ANN)


async def invited(services: Services, deps: WaveDeps, reach: Reach, survey: Survey) -> datetime:
    """Open the wave and deliver Ann's invitation; when her first reminder is due."""
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert (await deliver_due(deps, reach)).sent == 1
    remind_at = (await ann_invitation(services)).remind_at
    assert remind_at is not None
    return utc(remind_at)


async def test_two_replicas_reminding_at_once_send_one_reminder(
    services: Services,
    deps: WaveDeps,
    replica_b: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    clock.now = await invited(services, deps, reach, survey)
    held = platform.hold(ANN)

    a = asyncio.create_task(send_reminders(deps, reach))
    await asyncio.wait_for(held.entered.wait(), HANG_GUARD_SECONDS)
    b = await send_reminders(replica_b, reach)
    held.release.set()

    assert (await asyncio.wait_for(a, HANG_GUARD_SECONDS), b) == (1, 0)
    assert len(platform.direct_to(ANN)) == 2  # the invitation, then one reminder
    assert (await ann_invitation(services)).reminders_sent == 1


async def test_a_replica_that_read_the_count_after_another_claim_sends_nothing(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    """Replica B listed Ann as due before replica A counted her last reminder, and read
    her row (count 1, nothing due) after it: claiming with the count it read must fail."""
    remind_at = await invited(services, deps, reach, survey)
    clock.now = utc((await ann_invitation(services)).deliver_at) + timedelta(days=13)
    assert clock.now > remind_at  # every reminder is due: they collapse into one
    assert await send_reminders(deps, reach) == 1
    counted = await ann_invitation(services)
    assert (counted.reminders_sent, counted.remind_at) == (1, None)

    async with services.database.transaction() as session:
        claimed = await invitations.claim_reminder(
            session,
            invitation_id=counted.id,
            reminders_sent=counted.reminders_sent,
            next_remind_at=None,
            now=clock.now,
        )
    assert not claimed
    assert len(platform.direct_to(ANN)) == 2  # the invitation and one reminder
    assert (await ann_invitation(services)).reminders_sent == 1


async def test_no_reminder_goes_out_while_the_invitation_is_still_being_sent(
    services: Services,
    deps: WaveDeps,
    replica_b: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    held = platform.hold(ANN)
    a = asyncio.create_task(deliver_due(deps, reach))
    await asyncio.wait_for(held.entered.wait(), HANG_GUARD_SECONDS)
    clock.now = OPENING.replace(day=OPENING.day + 7)  # long past any first reminder

    assert await send_reminders(replica_b, reach) == 0
    held.release.set()
    assert (await asyncio.wait_for(a, HANG_GUARD_SECONDS)).sent == 1
    remind_at = (await ann_invitation(services)).remind_at
    assert remind_at is not None
    clock.now = utc(remind_at)
    assert await send_reminders(replica_b, reach) == 1

    first, second = platform.direct_to(ANN)
    assert first.nonce is not None and second.nonce is None  # the invitation came first


async def test_a_reminder_the_platform_refused_is_sent_by_the_next_run(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.now = await invited(services, deps, reach, survey)
    platform.refuse(ANN, times=1)

    with caplog.at_level(logging.WARNING):
        assert await send_reminders(deps, reach) == 0
    assert (await ann_invitation(services)).reminders_sent == 0
    assert "it will be sent again" in caplog.text

    assert await send_reminders(deps, reach) == 1
    assert len(platform.direct_to(ANN)) == 2
    assert (await ann_invitation(services)).reminders_sent == 1


async def test_a_reminder_whose_answer_was_lost_is_not_sent_twice(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock.now = await invited(services, deps, reach, survey)
    lost = platform.hold(ANN, then=DeliveryUncertain("connection dropped"))
    lost.release.set()

    with caplog.at_level(logging.WARNING):
        assert await send_reminders(deps, reach) == 0
    assert "may not have arrived" in caplog.text
    assert await send_reminders(deps, reach) == 0  # counted: at most once

    assert (await ann_invitation(services)).reminders_sent == 1
    assert lost.done.is_set()  # the one reminder was tried, and never again


async def test_an_invitation_delivered_late_is_not_followed_at_once_by_a_reminder(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    clock.now = OPENING + timedelta(days=10)  # held back by an outage, past its reminder day
    assert (await deliver_due(deps, reach)).sent == 1

    assert await send_reminders(deps, reach) == 0
    remind_at = (await ann_invitation(services)).remind_at
    assert remind_at is not None and utc(remind_at).date() > clock.now.date()
    assert len(platform.direct_to(ANN)) == 1
