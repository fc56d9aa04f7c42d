"""The Discord double drives the real discord.py client: login, commands, views, modals, DMs."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.doubles.discord_api import DiscordDouble, ready_with_guilds
from tests.doubles.discord_payloads import (
    MANAGE_GUILD,
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    RoleSpec,
    UserSpec,
)
from tests.doubles.discord_records import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
)

OWNER = UserSpec(id=900_000_000_000_000_001, username="owner")
ALICE = UserSpec(id=900_000_000_000_000_002, username="alice", global_name="Alice")
BOB = UserSpec(id=900_000_000_000_000_003, username="bob")
STAFF = RoleSpec(id=910_000_000_000_000_001, name="staff", permissions=MANAGE_GUILD)
GENERAL = ChannelSpec(id=920_000_000_000_000_001, name="general")
GUILD = GuildSpec(
    id=930_000_000_000_000_001,
    name="Community",
    owner_id=OWNER.id,
    preferred_locale="ja",
    roles=(STAFF,),
    channels=(GENERAL,),
    members=(
        MemberSpec(user=OWNER),
        MemberSpec(user=ALICE, role_ids=(STAFF.id,)),
        MemberSpec(user=BOB),
    ),
)
NO_MENTIONS = discord.AllowedMentions.none()
PNG_BYTES = b"\x89PNG\r\n\x1a\n-not-really-an-image"


class ScoreButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"nps:score:(?P<score>\d+)",
):
    """A persistent button whose custom id carries the score; it opens ReasonModal."""

    def __init__(self, score: int) -> None:
        super().__init__(discord.ui.Button(label=str(score), custom_id=f"nps:score:{score}"))
        self.score = score

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ScoreButton:
        return cls(int(match["score"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ReasonModal(score=self.score))


class SkipButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"nps:skip"):
    """A persistent button that answers by rewriting the message it sits on."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="skip", custom_id="nps:skip"))

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SkipButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(content="skipped", view=None)


class ReasonModal(discord.ui.Modal, title="Reason"):
    reason: discord.ui.TextInput[ReasonModal] = discord.ui.TextInput(
        label="Reason", custom_id="reason"
    )

    def __init__(self, *, score: int) -> None:
        super().__init__(custom_id=f"nps:reason:{score}")
        self.score = score

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        client: SurveyClient = interaction.client
        client.events.put_nowait(("reason", self.score, self.reason.value))
        await interaction.response.send_message("saved", ephemeral=True)


class SurveyClient(discord.Client):
    """A client shaped like the adapter's: a command tree, persistent dynamic items."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(intents=intents, guild_ready_timeout=0.05, allowed_mentions=NO_MENTIONS)
        self.events: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        self.tree = app_commands.CommandTree(self)
        ping = app_commands.Group(name="ping", description="Check the bot")

        @ping.command(name="now", description="Answer now")
        async def now(interaction: discord.Interaction[Any], note: str) -> None:
            self.events.put_nowait(("ping", note, interaction.locale, interaction.guild_locale))
            await interaction.response.send_message(f"pong {note}", ephemeral=True)

        @ping.command(name="later", description="Answer after deferring")
        async def later(interaction: discord.Interaction[Any]) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.edit_original_response(content="pong")
            await interaction.followup.send("and again", ephemeral=True)

        @ping.command(name="chart", description="Answer with a file")
        async def chart(interaction: discord.Interaction[Any]) -> None:
            image = discord.File(io.BytesIO(PNG_BYTES), filename="nps.png")
            await interaction.response.send_message(
                embed=discord.Embed(title="chart"), file=image, ephemeral=True
            )

        self.tree.add_command(ping)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ScoreButton, SkipButton)


@asynccontextmanager
async def logged_in(dc: DiscordDouble) -> AsyncIterator[SurveyClient]:
    """A SurveyClient connected to ``dc`` and ready; closed (and its task awaited) after."""
    client = SurveyClient()
    await client.login(dc.token)
    connection = asyncio.create_task(client.connect(reconnect=False))
    try:
        await ready_with_guilds(client)
        yield client
    finally:
        await client.close()
        await connection


async def test_client_logs_in_reaches_ready_and_sees_the_guild(double: DiscordDouble) -> None:
    async with logged_in(double) as client:
        assert client.user is not None and client.user.id == double.bot.id
        assert client.application_id == double.application_id
        [guild] = client.guilds
        assert (guild.id, guild.name, guild.owner_id) == (GUILD.id, "Community", OWNER.id)
        assert guild.preferred_locale is discord.Locale.japanese
        assert {m.id for m in guild.members} == {OWNER.id, ALICE.id, BOB.id, double.bot.id}
        assert guild.me is not None
        alice = guild.get_member(ALICE.id)
        assert alice is not None and alice.get_role(STAFF.id) is not None
        assert [c.name for c in guild.text_channels] == ["general"]
        identify = await double.identifies.wait_for(0)
        assert identify["intents"] == client.intents.value
        assert double.heartbeats >= 1


async def test_tree_sync_records_global_and_guild_commands(double: DiscordDouble) -> None:
    guild = discord.Object(GUILD.id)
    async with logged_in(double) as client:
        synced = await client.tree.sync()
        client.tree.copy_global_to(guild=guild)
        await client.tree.sync(guild=guild)
        record = await double.dispatch_interaction(
            double.payloads.slash_command(
                "ping now", user=ALICE, guild=GUILD, options={"note": "guild"}
            )
        )
        assert (await record.callback()).message.content == "pong guild"
    syncs = [(sync.guild_id, sync.names()) for sync in double.command_syncs]
    assert syncs == [(None, ["ping"]), (GUILD.id, ["ping"])]
    [stored] = double.synced_commands()
    assert [o["name"] for o in stored["options"]] == ["now", "later", "chart"]
    assert [c.id for c in synced] == [int(stored["id"])]
    [in_guild] = double.synced_commands(GUILD.id)
    # A guild command shadows the global one, so Discord names the guild in the payload.
    assert record.payload["data"]["id"] == in_guild["id"] != stored["id"]
    assert record.payload["data"]["guild_id"] == str(GUILD.id)


async def test_slash_command_reaches_its_callback_and_answers_ephemerally(
    double: DiscordDouble,
) -> None:
    async with logged_in(double) as client:
        await client.tree.sync()
        record = await double.dispatch_interaction(
            double.payloads.slash_command(
                "ping now", user=ALICE, guild=GUILD, options={"note": "hi"}, locale="ja"
            )
        )
        callback = await record.callback()
        event = await client.events.get()
    assert event == ("ping", "hi", discord.Locale.japanese, discord.Locale.japanese)
    assert callback.type == CHANNEL_MESSAGE
    assert callback.message.content == "pong hi"
    assert callback.message.flags == 64 and callback.message.ephemeral
    assert callback.message.allowed_mentions == {"parse": []}
    assert record.original_message is not None


async def test_deferred_command_edits_its_original_and_sends_a_followup(
    double: DiscordDouble,
) -> None:
    async with logged_in(double):
        record = await double.dispatch_interaction(
            double.payloads.slash_command("ping later", user=ALICE, guild=GUILD)
        )
        followup = await record.followups.wait_for(0)
    callback = await record.callback()
    assert (callback.type, callback.data) == (DEFERRED_CHANNEL_MESSAGE, {"flags": 64})
    assert record.original_edits[0].content == "pong"
    assert followup.body.content == "and again" and followup.body.ephemeral


async def test_persistent_button_opens_a_modal_after_a_restart_and_the_modal_submits(
    double: DiscordDouble,
) -> None:
    async with logged_in(double) as first:
        channel = first.get_channel(GENERAL.id)
        assert isinstance(channel, discord.TextChannel)
        view = discord.ui.View(timeout=None)
        view.add_item(ScoreButton(7))
        await channel.send("How likely…?", view=view)
    card = await double.sent_messages.wait_for(0)
    assert card.body.custom_ids() == ["nps:score:7"]

    async with logged_in(double) as restarted:
        click = await double.dispatch_interaction(
            double.payloads.button_click("nps:score:7", user=BOB, guild=GUILD, message=card.message)
        )
        opened = await click.callback()
        assert opened.type == MODAL
        assert opened.data["custom_id"] == "nps:reason:7"
        assert opened.message.custom_ids() == ["reason"]
        submit = await double.dispatch_interaction(
            double.payloads.modal_submit(
                opened.data["custom_id"],
                values={"reason": "great people"},
                user=BOB,
                guild=GUILD,
                message=card.message,
            )
        )
        answered = await submit.callback()
        event = await restarted.events.get()
    assert event == ("reason", 7, "great people")
    assert answered.type == CHANNEL_MESSAGE and answered.message.ephemeral


async def test_files_arrive_as_multipart_in_callbacks_and_channel_messages(
    double: DiscordDouble,
) -> None:
    async with logged_in(double) as client:
        record = await double.dispatch_interaction(
            double.payloads.slash_command("ping chart", user=OWNER, guild=GUILD)
        )
        callback = await record.callback()
        channel = client.get_channel(GENERAL.id)
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send(
            "digest", file=discord.File(io.BytesIO(PNG_BYTES), filename="digest.png")
        )
        await sent.edit(content="digest (final)")
    [image] = callback.message.files
    assert (image.filename, image.data) == ("nps.png", PNG_BYTES)
    assert callback.message.embeds[0]["title"] == "chart" and callback.message.ephemeral
    [posted] = double.channel_messages(GENERAL.id)
    assert posted.body.files[0].data == PNG_BYTES
    assert sent.attachments[0].filename == "digest.png"
    assert sent.attachments[0].size == len(PNG_BYTES)
    edit = await double.edited_messages.wait_for(0)
    assert (edit.message_id, edit.body.content) == (sent.id, "digest (final)")


async def test_a_click_in_a_dm_can_rewrite_the_message_it_came_from(
    double: DiscordDouble,
) -> None:
    async with logged_in(double):
        record = await double.dispatch_interaction(
            double.payloads.button_click("nps:skip", user=ALICE)
        )
        callback = await record.callback()
    assert "guild_id" not in record.payload and record.payload["user"]["id"] == str(ALICE.id)
    assert callback.type == UPDATE_MESSAGE
    assert (callback.message.content, callback.message.components) == ("skipped", [])


async def test_dm_to_a_user_with_closed_dms_raises_forbidden_50007(
    double: DiscordDouble,
) -> None:
    async with logged_in(double) as client:
        alice = await client.fetch_user(ALICE.id)
        await alice.send("survey")
        bob = await client.fetch_user(BOB.id)
        with pytest.raises(discord.Forbidden) as refused:
            await bob.send("survey")
    assert refused.value.code == 50007
    assert [m.body.content for m in double.messages_to(ALICE.id)] == ["survey"]
    assert double.messages_to(BOB.id) == []


async def test_a_429_is_absorbed_by_discord_py_rate_limiter(double: DiscordDouble) -> None:
    route = "POST /channels/{channel_id}/messages"
    double.rate_limit(route, retry_after=0.05)
    async with logged_in(double) as client:
        channel = client.get_channel(GENERAL.id)
        assert isinstance(channel, discord.TextChannel)
        message = await channel.send("hello")
    assert [entry.status for entry in double.requests_to(route)] == [429, 200]
    assert message.content == "hello"


async def test_reconnect_resumes_the_session_and_interactions_still_arrive(
    double: DiscordDouble,
) -> None:
    async with logged_in(double) as client:
        await double.request_reconnect()
        resume = await double.resumes.wait_for(0)
        record = await double.dispatch_interaction(
            double.payloads.slash_command(
                "ping now", user=ALICE, guild=GUILD, options={"note": "back"}
            )
        )
        callback = await record.callback()
        assert client.ws is not None and resume["session_id"] == client.ws.session_id
    assert callback.message.content == "pong back"
    assert len(double.identifies) == 1


async def test_a_wrong_token_fails_login(double: DiscordDouble) -> None:
    client = discord.Client(intents=discord.Intents.default())
    try:
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
    finally:
        await client.close()


async def test_rest_answers_unknown_routes_and_pages_members_like_discord(
    double: DiscordDouble,
) -> None:
    headers = {"Authorization": f"Bot {double.token}"}
    members_url = f"{double.api_base_url}/guilds/{GUILD.id}/members"
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(f"{double.api_base_url}/no/such/route") as missing:
            assert (missing.status, await missing.json()) == (
                404,
                {"message": "404: Not Found", "code": 0},
            )
        async with http.get(members_url, params={"limit": "2"}) as first:
            page_one = [m["user"]["id"] for m in await first.json()]
        async with http.get(members_url, params={"limit": "2", "after": page_one[-1]}) as rest:
            page_two = [m["user"]["id"] for m in await rest.json()]
    every = [str(u) for u in sorted((OWNER.id, ALICE.id, BOB.id, double.bot.id))]
    assert page_one + page_two == every


async def test_the_client_closes_without_leaving_tasks_behind(double: DiscordDouble) -> None:
    async with logged_in(double):
        pass
    await asyncio.sleep(0)
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftover == []


async def test_discord_py_points_at_the_double_only_while_it_is_entered() -> None:
    production = (discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY))
    async with DiscordDouble() as dc:
        inside = (discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY))
    assert inside == (dc.api_base_url, dc.gateway_url)
    assert production[0].startswith("https://discord.com/api/")
    assert (discord.http.Route.BASE, str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)) == (
        production
    )


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    async with DiscordDouble(guilds=[GUILD], closed_dm_user_ids={BOB.id}) as dc:
        yield dc
