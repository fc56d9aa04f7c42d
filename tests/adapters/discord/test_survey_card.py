"""The survey card path through the real discord.py client: card, prompt, score, reason."""

from __future__ import annotations

import re

from bot.runtime.services import Services
from tests.adapters.discord.world import (
    ADMIN,
    ALICE,
    BOB,
    GENERAL,
    GUILD,
    card_command,
    connected,
    stored_responses,
)
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    MODAL,
    RecordedMessage,
)

NO_PINGS: dict[str, list[str]] = {"parse": []}
SCORE_ID = re.compile(r"nps:score:[0-9a-z]+:[0-9a-f-]{36}:(\d+)")


async def post_card(double: DiscordDouble) -> RecordedMessage:
    record = await double.dispatch_interaction(card_command(double, user=ADMIN, channel=GENERAL))
    await record.followups.wait_for(0)
    return double.channel_messages(GENERAL.id)[0]


async def open_prompt(
    double: DiscordDouble, card: RecordedMessage, *, locale: str = "en-US"
) -> RecordedMessage:
    [card_id] = card.body.custom_ids()
    click = await double.dispatch_interaction(
        double.payloads.button_click(
            card_id, user=ALICE, guild=GUILD, message=card.message, locale=locale
        )
    )
    return await click.followups.wait_for(0)


def score_button(prompt: RecordedMessage, score: int) -> str:
    return next(
        custom_id
        for custom_id in prompt.body.custom_ids()
        if (m := SCORE_ID.fullmatch(custom_id)) and int(m[1]) == score
    )


async def test_admin_posts_a_card_that_pings_nobody(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        record = await double.dispatch_interaction(
            card_command(double, user=ADMIN, channel=GENERAL)
        )
        confirmation = await record.followups.wait_for(0)
    deferred = await record.callback()
    assert (deferred.type, deferred.data.get("flags")) == (DEFERRED_CHANNEL_MESSAGE, 64)
    [card] = double.channel_messages(GENERAL.id)
    [card_id] = card.body.custom_ids()
    assert re.fullmatch(r"nps:card:[0-9a-f-]{36}", card_id)
    assert card.body.allowed_mentions == NO_PINGS
    assert card.body.embeds and not card.body.ephemeral
    assert confirmation.body.ephemeral and f"<#{GENERAL.id}>" in str(confirmation.body.content)


async def test_a_click_opens_a_private_prompt_with_the_scale_and_the_controls_in_their_own_rows(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        card = await post_card(double)
        prompt = await open_prompt(double, card)
    rows = [[button["custom_id"] for button in row["components"]] for row in prompt.body.components]
    scores = [[int(m[1]) for c in row if (m := SCORE_ID.fullmatch(c))] for row in rows]
    # The scale keeps its rows together; the controls (red "stop" included) have their own.
    assert scores == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10], []]
    assert [custom_id.split(":")[1] for custom_id in rows[3]] == ["later", "stop"]
    assert prompt.body.ephemeral and prompt.body.allowed_mentions == NO_PINGS
    assert "<@" not in str(prompt.body.json)  # the prompt names nobody


async def test_a_score_is_stored_at_once_and_the_reason_modal_is_the_first_response(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        card = await post_card(double)
        prompt = await open_prompt(double, card)
        click = await double.dispatch_interaction(
            double.payloads.button_click(
                score_button(prompt, 3), user=ALICE, guild=GUILD, message=prompt.message
            )
        )
        modal = await click.callback()
        assert modal.type == MODAL and len(click.callbacks) == 1
        assert [r.score for r in await stored_responses(services)] == [3]
        [text_input] = [c["components"][0] for c in modal.data["components"]]
        assert (text_input["max_length"], text_input["required"], text_input["style"]) == (
            2000,
            False,
            2,
        )
        assert len(modal.data["title"]) <= 45 and len(text_input["label"]) <= 45
        submit = await double.dispatch_interaction(
            double.payloads.modal_submit(
                modal.data["custom_id"],
                values={text_input["custom_id"]: "Too many meetings"},
                user=ALICE,
                guild=GUILD,
                message=prompt.message,
            )
        )
        thanks = await submit.callback()
    assert thanks.type == CHANNEL_MESSAGE and thanks.message.ephemeral
    assert thanks.message.allowed_mentions == NO_PINGS
    [response] = await stored_responses(services)
    assert (response.score, response.reason) == (3, "Too many meetings")


async def test_the_modal_custom_id_carries_no_identity(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        prompt = await open_prompt(double, await post_card(double))
        click = await double.dispatch_interaction(
            double.payloads.button_click(
                score_button(prompt, 9), user=ALICE, guild=GUILD, message=prompt.message
            )
        )
        modal = await click.callback()
    custom_ids = [modal.data["custom_id"], *prompt.body.custom_ids()]
    assert all(str(ALICE.id) not in c and ALICE.username not in c for c in custom_ids)
    assert all(len(c) <= 100 for c in custom_ids)


async def test_a_double_click_stores_one_answer_and_says_so(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        prompt = await open_prompt(double, await post_card(double))
        clicks = []
        for score in (8, 8):
            click = await double.dispatch_interaction(
                double.payloads.button_click(
                    score_button(prompt, score), user=ALICE, guild=GUILD, message=prompt.message
                )
            )
            clicks.append(await click.callback())
    assert [c.type for c in clicks] == [MODAL, CHANNEL_MESSAGE]
    t = services.catalogs.translator("en")
    assert clicks[1].message.ephemeral and t("answer.already") in str(clicks[1].message.content)
    assert [r.score for r in await stored_responses(services)] == [8]


async def test_an_old_card_works_with_a_new_client_after_a_restart(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        card = await post_card(double)
    async with connected(double, services):
        prompt = await open_prompt(double, card)
        click = await double.dispatch_interaction(
            double.payloads.button_click(
                score_button(prompt, 10), user=ALICE, guild=GUILD, message=prompt.message
            )
        )
        modal = await click.callback()
    async with connected(double, services):
        # The modal was opened by the previous process: its submit still lands.
        submit = await double.dispatch_interaction(
            double.payloads.modal_submit(
                modal.data["custom_id"],
                values={"reason": "Kind people"},
                user=ALICE,
                guild=GUILD,
                message=prompt.message,
            )
        )
        thanks = await submit.callback()
    assert thanks.message.ephemeral
    [response] = await stored_responses(services)
    assert (response.score, response.reason) == (10, "Kind people")


async def test_a_too_long_reason_is_refused_and_a_button_reopens_the_modal(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        prompt = await open_prompt(double, await post_card(double), locale="ja")
        click = await double.dispatch_interaction(
            double.payloads.button_click(
                score_button(prompt, 5),
                user=ALICE,
                guild=GUILD,
                message=prompt.message,
                locale="ja",
            )
        )
        modal = await click.callback()
        submit = await double.dispatch_interaction(
            double.payloads.modal_submit(
                modal.data["custom_id"],
                values={"reason": "x" * 2001},
                user=ALICE,
                guild=GUILD,
                message=prompt.message,
                locale="ja",
            )
        )
        refusal = await submit.callback()
        [again] = refusal.message.custom_ids()
        reopen = await double.dispatch_interaction(
            double.payloads.button_click(again, user=ALICE, guild=GUILD, locale="ja")
        )
        reopened = await reopen.callback()
    t = services.catalogs.translator("ja")
    expected = t("reason.too_long", length=2001, limit=2000)
    assert refusal.message.ephemeral and expected in str(refusal.message.content)
    assert reopened.type == MODAL and reopened.data["custom_id"] == modal.data["custom_id"]
    [response] = await stored_responses(services)
    assert (response.score, response.reason) == (5, None)


async def test_not_now_and_stop_replace_the_prompt(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services):
        prompt = await open_prompt(double, await post_card(double))
        later, stop = prompt.body.custom_ids()[-2:]
        answers = []
        for custom_id in (later, stop):
            click = await double.dispatch_interaction(
                double.payloads.button_click(
                    custom_id, user=ALICE, guild=GUILD, message=prompt.message
                )
            )
            answers.append(await click.callback())
        again = await double.dispatch_interaction(
            double.payloads.button_click(
                prompt.body.custom_ids()[0], user=BOB, guild=GUILD, message=prompt.message
            )
        )
        bob_modal = await again.callback()
    t = services.catalogs.translator("en")
    assert [a.type for a in answers] == [7, 7]
    assert answers[0].data["components"] == [] and answers[1].data["components"] == []
    assert t("score.not_now_done") in answers[0].data["content"]
    assert t("optout.done") in answers[1].data["content"]
    assert bob_modal.type == MODAL  # the same buttons still work for someone else
