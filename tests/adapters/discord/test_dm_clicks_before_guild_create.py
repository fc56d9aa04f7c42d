"""A DM click while the client knows its server by id only: READY named the server, its
GUILD_CREATE (which brings the roles) has not come. The clicker still answers with the
labels of their mapped roles, read from the API, as a wave's listing does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from adapters.discord.client import NpsClient
from adapters.discord.people import tenant_code
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from tests.adapters.discord.world import ADMIN, ALICE, DAVE, GUILD, MEMBERS, stored_responses
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import CHANNEL_MESSAGE, MODAL
from tests.support.clock import Clock
from tests.support.waiting import HANG_GUARD_SECONDS


@asynccontextmanager
async def ready_by_id_only(double: DiscordDouble, services: Services) -> AsyncIterator[NpsClient]:
    """The adapter's client, ready with every server unavailable (no GUILD_CREATE)."""
    client = NpsClient(services, guild_ready_timeout=0.05)
    await client.login(double.token)
    connection = asyncio.create_task(client.connect(reconnect=False))
    try:
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            await client.wait_until_ready()
        yield client
    finally:
        await client.close()
        await connection


async def pulse(services: Services, clock: Clock) -> str:
    """A survey of the server, whose id a DM score button carries."""
    survey = await create_survey(
        services.database,
        platform="discord",
        tenant=str(GUILD.id),
        spec=SurveySpec(name="pulse", timezone="UTC"),
        now=clock(),
        default_locale="en",
    )
    return f"nps:score:{tenant_code(str(GUILD.id))}:{survey.id}:9"


async def test_a_dm_score_keeps_the_labels_of_the_clickers_roles(
    services: Services, clock: Clock
) -> None:
    """A score given in the bot's DM with no open ask (the button of a DM prompt whose ask
    is gone) records the ask with the clicker's labels: those of their roles."""
    tenant = str(GUILD.id)
    admin = Person(platform="discord", tenant=tenant, user_id=str(ADMIN.id), is_admin=True)
    await services.role_labels.map_role(
        admin, role_id=str(MEMBERS.id), role_name=MEMBERS.name, label="team", value="members"
    )
    in_a_dm = await pulse(services, clock)
    async with (
        DiscordDouble(guilds=[GUILD], guild_creates=False) as double,
        ready_by_id_only(double, services) as client,
    ):
        held = client.get_guild(GUILD.id)
        assert held is not None and held.unavailable  # the case at hand
        click = await double.dispatch_interaction(double.payloads.button_click(in_a_dm, user=ALICE))
        answered = await click.callback()

    assert answered.type == MODAL
    [response] = await stored_responses(services)
    assert response.score == 9 and response.segments == {"team": "members"}


async def test_a_dm_score_of_someone_outside_the_server_is_still_refused(
    services: Services, clock: Clock
) -> None:
    in_a_dm = await pulse(services, clock)
    async with (
        DiscordDouble(guilds=[GUILD], users=[DAVE], guild_creates=False) as double,
        ready_by_id_only(double, services),
    ):
        click = await double.dispatch_interaction(double.payloads.button_click(in_a_dm, user=DAVE))
        answered = await click.callback()

    t = services.catalogs.translator("en")
    assert answered.type == CHANNEL_MESSAGE and answered.message.content == t(
        "safety.unknown_server"
    )
    assert await stored_responses(services) == []
