"""A workspace is stored with the configured DEFAULT_LOCALE, whichever path sees it first."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlmodel import col, select

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.usecases.waves.delivery import deliver_due
from bot.views.admin import Setting
from bot.views.common import Notice, ScorePrompt, Tone
from storage.models import Tenant
from tests.conftest import TEST_PEPPER, SchemaTemplates
from tests.doubles.slack_api import SlackApiDouble
from tests.support.clock import Clock

TOKEN = "xoxb-tenant-test-token"
TEAM = "T0TENANT1"


@pytest.fixture
async def japanese(
    database_url: str, clock: Clock, schema_templates: SchemaTemplates
) -> AsyncIterator[Services]:
    """Services configured with DEFAULT_LOCALE=ja."""
    settings = Settings(
        _env_file=None, database_url=database_url, nps_pepper=TEST_PEPPER, default_locale="ja"
    )
    await schema_templates.fill(database_url)
    built = await build_services(settings, migrate=True, clock=clock)
    try:
        yield built
    finally:
        await built.database.dispose()


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        yield double


def someone(*, admin: bool = False) -> Person:
    """A person whose own language differs from the configured one."""
    return Person(platform="slack", tenant=TEAM, user_id="U0ANN0001", locale="en", is_admin=admin)


async def by_conversation(services: Services, slack: SlackApiDouble) -> None:
    assert isinstance(await services.engine.start(someone()), ScorePrompt)


async def by_chat_admin(services: Services, slack: SlackApiDouble) -> None:
    created = await services.admin.create(
        someone(admin=True), {Setting.NAME: "pulse", Setting.LOCALE: "en"}
    )
    assert isinstance(created, Notice) and created.tone is Tone.SUCCESS, created


async def by_wave_delivery(services: Services, slack: SlackApiDouble) -> None:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    report = await deliver_due(services.waves, Reach(platform, tenant=TEAM))
    assert report.sent == 0


async def by_opt_out(services: Services, slack: SlackApiDouble) -> None:
    assert isinstance(await services.engine.opt_out(someone()), Notice)


Path = Callable[[Services, SlackApiDouble], Awaitable[None]]


@pytest.mark.parametrize("first", [by_conversation, by_chat_admin, by_wave_delivery, by_opt_out])
async def test_the_first_path_to_see_a_workspace_stores_the_configured_locale(
    japanese: Services, slack: SlackApiDouble, first: Path
) -> None:
    await first(japanese, slack)
    async with japanese.database.transaction() as session:
        stored = (
            await session.execute(select(col(Tenant.locale)).where(col(Tenant.external_id) == TEAM))
        ).scalar_one()
    assert stored == "ja"
