"""Survey waves through Discord: servers announced while serving, command-line reaches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.discord.intents import gateway_intents
from adapters.discord.platform import DiscordPlatform
from adapters.discord.plugin import DiscordPlugin
from adapters.discord.reach import DISCORD_DMS_PER_SECOND, choose_guild
from adapters.discord.settings import DiscordSettings
from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from bot.usecases.surveys import SurveySpec, create_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from bot.views.common import ScorePrompt
from storage.models import Invitation
from tests.adapters.discord.world import (
    ALICE,
    BOB,
    CAROL,
    FEEDBACK,
    GUILD,
    MEMBERS,
    OWNER,
    with_token,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import (
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    guild_create_payload,
)
from tests.support.clock import Clock
from tests.support.runtime import runtime_context
from tests.support.waiting import HANG_GUARD_SECONDS

SEND = "POST /channels/{channel_id}/messages"
# Tuesday 10 March 2026, 10:30 UTC: working hours for a survey in UTC.
OPENING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
OTHER = GuildSpec(
    id=1_234_567_890_123_450_000,
    name="Elsewhere",
    owner_id=OWNER.id,
    members=(MemberSpec(user=OWNER), MemberSpec(user=ALICE)),
)


def fast_plugin(settings: DiscordSettings) -> DiscordPlugin:
    return DiscordPlugin(settings, guild_ready_timeout=0.05)


@asynccontextmanager
async def serving(
    services: Services, double: DiscordDouble, *, members_intent: bool = False
) -> AsyncIterator[asyncio.Queue[Reach]]:
    """The plugin serving ``double`` with a ``Reaches``; yields the reaches it announces."""
    announced: asyncio.Queue[Reach] = asyncio.Queue()
    reaches = Reaches()

    async def listen(reach: Reach) -> None:
        announced.put_nowait(reach)

    reaches.subscribe(listen)
    plugin = fast_plugin(with_token(double.token, members_intent=members_intent))
    task = asyncio.create_task(plugin.serve(runtime_context(services, reaches=reaches)))
    try:
        yield announced
    finally:
        task.cancel()
        await asyncio.wait({task}, timeout=HANG_GUARD_SECONDS)
    assert task.cancelled()


async def next_reach(announced: asyncio.Queue[Reach]) -> Reach:
    async with asyncio.timeout(HANG_GUARD_SECONDS):
        return await announced.get()


async def invitations(services: Services) -> list[Invitation]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Invitation))).scalars())


async def test_serving_announces_each_server_and_servers_joined_later(
    double: DiscordDouble, services: Services
) -> None:
    async with serving(services, double) as announced:
        first = await next_reach(announced)
        joining = guild_create_payload(OTHER, bot=double.bot, joined_at=OPENING, all_members=False)
        del joining["unavailable"]  # a server joined now, not one back from an outage
        await double.dispatch("GUILD_CREATE", joining)
        joined = await next_reach(announced)
    assert (first.tenant, joined.tenant) == (str(GUILD.id), str(OTHER.id))
    assert all(isinstance(r.platform, DiscordPlatform) for r in (first, joined))
    assert first.per_second == DISCORD_DMS_PER_SECOND <= 1
    assert announced.empty()


async def test_a_wave_through_the_announced_reach_dms_the_role_once_and_records_closed_dms(
    double: DiscordDouble, services: Services, clock: Clock
) -> None:
    double.close_dms(BOB.id)
    clock.now = OPENING
    deps = services.waves
    survey = await create_survey(
        services.database,
        platform="discord",
        tenant=str(GUILD.id),
        spec=SurveySpec(name="pulse", audience={"role": str(MEMBERS.id)}, timezone="UTC"),
        now=clock(),
        default_locale="en",
    )
    async with serving(services, double, members_intent=True) as announced:
        # The real pace spaces DMs seconds apart; the test keeps everything else.
        reach = replace(await next_reach(announced), per_second=100)
        opened = await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
        first = await deliver_due(deps, reach)
        again = await deliver_due(deps, reach)

    assert opened is not None and opened.invited == 2  # Alice and Bob; Carol lacks the role
    assert (first.sent, first.failed, again.attempted) == (1, 1, 0)
    assert len(double.messages_to(ALICE.id)) == 1
    assert double.messages_to(BOB.id) == [] and double.messages_to(CAROL.id) == []
    assert sorted(entry.status for entry in double.requests_to(SEND)) == [200, 403]
    failed = [i for i in await invitations(services) if i.status == "failed"]
    assert [i.error for i in failed] == ["dm_closed"]


async def test_open_reach_yields_the_only_server_and_delivers_through_it(
    double: DiscordDouble, services: Services
) -> None:
    who = Person(platform="discord", tenant=str(GUILD.id), user_id=str(ALICE.id))
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    async with fast_plugin(with_token(double.token)).open_reach(services) as reach:
        reference = await reach.platform.send_direct(str(ALICE.id), prompt)
        alice = await reach.platform.profile(str(ALICE.id))
    [dm] = double.messages_to(ALICE.id)
    assert reach.tenant == alice.tenant == str(GUILD.id)
    assert reach.per_second == DISCORD_DMS_PER_SECOND
    assert reference == f"{dm.channel_id}:{dm.message_id}"
    identify = await double.identifies.wait_for(0)
    assert identify["intents"] == gateway_intents().value  # members only when configured


async def test_open_reach_in_several_servers_needs_discord_guild_id(services: Services) -> None:
    async with DiscordDouble(guilds=[GUILD, OTHER]) as double:
        with pytest.raises(ConfigurationError, match="DISCORD_GUILD_ID"):
            async with fast_plugin(with_token(double.token)).open_reach(services):
                pytest.fail("no server should have been chosen")
        chosen = with_token(double.token, guild_id=OTHER.id)
        async with fast_plugin(chosen).open_reach(services) as reach:
            assert reach.tenant == str(OTHER.id)


async def test_open_reach_with_a_refused_token_is_a_configuration_error(
    double: DiscordDouble, services: Services
) -> None:
    with pytest.raises(ConfigurationError, match="DISCORD_TOKEN"):
        async with fast_plugin(with_token("not-the-token")).open_reach(services):
            pytest.fail("a refused token yields no reach")


@pytest.mark.parametrize(
    ("guild_ids", "configured", "expected"),
    [([7], None, 7), ([7, 8], 8, 8), ([7], 7, 7)],
)
def test_choose_guild_takes_the_configured_or_the_only_server(
    guild_ids: list[int], configured: int | None, expected: int
) -> None:
    assert choose_guild(guild_ids, configured=configured) == expected


@pytest.mark.parametrize(
    ("guild_ids", "configured", "says"),
    [([], None, "no Discord server"), ([7, 8], None, "DISCORD_GUILD_ID"), ([7], 8, "not in")],
)
def test_choose_guild_refuses_what_it_cannot_decide(
    guild_ids: list[int], configured: int | None, says: str
) -> None:
    with pytest.raises(ConfigurationError, match=says):
        choose_guild(guild_ids, configured=configured)


async def test_a_server_unavailable_when_the_client_is_ready_is_read_from_the_api(
    services: Services,
) -> None:
    """The READY event names the servers by id only; each one's roles and members come
    with its GUILD_CREATE, which may come after discord.py stopped waiting for it. The
    reach then reads the server from the API instead of the empty one the client holds."""
    japanese = replace(GUILD, preferred_locale="ja")
    async with DiscordDouble(guilds=[japanese], guild_creates=False) as double:
        settings = with_token(double.token, members_intent=True)
        async with fast_plugin(settings).open_reach(services) as reach:
            audience = await reach.platform.list_audience({"role": str(MEMBERS.id)})
            alice = await reach.platform.profile(str(ALICE.id))

    assert sorted(person.user_id for person in audience) == sorted([str(ALICE.id), str(BOB.id)])
    assert alice.locale == "ja"


@pytest.mark.parametrize("guild_creates", [True, False])
async def test_a_channel_is_named_from_the_client_or_the_api_within_its_server_only(
    services: Services, guild_creates: bool
) -> None:
    """Held or not (a server known by id only holds no channels), a channel of the
    reach's server is named; one of another server the bot is in, or one Discord does
    not know, is not."""
    elsewhere = ChannelSpec(id=820_000_000_000_000_050, name="elsewhere")
    other = replace(OTHER, channels=(elsewhere,))
    async with DiscordDouble(guilds=[GUILD, other], guild_creates=guild_creates) as double:
        settings = with_token(double.token, guild_id=GUILD.id)
        async with fast_plugin(settings).open_reach(services) as reach:
            names = [
                await reach.platform.channel_name(channel)
                for channel in (str(FEEDBACK.id), str(elsewhere.id), "820000000000000099", "C0")
            ]

    assert names == [FEEDBACK.name, None, None, None]
