"""Two servers, one bot: each server's admin sees only that server's answers through /nps."""

from __future__ import annotations

import json

from adapters.discord.client import NpsClient
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.views.common import ReasonPrompt, ScorePrompt
from tests.adapters.discord.world import ADMIN, ALICE, BOB, CAROL, DAVE, GUILD, OTHER, OWNER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import GuildSpec, UserSpec


async def answer(services: Services, guild: int, user: int, score: int, reason: str) -> None:
    who = Person(platform="discord", tenant=str(guild), user_id=str(user))
    asked = await services.engine.start(who)
    assert isinstance(asked, ScorePrompt)
    prompt = await services.engine.record_score(who, survey_id=asked.survey_id, score=score)
    assert isinstance(prompt, ReasonPrompt)
    await services.engine.record_reason(who, token=prompt.token, reason=reason)


async def command(
    double: DiscordDouble, name: str, *, user: UserSpec, guild: GuildSpec, **options: str
) -> str:
    """Run ``/name`` and return everything the private answer shows."""
    record = await double.dispatch_interaction(
        double.payloads.slash_command(name, user=user, guild=guild, options=options)
    )
    followup = await record.followups.wait_for(0)
    return json.dumps(followup.body.json, ensure_ascii=False)


async def test_each_servers_admin_sees_only_that_server(
    two_servers: DiscordDouble, services: Services, client: NpsClient
) -> None:
    for number, user in enumerate((OWNER, ADMIN, ALICE, BOB, CAROL)):
        await answer(services, GUILD.id, user.id, 9 + number % 2, f"community secret {number}")
    # Bob is in both servers: his answer there is the other server's only answer.
    await answer(services, OTHER.id, BOB.id, 2, "elsewhere")
    await create_survey(
        services.database,
        platform="discord",
        tenant=str(GUILD.id),
        spec=SurveySpec(name="community-pulse"),
        now=services.clock(),
        default_locale="en",
    )
    t = services.catalogs.translator("en")

    other_report = await command(two_servers, "nps report", user=DAVE, guild=OTHER)
    other_by = await command(two_servers, "nps report", user=DAVE, guild=OTHER, by="team")
    other_status = await command(two_servers, "nps survey status", user=DAVE, guild=OTHER)
    foreign = await command(
        two_servers, "nps report", user=DAVE, guild=OTHER, survey="community-pulse"
    )
    home_report = await command(two_servers, "nps report", user=ADMIN, guild=GUILD)

    too_few = t("report.too_few", n=1, k=5)
    assert too_few in other_report and too_few in other_by
    for shown in (other_report, other_by, other_status, foreign):
        assert "community" not in shown
    assert f"{t('status.answers')}: **1**" in other_status
    assert t("survey.unknown") in foreign
    assert "from 5 answers" in home_report and "elsewhere" not in home_report
