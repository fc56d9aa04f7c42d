"""A wave's world: the in-memory recording Platform, and a real database.

Core wave behaviour runs on the fake, which holds the same Platform contract as Slack
and Discord (``tests/contract``); ``test_wave_on_slack.py`` replaces ``reach`` to run a
whole wave through the real Slack Platform over its Web API double.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import SurveySpec, create_survey
from storage.database import Database
from storage.models import Invitation, Survey
from tests.support.clock import Clock
from tests.support.recording_platform import NAME, RecordingPlatform

PLATFORM = NAME
TENANT = "T0WAVES01"
DIGEST = "C0DIGEST1"
UTC_PEOPLE = ("U0ANN0001", "U0BEN0001", "U0CAT0001")
KENJI = "U0KENJI01"
# Tuesday 10 March 2026, 10:30 UTC: working hours in UTC, evening in Tokyo.
OPENING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


@pytest.fixture
def platform() -> RecordingPlatform:
    fake = RecordingPlatform(tenant=TENANT)
    for user_id in UTC_PEOPLE:
        fake.join(user_id, locale="en-US", timezone="UTC")
    fake.join(KENJI, locale="ja-JP", timezone="Asia/Tokyo")
    return fake


@pytest.fixture
def reach(platform: RecordingPlatform) -> Reach:
    return Reach(platform=platform, tenant=platform.tenant, per_second=200)


@pytest.fixture
def deps(services: Services) -> WaveDeps:
    return services.waves


@pytest.fixture
async def survey(services: Services, reach: Reach, clock: Clock) -> Survey:
    """The survey ``pulse`` of the tenant ``reach`` speaks for."""
    clock.now = OPENING
    return await create_survey(
        services.database,
        platform=reach.platform.name,
        tenant=reach.tenant,
        spec=SurveySpec(name="pulse", k_min=3, digest_channel=DIGEST, timezone="UTC"),
        now=clock(),
        default_locale="en",
    )


@pytest.fixture
async def replica_b(deps: WaveDeps) -> AsyncIterator[WaveDeps]:
    """A second replica: its own connection pool to the same database, the same clock."""
    database = Database(deps.database.url)
    try:
        yield dataclasses.replace(deps, database=database)
    finally:
        await database.dispose()


async def invitation_to(services: Services, address: str) -> Invitation:
    """The one invitation of the person at ``address``, as stored now."""
    async with services.database.transaction() as session:
        rows = (await session.execute(select(Invitation))).scalars().all()
        (row,) = [row for row in rows if row.address == address]
        return row
