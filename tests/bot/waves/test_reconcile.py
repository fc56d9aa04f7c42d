"""Claims left ``sending`` by a stopped sender are settled by asking the platform, not by
guessing."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

from sqlalchemy import select

from bot.ports.platform import INTERRUPTED
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.delivery import deliver_due, delivery_nonce
from bot.usecases.waves.opening import open_wave
from bot.views.common import Notice
from storage import invitations as store
from storage.models import Invitation, Survey
from tests.bot.waves.conftest import OPENING, UTC_PEOPLE
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

LEASE = timedelta(minutes=10)


async def by_address(services: Services) -> dict[str, Invitation]:
    async with services.database.transaction() as session:
        rows = (await session.execute(select(Invitation))).scalars()
        return {row.address: row for row in rows if row.address is not None}


async def claim(services: Services, invitation_id: uuid.UUID, clock: Clock) -> None:
    async with services.database.transaction() as session:
        assert await store.claim_invitation(session, invitation_id=invitation_id, now=clock())


async def test_left_behind_claims_are_found_or_sent_once_after_the_lease(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    deps = dataclasses.replace(deps, claim_lease=LEASE)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    ann, ben, cat = UTC_PEOPLE
    rows = await by_address(services)
    # Ann's sender stopped after its claim; Ben's after the platform took the message.
    await claim(services, rows[ann].id, clock)
    await claim(services, rows[ben].id, clock)
    nonce = delivery_nonce(deps.pepper, rows[ben].id)
    ben_reference = await reach.platform.send_direct(ben, Notice("invitation"), nonce=nonce)

    early = await deliver_due(deps, reach)
    assert early.sent == 1  # only Cat: claims inside the lease may still be in flight
    assert platform.calls_of("find_direct") == []

    clock.now += LEASE
    late = await deliver_due(deps, reach)
    assert (late.sent, late.failed) == (2, 0)
    assert (await deliver_due(deps, reach)).attempted == 0

    assert sorted(platform.calls_of("find_direct")) == [ann, ben]
    for user_id in (ann, ben, cat):
        assert len(platform.direct_to(user_id)) == 1
    rows = await by_address(services)
    assert {rows[user].status for user in (ann, ben, cat)} == {store.SENT}
    assert rows[ben].reference == ben_reference
    assert len(platform.calls_of("send_direct")) == 3  # Ben's message was found, not resent


async def test_a_claim_whose_dm_cannot_be_read_is_given_up(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    deps = dataclasses.replace(deps, claim_lease=LEASE)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    ann = UTC_PEOPLE[0]
    rows = await by_address(services)
    await claim(services, rows[ann].id, clock)
    platform.cannot_tell(ann)

    clock.now += LEASE
    report = await deliver_due(deps, reach)

    assert report.failed == 1
    rows = await by_address(services)
    assert (rows[ann].status, rows[ann].error) == (store.FAILED, INTERRUPTED)
    assert platform.calls_of("find_direct") == [ann]
    assert ann not in platform.calls_of("send_direct")


def test_nonces_are_opaque_and_per_invitation() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    pepper = b"p" * 32
    assert delivery_nonce(pepper, first) == delivery_nonce(pepper, first)
    assert delivery_nonce(pepper, first) != delivery_nonce(pepper, second)
    assert delivery_nonce(pepper, first) != delivery_nonce(b"q" * 32, first)
    assert first.hex not in delivery_nonce(pepper, first)


async def test_a_send_refused_for_now_is_given_back_and_sent_by_the_next_run(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
) -> None:
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    ann = UTC_PEOPLE[0]
    platform.refuse(ann, times=1)

    first = await deliver_due(deps, reach)
    assert (first.sent, first.released) == (2, 1)
    assert (await by_address(services))[ann].status == store.PENDING

    second = await deliver_due(deps, reach)
    assert (second.sent, second.released) == (1, 0)
    for user_id in UTC_PEOPLE:
        assert len(platform.direct_to(user_id)) == 1
