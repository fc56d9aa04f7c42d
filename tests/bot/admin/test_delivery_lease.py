"""A chat ``/nps survey start`` settles left-behind claims after ``DELIVERY_LEASE_SECONDS``,
which must outlast one send (``SEND_TIMEOUT_SECONDS``) by a margin."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError, Settings, load_settings
from bot.views.admin import Setting
from storage.models import Invitation
from tests.bot.admin.conftest import MEMBERS, admin
from tests.bot.admin.test_survey_admin import PULSE
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.clock import Clock

LEASE_SECONDS = 60  # far below the default lease of ten minutes
SEND_TIMEOUT_SECONDS = 20


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        delivery_lease_seconds=LEASE_SECONDS,
        send_timeout_seconds=SEND_TIMEOUT_SECONDS,
    )


@pytest.mark.parametrize(("lease", "timeout"), [(0, 120), (149, 120), (40, 20)])
def test_a_lease_shorter_than_a_send_and_its_margin_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lease: int, timeout: int
) -> None:
    monkeypatch.chdir(tmp_path)  # no `.env` but the environment below
    monkeypatch.setenv("DELIVERY_LEASE_SECONDS", str(lease))
    monkeypatch.setenv("SEND_TIMEOUT_SECONDS", str(timeout))
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)

    with pytest.raises(ConfigurationError) as refused:
        load_settings(Settings)

    message = str(refused.value)
    assert message.startswith("invalid setting DELIVERY_LEASE_SECONDS: must be at least")
    assert f"{timeout + 30}" in message and "SEND_TIMEOUT_SECONDS" in message


def test_the_shortest_safe_lease_is_accepted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DELIVERY_LEASE_SECONDS", "150")
    monkeypatch.setenv("SEND_TIMEOUT_SECONDS", "120")

    assert load_settings(Settings).delivery_lease_seconds == 150


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
