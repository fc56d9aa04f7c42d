"""A chat ``/nps survey start`` settles left-behind claims after ``DELIVERY_LEASE_SECONDS``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.views.admin import Setting
from storage.models import Invitation
from tests.bot.admin.conftest import MEMBERS, admin
from tests.bot.admin.test_survey_admin import PULSE
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.clock import Clock

LEASE_SECONDS = 60  # far below the default lease of ten minutes


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        delivery_lease_seconds=LEASE_SECONDS,
    )


async def statuses(services: Services) -> dict[str, str]:
    async with services.database.transaction() as session:
        rows = (await session.execute(select(Invitation))).scalars()
        return {row.address or "": row.status for row in rows}


async def test_a_chat_start_reconciles_claims_older_than_the_configured_lease(
    services: Services, reach: Reach, slack: SlackApiDouble, clock: Clock
) -> None:
    await services.admin.create(admin(), {**PULSE, Setting.TIMEZONE: "UTC"})
    await services.admin.start(admin(), reach, "pulse")
    ann = MEMBERS[0]
    # Ann's sender stopped after Slack took her message, before it recorded the answer.
    async with services.database.transaction() as session:
        await session.execute(
            update(Invitation)
            .where(col(Invitation.address) == ann)
            .values(status="sending", claimed_at=clock())
        )

    clock.now += timedelta(seconds=LEASE_SECONDS + 1)
    await services.admin.start(admin(), reach, "pulse")

    assert (await statuses(services))[ann] == "sent"  # her message was found by its nonce
    assert len(slack.workspace.messages_in(slack.workspace.dm_channel(ann))) == 1
