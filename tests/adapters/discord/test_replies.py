"""Anonymous replies through the real discord.py client and the gateway/REST double:
a reason brings "See replies" in a DM message; only its writer sees the thread, answers
back in a modal and closes it; someone else pressing the same button sees nothing."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import col

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.usecases.keys import PersonKeys
from storage.models import Response
from tests.adapters.discord.test_survey_card import open_prompt, post_card, score_button
from tests.adapters.discord.world import ADMIN, ALICE, BOB, GUILD, connected
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import UserSpec
from tests.doubles.discord_records import CHANNEL_MESSAGE, InteractionCallback
from tests.support.replies_world import released_report, writers

SEE_ID = re.compile(r"nps:replies:[0-9a-z]+:[0-9A-Za-z_\-]+")
ALICE_SAYS = "onboarding was warm"


async def _thanked(double: DiscordDouble) -> InteractionCallback:
    prompt = await open_prompt(double, await post_card(double))
    click = await double.dispatch_interaction(
        double.payloads.button_click(
            score_button(prompt, 9), user=ALICE, guild=GUILD, message=prompt.message
        )
    )
    modal = await click.callback()
    submit = await double.dispatch_interaction(
        double.payloads.modal_submit(
            modal.data["custom_id"], values={"reason": ALICE_SAYS}, user=ALICE, guild=GUILD
        )
    )
    return await submit.callback()


async def _press(double: DiscordDouble, custom_id: str, user: UserSpec) -> InteractionCallback:
    click = await double.dispatch_interaction(
        double.payloads.button_click(custom_id, user=user, guild=GUILD)
    )
    return await click.callback()


async def _reply_to_alice(double: DiscordDouble, services: Services) -> list[str]:
    """The admin replies to Alice's comment with ``/nps reply``, after Bob tried: the
    comment's handle, then what each was told."""
    tenant = str(GUILD.id)
    await writers(services, platform="discord", tenant=tenant)
    await released_report(services)
    async with services.database.transaction() as session:
        answer, survey = (
            await session.execute(
                select(col(Response.id), col(Response.survey_id)).where(
                    col(Response.reason) == ALICE_SAYS
                )
            )
        ).one()
    handle = PersonKeys(services.waves.pepper).handles.handle(survey, answer)
    told = []
    for user in (BOB, ADMIN):
        options = {
            "survey": DEFAULT_SURVEY,
            "comment": handle,
            "text": "Thanks @everyone, details at https://evil.example <@123>",
        }
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps reply", user=user, guild=GUILD, options=options)
        )
        told.append(str((await record.followups.wait_for(0)).body.json.get("content")))
    return [handle, *told]


async def test_only_the_writer_reads_answers_back_and_closes(
    double: DiscordDouble, services: Services
) -> None:
    t = services.catalogs.translator("en")
    async with connected(double, services):
        thanked = await _thanked(double)
        kept = await double.sent_messages.wait_for(1)  # after the card: Alice's DM
        [see] = [c for c in kept.body.custom_ids() if SEE_ID.fullmatch(c)]
        assert len(see) <= 100 and str(ALICE.id) not in see
        told = await _reply_to_alice(double, services)

        shown = await _press(double, see, ALICE)
        someone_else = await _press(double, see, BOB)
        answer_id, close_id = shown.message.custom_ids()
        opened = await _press(double, answer_id, ALICE)
        submit = await double.dispatch_interaction(
            double.payloads.modal_submit(
                opened.data["custom_id"],
                values={"answer": "the buddy system"},
                user=ALICE,
                guild=GUILD,
            )
        )
        answered = await submit.callback()
        closed = await _press(double, close_id, ALICE)

    handle, bob_told, admin_told = told
    assert bob_told.endswith(t("admin.not_allowed"))
    assert admin_told.endswith(t("replies.sent", handle=handle))
    assert thanked.type == CHANNEL_MESSAGE and thanked.message.ephemeral
    assert kept.recipient_id == ALICE.id and thanked.message.custom_ids() == []
    assert shown.message.ephemeral and shown.message.allowed_mentions == {"parse": []}
    content = str(shown.message.content)
    assert t("replies.from_admin") in content
    assert "@everyone" not in content and "://" not in content and "<@123>" not in content
    assert t("replies.none") in str(someone_else.message.content)
    assert someone_else.message.custom_ids() == []
    assert t("replies.from_you") in str(answered.message.content)
    assert "the buddy system" in str(answered.message.content)
    assert t("replies.closed") in str(closed.message.content)
    assert closed.message.custom_ids() == []
    threads = await services.replies.threads(
        platform="discord", tenant=str(GUILD.id), name=DEFAULT_SURVEY
    )
    assert [thread.closed for thread in threads] == [True]


async def test_nps_replies_says_where_the_replies_are(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        record = await double.dispatch_interaction(
            double.payloads.slash_command("nps replies", user=BOB, guild=GUILD, locale="ja")
        )
        shown = await record.followups.wait_for(0)
    assert shown.body.ephemeral
    assert shown.body.content == services.catalogs.translator("ja")("help.replies")
