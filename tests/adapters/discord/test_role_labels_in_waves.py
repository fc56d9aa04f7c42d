"""A Discord wave whose answers carry the teams of the members' mapped roles: the wave
lists its role's members through discord.py on the double, each answers the DM (a DM
click carries no member, so the groups come from the opening), and ``/nps report
by:team`` shows each team with its response rate."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.discord.escape import escape_text
from adapters.discord.reach import guild_reach
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from tests.adapters.discord.world import ADMIN, GENERAL, OWNER, STAFF, connected, stored_responses
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import GuildSpec, MemberSpec, RoleSpec, UserSpec
from tests.doubles.discord_records import MODAL
from tests.support.clock import Clock

SCORE_ID = re.compile(r"nps:score:.*:(\d+)")
OPENING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
"""A Tuesday, 10:30 in the survey's time zone (UTC): the DMs go at once."""
CREW = RoleSpec(id=830_000_000_000_000_001, name="crew", position=1)
ENG = RoleSpec(id=830_000_000_000_000_002, name="Engineering", position=2)
OPS = RoleSpec(id=830_000_000_000_000_003, name="Operations", position=3)
ENGINEERS = tuple(UserSpec(id=800_000_000_000_001_100 + n, username=f"e{n}") for n in range(6))
OPERATORS = tuple(UserSpec(id=800_000_000_000_001_200 + n, username=f"o{n}") for n in range(6))
GUILD = GuildSpec(
    id=1_234_567_890_123_400_001,
    name="Works",
    owner_id=OWNER.id,
    roles=(STAFF, CREW, ENG, OPS),
    channels=(GENERAL,),
    members=(
        MemberSpec(user=OWNER),
        MemberSpec(user=ADMIN, role_ids=(STAFF.id,)),
        *(MemberSpec(user=user, role_ids=(CREW.id, ENG.id)) for user in ENGINEERS),
        *(MemberSpec(user=user, role_ids=(CREW.id, OPS.id)) for user in OPERATORS),
    ),
)


@pytest.fixture
async def works() -> AsyncIterator[DiscordDouble]:
    # The report draws four charts: on a loaded machine that takes seconds; only a hang
    # reaches the limit.
    async with DiscordDouble(guilds=[GUILD]) as double:
        yield double


async def answer_dm(double: DiscordDouble, user: UserSpec, score: int) -> None:
    [dm] = double.messages_to(user.id)
    button = next(
        custom_id
        for custom_id in dm.body.custom_ids()
        if (m := SCORE_ID.fullmatch(custom_id)) and int(m[1]) == score
    )
    scored = await double.dispatch_interaction(
        double.payloads.button_click(button, user=user, message=dm.message)
    )
    assert (await scored.callback()).type == MODAL


async def test_a_waves_dm_answers_keep_the_teams_of_their_roles_with_response_rates(
    works: DiscordDouble, services: Services, clock: Clock
) -> None:
    clock.now = OPENING
    tenant = str(GUILD.id)
    admin = Person(platform="discord", tenant=tenant, user_id=str(ADMIN.id), is_admin=True)
    survey = await create_survey(
        services.database,
        platform="discord",
        tenant=tenant,
        spec=SurveySpec(name="pulse", audience={"role": str(CREW.id)}, timezone="UTC"),
        now=clock(),
        default_locale="en",
    )
    for role, value in ((ENG, "eng"), (OPS, "ops")):
        await services.role_labels.map_role(
            admin, role_id=str(role.id), role_name=role.name, label="team", value=value
        )
    t = services.catalogs.translator("en")
    async with connected(works, services, members_intent=True) as client:
        reach = guild_reach(client, GUILD.id, admin_role_ids=(), role_labels=services.role_labels)
        # The real pace spaces DMs seconds apart; the test keeps everything else.
        reach = dataclasses.replace(reach, per_second=100)
        opened = await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
        delivered = await deliver_due(services.waves, reach)
        for number, user in enumerate((*ENGINEERS[:5], *OPERATORS[:5])):
            await answer_dm(works, user, (10, 9, 8, 6, 2)[number % 5])
        report = await works.dispatch_interaction(
            works.payloads.slash_command(
                "nps report", user=ADMIN, guild=GUILD, options={"survey": "pulse", "by": "team"}
            )
        )
        [embed, *_charts] = (await report.followups.wait_for(0)).body.embeds
        shown = "\n".join(f"{field['name']}\n{field['value']}" for field in embed["fields"])

    assert opened is not None and opened.invited == 12
    assert delivered.sent == 12
    teams = sorted(response.segments["team"] for response in await stored_responses(services))
    assert teams == ["eng"] * 5 + ["ops"] * 5
    assert escape_text(t("report.segments", by="team")) in shown
    assert "eng: **" in shown and "ops: **" in shown
    assert escape_text(t("report.wave_groups", by="team", wave=OPENING.date().isoformat())) in shown
    rate = escape_text(t("report.response_rate_value", rate=83, answered=5, invited=6))
    assert shown.count(f"eng: **{rate}**") == 1 and shown.count(f"ops: **{rate}**") == 1
