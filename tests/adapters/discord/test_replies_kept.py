"""Where Discord keeps "See replies", through the real discord.py client and the
gateway/REST double: after a reason (here on a survey with driver questions, whose
answer to the modal is the ephemeral driver prompt) the button arrives in a DM message
of its own; a new client after a restart opens the thread from it for its writer only;
closed DMs get the button as a private follow-up instead."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.usecases.keys import PersonKeys
from storage.models import Response
from tests.adapters.discord.test_drivers import RATE_ID
from tests.adapters.discord.test_replies import SEE_ID, _press
from tests.adapters.discord.test_survey_card import post_card, score_button
from tests.adapters.discord.world import ADMIN, ALICE, BOB, GUILD, connected
from tests.conftest import TEST_PEPPER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import UserSpec
from tests.doubles.discord_records import InteractionCallback, InteractionRecord, RecordedMessage
from tests.support.replies_world import released_report, writers


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The shared services' settings, with driver questions for the default survey."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        survey_drivers="growth=Growth,manager=My manager",
    )


async def _reason(
    double: DiscordDouble, reason: str, *, user: UserSpec = ALICE
) -> InteractionRecord:
    """``user`` scores 9 from a card and sends ``reason``; the modal's submit."""
    card = await post_card(double)
    [card_id] = card.body.custom_ids()
    opened = await double.dispatch_interaction(
        double.payloads.button_click(card_id, user=user, guild=GUILD, message=card.message)
    )
    prompt = await opened.followups.wait_for(0)
    click = await double.dispatch_interaction(
        double.payloads.button_click(
            score_button(prompt, 9), user=user, guild=GUILD, message=prompt.message
        )
    )
    modal = await click.callback()
    return await double.dispatch_interaction(
        double.payloads.modal_submit(
            modal.data["custom_id"], values={"reason": reason}, user=user, guild=GUILD
        )
    )


async def _reply_to(services: Services, double: DiscordDouble, reason: str) -> None:
    """Enough writers for the comments to be quoted, then the admin's ``/nps reply``."""
    await writers(services, platform="discord", tenant=str(GUILD.id))
    await released_report(services)
    async with services.database.transaction() as session:
        answer, survey = (
            await session.execute(
                select(col(Response.id), col(Response.survey_id)).where(
                    col(Response.reason) == reason
                )
            )
        ).one()
    handle = PersonKeys(services.waves.pepper).handles.handle(survey, answer)
    options = {"survey": DEFAULT_SURVEY, "comment": handle, "text": "Thanks @everyone, which part?"}
    record = await double.dispatch_interaction(
        double.payloads.slash_command("nps reply", user=ADMIN, guild=GUILD, options=options)
    )
    told = await record.followups.wait_for(0)
    assert str(told.body.content).endswith(
        services.catalogs.translator("en")("replies.sent", handle=handle)
    )


async def _press_in_dm(
    double: DiscordDouble, custom_id: str, user: UserSpec, kept: RecordedMessage | None = None
) -> InteractionCallback:
    """A click in ``user``'s DM, on ``kept`` (or on a message holding just that button)."""
    message = None if kept is None else kept.message
    click = await double.dispatch_interaction(
        double.payloads.button_click(custom_id, user=user, message=message)
    )
    return await click.callback()


async def test_see_replies_waits_in_the_dm_and_works_after_a_restart(
    double: DiscordDouble, services: Services
) -> None:
    t = services.catalogs.translator("en")
    async with connected(double, services):
        asked = await (await _reason(double, "Fine")).callback()
        kept = await double.sent_messages.wait_for(1)  # after the card
    assert asked.message.ephemeral and any(RATE_ID.fullmatch(c) for c in asked.message.custom_ids())
    assert kept.recipient_id == ALICE.id and not kept.body.ephemeral
    assert kept.body.content == t("replies.kept")
    assert kept.body.allowed_mentions == {"parse": []}
    [see] = kept.body.custom_ids()
    assert SEE_ID.fullmatch(see) and str(ALICE.id) not in see

    async with connected(double, services):  # a new process: the old DM still works
        await _reply_to(services, double, "Fine")
        shown = await _press_in_dm(double, see, ALICE, kept)
        bob = await _press_in_dm(double, see, BOB)
        in_server = await _press(double, see, BOB)
        forged = await _press_in_dm(double, see[:-4] + "AAAA", ALICE)
    content = str(shown.message.content)
    assert shown.message.ephemeral and t("replies.from_admin") in content
    assert "Thanks @\u2060everyone, which part?" in content
    for empty in (bob, in_server, forged):
        assert t("replies.none") in str(empty.message.content)
        assert empty.message.custom_ids() == []
    # The card and one DM: no other message to anyone.
    assert [m.recipient_id for m in double.sent_messages] == [None, ALICE.id]


async def test_closed_dms_get_the_button_as_a_private_follow_up(
    double: DiscordDouble, services: Services
) -> None:
    t = services.catalogs.translator("en")
    double.close_dms(ALICE.id)
    async with connected(double, services):
        record = await _reason(double, "Fine")
        followup = await record.followups.wait_for(0)
    [see] = followup.body.custom_ids()
    assert SEE_ID.fullmatch(see) and followup.body.ephemeral
    assert followup.body.content == t("replies.kept")
    assert [m.recipient_id for m in double.sent_messages] == [None]  # the card only
