"""Roles as labels through the real discord.py client: an admin maps roles with
``/nps segments``, members answer from the card, ``/nps report by:team`` shows the teams."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.runtime.services import Services
from tests.adapters.discord.world import (
    ADMIN,
    GENERAL,
    OWNER,
    STAFF,
    card_command,
    connected,
    stored_responses,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import GuildSpec, MemberSpec, RoleSpec, UserSpec, _role_payload
from tests.doubles.discord_records import CHANNEL_MESSAGE, MODAL, RecordedMessage

ROLE_OPTION = 8
SCORE_ID = re.compile(r"nps:score:[0-9a-z]+:[0-9a-f-]{36}:(\d+)")

ENG = RoleSpec(id=810_000_000_000_000_011, name="Engineering", position=2)
DESIGN = RoleSpec(id=810_000_000_000_000_012, name="Design", position=3)
ENGINEERS = tuple(UserSpec(id=800_000_000_000_000_100 + n, username=f"e{n}") for n in range(5))
DESIGNERS = tuple(UserSpec(id=800_000_000_000_000_200 + n, username=f"d{n}") for n in range(4))
BOTH = UserSpec(id=800_000_000_000_000_300, username="both")
"""Holds both roles: counts under Design, the higher one."""
GUILD = GuildSpec(
    id=1_234_567_890_123_456_789,
    name="Studio",
    owner_id=OWNER.id,
    roles=(STAFF, ENG, DESIGN),
    channels=(GENERAL,),
    members=(
        MemberSpec(user=OWNER),
        MemberSpec(user=ADMIN, role_ids=(STAFF.id,)),
        *(MemberSpec(user=user, role_ids=(ENG.id,)) for user in ENGINEERS),
        *(MemberSpec(user=user, role_ids=(DESIGN.id,)) for user in DESIGNERS),
        MemberSpec(user=BOTH, role_ids=(ENG.id, DESIGN.id)),
    ),
)


@pytest.fixture
async def studio() -> AsyncIterator[DiscordDouble]:
    async with DiscordDouble(guilds=[GUILD]) as double:
        yield double


def segments_command(
    double: DiscordDouble, sub: str, *, user: UserSpec, role: RoleSpec, **options: str
) -> dict[str, Any]:
    """``/nps segments <sub> role:@role …`` as Discord sends it (the role resolved)."""
    payload = double.payloads.slash_command(
        f"nps segments {sub}", user=user, guild=GUILD, options={"role": str(role.id), **options}
    )
    [group] = payload["data"]["options"]
    [command] = group["options"]
    for option in command["options"]:
        if option["name"] == "role":
            option["type"] = ROLE_OPTION
    payload["data"]["resolved"] = {"roles": {str(role.id): _role_payload(role)}}
    return payload


async def say(double: DiscordDouble, payload: dict[str, Any]) -> str:
    record = await double.dispatch_interaction(payload)
    return str((await record.followups.wait_for(0)).body.content)


async def answer_from_card(
    double: DiscordDouble, card: RecordedMessage, user: UserSpec, score: int
) -> None:
    [card_id] = card.body.custom_ids()
    click = await double.dispatch_interaction(
        double.payloads.button_click(card_id, user=user, guild=GUILD, message=card.message)
    )
    prompt = await click.followups.wait_for(0)
    button = next(
        custom_id
        for custom_id in prompt.body.custom_ids()
        if (m := SCORE_ID.fullmatch(custom_id)) and int(m[1]) == score
    )
    scored = await double.dispatch_interaction(
        double.payloads.button_click(button, user=user, guild=GUILD, message=prompt.message)
    )
    assert (await scored.callback()).type == MODAL


async def test_members_with_mapped_roles_answer_as_their_teams(
    studio: DiscordDouble, services: Services
) -> None:
    t = services.catalogs.translator("en")
    async with connected(studio, services):
        mapped = await say(
            studio, segments_command(studio, "map", user=ADMIN, role=ENG, label="team", value="eng")
        )
        # No value: the role's name.
        await say(studio, segments_command(studio, "map", user=ADMIN, role=DESIGN, label="team"))
        record = await studio.dispatch_interaction(
            card_command(studio, user=ADMIN, channel=GENERAL)
        )
        await record.followups.wait_for(0)
        [card] = studio.channel_messages(GENERAL.id)
        for number, user in enumerate((*ENGINEERS, *DESIGNERS, BOTH)):
            await answer_from_card(studio, card, user, (10, 9, 8, 6, 2)[number % 5])
        report = await studio.dispatch_interaction(
            studio.payloads.slash_command(
                "nps report", user=ADMIN, guild=GUILD, options={"by": "team"}
            )
        )
        shown = json.dumps((await report.followups.wait_for(0)).body.embeds, ensure_ascii=False)

    assert t("segments.mapped", role="Engineering", label="team", value="eng") in mapped
    teams = sorted(response.segments["team"] for response in await stored_responses(services))
    assert teams == ["Design"] * 5 + ["eng"] * 5
    assert t("report.segments", by="team") in shown
    assert "eng: **" in shown and "Design: **" in shown
    assert t("report.segments_none", by="team") not in shown


async def test_only_admins_map_roles_and_a_map_can_be_listed_and_undone(
    studio: DiscordDouble, services: Services
) -> None:
    t = services.catalogs.translator("en")
    member = ENGINEERS[0]
    async with connected(studio, services):
        refusal = await studio.dispatch_interaction(
            segments_command(studio, "map", user=member, role=ENG, label="team")
        )
        refused = await refusal.callback()
        bad = await say(
            studio, segments_command(studio, "map", user=ADMIN, role=ENG, label="Team Name")
        )
        await say(studio, segments_command(studio, "map", user=ADMIN, role=ENG, label="team"))
        listed = await say(
            studio, studio.payloads.slash_command("nps segments list", user=ADMIN, guild=GUILD)
        )
        undone = await say(studio, segments_command(studio, "unmap", user=ADMIN, role=ENG))
        again = await say(studio, segments_command(studio, "unmap", user=ADMIN, role=ENG))

    assert refused.type == CHANNEL_MESSAGE and refused.message.ephemeral
    assert t("segments.not_allowed") in str(refused.message.content)
    assert t("segments.bad_label", label="Team Name") in bad
    assert t("segments.line", role="Engineering", label="team", value="Engineering") in listed
    assert t("segments.unmapped", role="Engineering") in undone
    assert t("segments.not_mapped", role="Engineering") in again
    mapping = await services.role_labels.of(platform="discord", tenant=str(GUILD.id))
    assert mapping == {}
