"""Slack posted an invitation but its answer was lost: the person still gets one message.

A server error after posting, a dropped connection and an answer slower than the
client's timeout all leave the caller unable to know whether the message arrived. The
client does not retry ``chat.postMessage`` blindly; the invitation stays ``sending`` and,
once past the lease, is looked up by its nonce in the DM, and found, not posted again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage import invitations as store
from storage.models import Invitation, Survey
from tests.bot.waves.conftest import OPENING, UTC_PEOPLE
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock
from tests.support.waiting import HANG_GUARD_SECONDS

TOKEN = "xoxb-lost-answers-token"
LEASE = timedelta(minutes=10)
SLOW = "slow answer"


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            *(SlackUser(id=user_id, name=user_id.lower(), tz="UTC") for user_id in UTC_PEOPLE)
        )
        yield double


@pytest.fixture
def client(slack: SlackApiDouble) -> AsyncWebClient:
    built = build_client(token=TOKEN, base_url=slack.base_url)
    built.timeout = int(HANG_GUARD_SECONDS)  # no answer the double gives is slower
    return built


@pytest.fixture
def reach(slack: SlackApiDouble, client: AsyncWebClient) -> Reach:
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    return Reach(platform=platform, tenant=slack.workspace.team_id, per_second=200)


async def statuses(services: Services) -> dict[str, str]:
    async with services.database.transaction() as session:
        rows = (await session.execute(select(Invitation))).scalars()
        return {str(row.address): row.status for row in rows}


def messages_per_person(slack: SlackApiDouble) -> dict[str, int]:
    workspace = slack.workspace
    return {user: len(workspace.messages_in(workspace.dm_channel(user))) for user in UTC_PEOPLE}


@pytest.mark.parametrize("lost", [500, 503, 0, SLOW], ids=["500", "503", "dropped", "slow"])
async def test_a_lost_answer_is_looked_up_by_its_nonce_not_posted_again(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    slack: SlackApiDouble,
    survey: Survey,
    clock: Clock,
    client: AsyncWebClient,
    lost: int | str,
) -> None:
    deps = dataclasses.replace(deps, claim_lease=LEASE)
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    if lost == SLOW:
        # Every post is held until the run ends: each one outlasts the client's timeout,
        # which bounds only the held posts, never an answer the double gives.
        slack.hang("chat.postMessage", from_call=1)
        client.timeout = 1
    else:
        assert isinstance(lost, int)
        slack.faults.after_effect("chat.postMessage", status=lost, times=None)

    first = await deliver_due(deps, reach)
    client.timeout = int(HANG_GUARD_SECONDS)
    slack.release()
    slack.faults.clear()

    assert (first.sent, first.released, first.unconfirmed) == (0, 0, len(UTC_PEOPLE))
    assert messages_per_person(slack) == dict.fromkeys(UTC_PEOPLE, 1)
    assert len(slack.calls("chat.postMessage")) == len(UTC_PEOPLE)  # none retried blindly
    assert set((await statuses(services)).values()) == {store.SENDING}

    # Inside the lease the claims may still be in flight somewhere: nothing is touched.
    assert (await deliver_due(deps, reach)).attempted == 0

    clock.now += LEASE
    late = await deliver_due(deps, reach)

    assert (late.sent, late.failed) == (len(UTC_PEOPLE), 0)
    assert messages_per_person(slack) == dict.fromkeys(UTC_PEOPLE, 1)
    assert len(slack.calls("chat.postMessage")) == len(UTC_PEOPLE)
    assert len(slack.calls("conversations.history")) == len(UTC_PEOPLE)
    assert set((await statuses(services)).values()) == {store.SENT}


async def test_a_refusal_before_posting_is_still_retried_by_the_next_run(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    slack: SlackApiDouble,
    survey: Survey,
) -> None:
    """A rate limit is Slack saying no: nothing was posted, so retrying is safe."""
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    slack.faults.fail("chat.postMessage", "ratelimited", where={"channel": UTC_PEOPLE[0]}, times=1)

    first = await deliver_due(deps, reach)
    second = await deliver_due(deps, reach)

    assert (first.sent, first.released, second.sent) == (2, 1, 1)
    assert messages_per_person(slack) == dict.fromkeys(UTC_PEOPLE, 1)
