"""Two replicas delivering at once, with sends held in flight: one invitation per person.

Each test holds a send (or a pace slot) of replica A on an event, moves the clock as
time would pass meanwhile, runs replica B's delivery on its own connection pool, then
lets A go on. Nothing waits on the wall clock but a send timeout the held send always
outlasts.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

import pytest

from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage import invitations as store
from storage.models import Invitation, Survey
from tests.bot.waves.conftest import OPENING, TENANT, UTC_PEOPLE, invitation_to
from tests.bot.waves.held_platform import GatedPace, HeldPlatform
from tests.support.clock import Clock
from tests.support.recording_platform import PlatformUnavailable
from tests.support.waiting import HANG_GUARD_SECONDS

ANN = UTC_PEOPLE[0]
LEASE = timedelta(minutes=10)
SEND_TIMEOUT = timedelta(minutes=1)

T = TypeVar("T")


@pytest.fixture
def platform() -> HeldPlatform:
    held = HeldPlatform(tenant=TENANT)
    held.join(ANN, locale="en-US", timezone="UTC")
    return held


@pytest.fixture
def deps(services: Services) -> WaveDeps:
    return dataclasses.replace(services.waves, claim_lease=LEASE, send_timeout=SEND_TIMEOUT)


async def ann_invitation(services: Services) -> Invitation:
    return await invitation_to(services, ANN)


async def within_guard(awaitable: Awaitable[T]) -> T:
    return await asyncio.wait_for(awaitable, HANG_GUARD_SECONDS)


async def test_a_claim_that_waited_for_its_slot_is_renewed_before_it_is_sent(
    services: Services,
    deps: WaveDeps,
    replica_b: WaveDeps,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    pace = GatedPace()
    reach_a = Reach(platform=platform, tenant=TENANT, pace=pace)
    reach_b = Reach(platform=platform, tenant=TENANT, per_second=500)
    await open_wave(deps, reach_a, survey_id=survey.id, scheduled_for=OPENING)
    first = platform.hold(ANN)

    a = asyncio.create_task(deliver_due(deps, reach_a))
    await within_guard(pace.waiting.wait())
    # A's slot comes late (the shared pace is busy): its send could end past the lease.
    clock.now += LEASE - timedelta(seconds=1)
    pace.open()
    await within_guard(first.entered.wait())
    clock.now += timedelta(seconds=2)  # the first stamp is past the lease now

    late = await deliver_due(replica_b, reach_b)
    first.release.set()
    early = await within_guard(a)

    assert (early.sent, late.attempted) == (1, 0)
    assert len(platform.direct_to(ANN)) == 1
    assert platform.calls_of("find_direct") == []
    assert (await ann_invitation(services)).status == store.SENT


async def test_a_send_slower_than_the_timeout_is_given_up_and_found_not_resent(
    services: Services,
    deps: WaveDeps,
    replica_b: WaveDeps,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    # A short real timeout that the held send always outlasts.
    deps = dataclasses.replace(deps, send_timeout=timedelta(milliseconds=200))
    reach = Reach(platform=platform, tenant=TENANT, per_second=500)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    held = platform.hold(ANN)

    given_up = await within_guard(deliver_due(deps, reach))
    assert (given_up.sent, given_up.unconfirmed) == (0, 1)
    assert (await ann_invitation(services)).status == store.SENDING
    # Slack had the request before it was given up, and posts it a little later.
    held.release.set()
    await within_guard(held.done.wait())

    clock.now += LEASE
    settled = await deliver_due(replica_b, reach)

    assert settled.sent == 1
    assert len(platform.direct_to(ANN)) == 1  # found by its nonce, not sent again
    row = await ann_invitation(services)
    assert (row.status, row.reference) == (store.SENT, platform.direct_to(ANN)[0].reference)


async def test_a_sender_that_lost_its_claim_changes_nothing_its_successor_holds(
    services: Services,
    deps: WaveDeps,
    replica_b: WaveDeps,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    reach = Reach(platform=platform, tenant=TENANT, per_second=500)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    refused = platform.hold(ANN, then=PlatformUnavailable("chat.postMessage refused"))
    successor = platform.hold(ANN)

    a = asyncio.create_task(deliver_due(deps, reach))
    await within_guard(refused.entered.wait())
    # Replica B's clock runs a lease ahead of A's: it takes A's claim over while A sends.
    ahead = Clock(clock.now + LEASE)
    b = asyncio.create_task(deliver_due(dataclasses.replace(replica_b, clock=ahead), reach))
    await within_guard(successor.entered.wait())

    refused.release.set()
    assert (await within_guard(a)).released == 1  # A gives back a claim it no longer holds
    assert (await ann_invitation(services)).status == store.SENDING  # still B's
    successor.release.set()
    assert (await within_guard(b)).sent == 1
    again = await deliver_due(deps, reach)  # A's next run

    assert again.attempted == 0
    assert len(platform.direct_to(ANN)) == 1
    assert (await ann_invitation(services)).status == store.SENT


async def test_a_timeout_of_the_platform_itself_gives_the_claim_back(
    services: Services, deps: WaveDeps, platform: HeldPlatform, survey: Survey
) -> None:
    reach = Reach(platform=platform, tenant=TENANT, per_second=500)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    timed_out = platform.hold(ANN, then=TimeoutError())
    timed_out.release.set()

    report = await deliver_due(deps, reach)  # well inside the send timeout

    assert (report.released, report.unconfirmed) == (1, 0)
    assert (await ann_invitation(services)).status == store.PENDING
    assert (await deliver_due(deps, reach)).sent == 1
