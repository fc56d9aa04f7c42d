"""Two Slack workspaces' admins and members, the real Slack Platform over the Web API double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.domain.people import Person
from bot.ports.reach import Reach
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock

TOKEN = "xoxb-admin-test-token"
HOME = "T0NPS0001"
OTHER = "T0OTHER01"
MEMBERS = ("U0ANN0001", "U0BEN0001", "U0CAT0001")
# Tuesday 10 March 2026, 10:30 UTC: working hours for everyone below.
MORNING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


def admin(tenant: str = HOME, *, locale: str = "en") -> Person:
    return Person(
        platform="slack", tenant=tenant, user_id="U0ADMIN01", locale=locale, is_admin=True
    )


def member(tenant: str = HOME) -> Person:
    return Person(platform="slack", tenant=tenant, user_id=MEMBERS[0], locale="en")


@pytest.fixture
async def slack(clock: Clock) -> AsyncIterator[SlackApiDouble]:
    clock.now = MORNING
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            *(SlackUser(id=user_id, name=user_id.lower(), tz="UTC") for user_id in MEMBERS)
        )
        yield double


@pytest.fixture
def reach(slack: SlackApiDouble) -> Reach:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    assert slack.workspace.team_id == HOME
    return Reach(platform=platform, tenant=HOME, per_second=500)
