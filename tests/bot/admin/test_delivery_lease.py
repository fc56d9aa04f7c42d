"""A chat ``/nps survey start`` settles left-behind claims after ``DELIVERY_LEASE_SECONDS``;
a lease too short for ``SEND_TIMEOUT_SECONDS`` shortens each send to fit inside it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.domain.leases import lease_margin, lease_warning, must_renew, send_limit
from bot.ports.reach import Reach
from bot.runtime.services import Services, build_services
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


@pytest.mark.parametrize(
    ("lease", "timeout", "limit"),
    [(600, 120, 120), (60, 120, 22.5), (20, 120, 7.5), (600, 300, 285), (0, 120, 120)],
)
def test_a_short_lease_shortens_each_send_to_fit_inside_it(
    lease: int, timeout: int, limit: float
) -> None:
    got = send_limit(lease=timedelta(seconds=lease), send_timeout=timedelta(seconds=timeout))

    assert got == timedelta(seconds=limit)


@pytest.mark.parametrize("lease", [600, 60, 20, 1])
def test_renewal_keeps_every_send_inside_the_lease_and_spares_short_waits(lease: int) -> None:
    whole = timedelta(seconds=lease)
    usable = whole - lease_margin(whole)  # a claim this old may be taken over
    limit = send_limit(lease=whole, send_timeout=timedelta(seconds=120))
    stamp = datetime(2026, 3, 10, tzinfo=UTC)
    for tenth in range(21):
        waited = whole * tenth / 10  # how long the claim waited for its pace slot
        renews = must_renew(claimed_at=stamp, now=stamp + waited, lease=whole, limit=limit)
        if not renews:
            assert waited + limit <= usable  # the send ends before anyone may take it
        if waited <= usable / 2:
            assert not renews  # a claim that waited briefly costs no write


def test_a_lease_of_zero_never_renews_and_is_said_once_at_start() -> None:
    never = must_renew(
        claimed_at=datetime(2026, 3, 10, tzinfo=UTC),
        now=datetime(2026, 3, 11, tzinfo=UTC),
        lease=timedelta(0),
        limit=timedelta(seconds=120),
    )
    warning = lease_warning(lease=timedelta(0), send_timeout=timedelta(seconds=120))

    assert not never
    assert warning is not None and "no replicas" in warning


async def test_a_lease_too_short_for_the_send_timeout_is_said_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
        nps_pepper=TEST_PEPPER,
        delivery_lease_seconds=20,
    )
    with caplog.at_level(logging.WARNING):
        services = await build_services(settings, migrate=True)
    await services.database.dispose()

    [line] = [r.getMessage() for r in caplog.records if "DELIVERY_LEASE_SECONDS" in r.getMessage()]
    assert "leaves each send 7.5 s" in line and "SEND_TIMEOUT_SECONDS=120" in line
    assert services.waves.send_timeout == timedelta(seconds=120)  # shortened where it is used


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
