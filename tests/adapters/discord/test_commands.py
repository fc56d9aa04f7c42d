"""The ``/nps`` slash commands through the real client: admin reports, refusals, language."""

from __future__ import annotations

import json

from adapters.discord.escape import escape_text
from bot.domain.people import Person
from bot.report.model import ReportRequest
from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ReportView, ScorePrompt
from tests.adapters.discord.world import (
    ADMIN,
    ALICE,
    BOB,
    GENERAL,
    GUILD,
    card_command,
    connected,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE

EVIL = "@everyone <@123> https://evil.example"


def member(user_id: int, *, admin: bool = False) -> Person:
    return Person(platform="discord", tenant=str(GUILD.id), user_id=str(user_id), is_admin=admin)


async def answer_directly(services: Services, who: Person, score: int, reason: str) -> None:
    prompt = await services.engine.start(who)
    assert isinstance(prompt, ScorePrompt)
    asked = await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)
    assert isinstance(asked, ReasonPrompt)
    await services.engine.record_reason(who, token=asked.token, reason=reason)


async def test_an_admin_gets_the_report_as_embeds_with_its_charts(
    double: DiscordDouble, services: Services
) -> None:
    for index in range(9):
        await answer_directly(services, member(index + 1), index % 7, EVIL)
    request = ReportRequest(period="month", quotes=True)
    expected = await services.engine.report(member(ADMIN.id, admin=True), request)
    assert isinstance(expected, ReportView)
    async with connected(double, services):
        record = await double.dispatch_interaction(
            double.payloads.slash_command(
                "nps report", user=ADMIN, guild=GUILD, options={"period": "month", "quotes": True}
            )
        )
        report = await record.followups.wait_for(0)
    deferred = await record.callback()
    assert (deferred.type, deferred.data.get("flags")) == (DEFERRED_CHANNEL_MESSAGE, 64)
    assert report.body.ephemeral and report.body.allowed_mentions == {"parse": []}
    assert report.body.embeds[0]["title"] == escape_text(expected.title)
    assert len(report.body.files) == len(expected.charts)
    assert all(f.data.startswith(b"\x89PNG") for f in report.body.files)
    # The charts travel only in that ephemeral follow-up: nothing was posted to a
    # channel (or a DM), and the interaction sent no other message.
    assert list(double.sent_messages) == []
    assert [sent.body.ephemeral for sent in record.followups] == [True]
    shown = json.dumps(report.body.json, ensure_ascii=False)
    for raw in ("@everyone", "<@123>", "https://"):
        assert raw not in shown  # whatever the report quotes cannot ping or link


async def test_a_member_is_refused_the_report_and_every_survey_subcommand(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        report = await double.dispatch_interaction(
            double.payloads.slash_command("nps report", user=ALICE, guild=GUILD)
        )
        reported = await report.followups.wait_for(0)
        card = await double.dispatch_interaction(card_command(double, user=ALICE, channel=GENERAL))
        status = await double.dispatch_interaction(
            double.payloads.slash_command("nps survey status", user=ALICE, guild=GUILD)
        )
        refusals = [await card.callback(), await status.callback()]
    t = services.catalogs.translator("en")
    assert t("report.not_allowed") in str(reported.body.content) and reported.body.ephemeral
    # The refusal of every /nps survey subcommand, here as on every platform.
    for refusal in refusals:
        assert refusal.type == CHANNEL_MESSAGE and refusal.message.ephemeral
        assert t("admin.not_allowed") in str(refusal.message.content)
    assert double.channel_messages(GENERAL.id) == []


async def test_answer_speaks_japanese_to_a_japanese_client(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps answer", user=BOB, guild=GUILD, locale="ja")
        )
        prompt = await record.followups.wait_for(0)
    t = services.catalogs.translator("ja")
    assert prompt.body.embeds[0]["title"] == t("score.question.nps")
    labels = [c.get("label") for row in prompt.body.components for c in row["components"]]
    assert labels[-2:] == [t("score.not_now"), t("score.stop")]


async def test_an_unsupported_client_language_falls_back_to_the_server_language(
    services: Services,
) -> None:
    japanese_server = GUILD.__class__(**{**GUILD.__dict__, "preferred_locale": "ja"})
    async with DiscordDouble(guilds=[japanese_server]) as double, connected(double, services):
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps help", user=BOB, guild=japanese_server, locale="fr")
        )
        shown = await record.followups.wait_for(0)
    ja = services.catalogs.translator("ja")
    assert shown.body.content == ja("help.text") + "\n" + ja("help.replies")


async def test_survey_status_for_an_admin_and_optout_optin_for_anyone(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        answers = []
        for command, user in (
            ("nps survey status", ADMIN),
            ("nps optout", BOB),
            ("nps optin", BOB),
        ):
            record = await double.dispatch_interaction(
                double.payloads.slash_command(command, user=user, guild=GUILD)
            )
            answers.append(await record.followups.wait_for(0))
    t = services.catalogs.translator("en")
    assert answers[0].body.embeds[0]["title"] == escape_text(t("status.title", survey="default"))
    assert t("optout.done") in str(answers[1].body.content)
    assert t("optin.done") in str(answers[2].body.content)


async def test_forget_me_deletes_what_is_kept_about_the_member(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        answers = []
        for command in ("nps optout", "nps forget-me", "nps answer"):
            record = await double.dispatch_interaction(
                double.payloads.slash_command(command, user=BOB, guild=GUILD)
            )
            answers.append(await record.followups.wait_for(0))
    t = services.catalogs.translator("en")
    assert t("forget.done") in str(answers[1].body.content) and answers[1].body.ephemeral
    # The opt-out was kept about Bob, so it is gone: he is asked again.
    assert answers[2].body.embeds[0]["title"] == t("score.question.nps")
