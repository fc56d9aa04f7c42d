"""A wave's world: the real Slack Platform over the Web API double, and a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import SurveySpec, create_survey
from storage.models import Survey
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock

TOKEN = "xoxb-waves-test-token"
DIGEST = "C0DIGEST1"
UTC_PEOPLE = ("U0ANN0001", "U0BEN0001", "U0CAT0001")
KENJI = "U0KENJI01"
# Tuesday 10 March 2026, 10:30 UTC: working hours in UTC, evening in Tokyo.
OPENING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            *(SlackUser(id=user_id, name=user_id.lower(), tz="UTC") for user_id in UTC_PEOPLE),
            SlackUser(id=KENJI, name="kenji", locale="ja-JP", tz="Asia/Tokyo"),
            SlackUser(id="U0GONE001", name="gone", deleted=True),
        )
        double.workspace.add_channel(DIGEST, members=[])
        yield double


@pytest.fixture
def reach(slack: SlackApiDouble) -> Reach:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    return Reach(platform=platform, tenant=slack.workspace.team_id, per_second=200)


@pytest.fixture
def deps(services: Services) -> WaveDeps:
    return services.waves


@pytest.fixture
async def survey(services: Services, slack: SlackApiDouble, clock: Clock) -> Survey:
    clock.now = OPENING
    return await create_survey(
        services.database,
        platform="slack",
        tenant=slack.workspace.team_id,
        spec=SurveySpec(name="pulse", k_min=3, digest_channel=DIGEST, timezone="UTC"),
        now=clock(),
    )
