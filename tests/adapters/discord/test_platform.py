"""``DiscordPlatform`` (the engine's port) against the double: DMs, channels, audiences."""

from __future__ import annotations

import asyncio
import json

import pytest

from adapters.discord.platform import DiscordPlatform, MembersIntentMissing
from adapters.discord.plugin import DiscordPlugin
from bot.domain.people import Person
from bot.ports.platform import DeliveryFailed
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from bot.views.common import Notice, ReportRow, ReportSection, ReportView, ScorePrompt
from tests.adapters.discord.world import (
    ADMIN,
    ALICE,
    BOB,
    CAROL,
    FEEDBACK,
    GUILD,
    MEMBERS,
    OWNER,
    connected,
    stored_responses,
    with_token,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import MODAL, RecordedMessage
from tests.support.runtime import runtime_context
from tests.support.waiting import HANG_GUARD_SECONDS

SEND = "POST /channels/{channel_id}/messages"
EVIL = "@everyone <@123> https://evil.example"


async def prompt_for(services: Services, user_id: int) -> ScorePrompt:
    who = Person(platform="discord", tenant=str(GUILD.id), user_id=str(user_id))
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    return prompt


async def test_a_dm_prompt_works_in_the_dm_where_discord_sends_no_server(
    double: DiscordDouble, services: Services
) -> None:
    prompt = await prompt_for(services, ALICE.id)
    async with connected(double, services) as client:
        platform = DiscordPlatform(client, tenant=str(GUILD.id))
        reference = await platform.send_direct(str(ALICE.id), prompt)
        [dm] = double.messages_to(ALICE.id)
        click = await double.dispatch_interaction(
            double.payloads.button_click(dm.body.custom_ids()[6], user=ALICE, message=dm.message)
        )
        modal = await click.callback()
        await platform.update_message(reference, Notice("closed"))
    assert reference == f"{dm.channel_id}:{dm.message_id}"
    assert dm.body.allowed_mentions == {"parse": []}
    assert modal.type == MODAL
    [response] = await stored_responses(services)
    assert response.score == 6  # stored for the server the prompt came from
    [edit] = double.edited_messages
    assert edit.body.content == "closed" and edit.body.components == []


async def test_a_dm_score_without_reason_is_thanked_without_the_number(
    double: DiscordDouble, services: Services
) -> None:
    prompt = await prompt_for(services, ALICE.id)
    async with connected(double, services) as client:
        await DiscordPlatform(client, tenant=str(GUILD.id)).send_direct(str(ALICE.id), prompt)
        [dm] = double.messages_to(ALICE.id)
        click = await double.dispatch_interaction(
            double.payloads.button_click(dm.body.custom_ids()[7], user=ALICE, message=dm.message)
        )
        modal = await click.callback()  # then closed: no reason is sent
    [response] = await stored_responses(services)
    assert response.score == 7
    # The thanks (the modal's title) has no number; the DM, which stays, was not edited
    # to show one: a 7 appears nowhere in its words (its 0-10 buttons aside).
    t = services.catalogs.translator("en")
    assert modal.type == MODAL and modal.data["title"] == t("score.recorded")
    assert not any(character.isdigit() for character in modal.data["title"])
    shown = [*double.messages_to(ALICE.id), *double.edited_messages]
    assert all("7" not in words(message) for message in shown)


def words(message: RecordedMessage) -> str:
    """The text a message shows: its content and every embed's words."""
    parts = [message.body.content or ""]
    for embed in message.body.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [embed.get("footer", {}).get("text", "")]
        for embed_field in embed.get("fields", []):
            parts += [embed_field.get("name", ""), embed_field.get("value", "")]
    return "\n".join(parts)


async def test_closed_dms_fail_once_with_dm_closed_and_are_not_retried(
    double: DiscordDouble, services: Services
) -> None:
    prompt = await prompt_for(services, CAROL.id)
    async with connected(double, services) as client:
        platform = DiscordPlatform(client, tenant=str(GUILD.id))
        with pytest.raises(DeliveryFailed) as failed:
            await platform.send_direct(str(CAROL.id), prompt)
    assert failed.value.reason == "dm_closed"
    assert [entry.status for entry in double.requests_to(SEND)] == [403]


async def test_a_channel_post_shows_respondent_text_inert_with_its_image(
    double: DiscordDouble, services: Services
) -> None:
    digest = ReportView(
        title="Digest",
        headline="NPS +10",
        sections=(ReportSection(title="Reasons", rows=(ReportRow("Quote", EVIL),), notes=(EVIL,)),),
    )
    async with connected(double, services) as client:
        await DiscordPlatform(client, tenant=str(GUILD.id)).post_to_channel(
            str(FEEDBACK.id), digest, image=b"\x89PNG fake"
        )
    [post] = double.channel_messages(FEEDBACK.id)
    assert post.body.allowed_mentions == {"parse": []}
    shown = json.dumps(post.body.embeds, ensure_ascii=False)
    assert "evil.example" in shown
    for raw in ("@everyone", "<@123>", "https://"):
        assert raw not in shown
    assert [f.data for f in post.body.files] == [b"\x89PNG fake"]


async def test_a_role_audience_lists_its_members_with_the_members_intent(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services, members_intent=True) as client:
        platform = DiscordPlatform(client, tenant=str(GUILD.id))
        people = await platform.list_audience({"role": str(MEMBERS.id)})
        admin = await platform.profile(str(ADMIN.id))
    assert sorted(p.user_id for p in people) == sorted([str(ALICE.id), str(BOB.id)])
    assert all(p.tenant == str(GUILD.id) and not p.is_admin for p in people)
    assert admin.is_admin


async def test_an_everyone_audience_lists_every_member_but_bots(
    double: DiscordDouble, services: Services
) -> None:
    # The command line's default audience: a wave opened on it failed before.
    async with connected(double, services, members_intent=True) as client:
        people = await DiscordPlatform(client, tenant=str(GUILD.id)).list_audience(
            {"everyone": "yes"}
        )
    assert sorted(p.user_id for p in people) == sorted(
        str(user.id) for user in (OWNER, ADMIN, ALICE, BOB, CAROL)
    )


async def test_a_role_audience_without_the_members_intent_says_what_to_enable(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services) as client:
        platform = DiscordPlatform(client, tenant=str(GUILD.id))
        with pytest.raises(MembersIntentMissing, match="Server Members Intent"):
            await platform.list_audience({"role": str(MEMBERS.id)})
    assert double.requests_to("GET /guilds/{guild_id}/members") == []


async def test_a_members_intent_the_portal_refuses_stops_serving_with_a_clear_error(
    services: Services,
) -> None:
    async with DiscordDouble(guilds=[GUILD], grant_members_intent=False) as double:
        configured = DiscordPlugin(with_token(double.token, members_intent=True))
        with pytest.raises(ConfigurationError, match="Server Members Intent"):
            async with asyncio.timeout(HANG_GUARD_SECONDS):
                await configured.serve(runtime_context(services))
