"""A person answers in the app's DM: /nps, a score button, the reason modal, the thank-you."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import parse_qs

from adapters.slack import actions
from bot.runtime.services import Services
from tests.adapters.slack.conftest import (
    RunningApp,
    buttons,
    count_responses,
    eventually,
    settle,
    stored_responses,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import PostedMessage
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest

ANN = "U0ANN0001"
KENJI = "U0KENJI01"


async def ask(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str
) -> PostedMessage:
    """/nps typed by ``user``; returns (a copy of) the survey message in their DM."""
    status, _ = await app.post(requests.slash_command(user_id=user))
    assert status == 200
    dm = slack.workspace.dm_channel(user)
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    # Typed in a channel: the person alone is told where the question went.
    await eventually(lambda: bool(slack.responses))
    [pointer] = [post.payload for post in slack.responses]
    assert pointer["response_type"] == "ephemeral" and pointer["text"]
    slack.responses.clear()
    # A copy: the double edits its message in place when the app updates it.
    return copy.deepcopy(slack.workspace.messages_in(dm)[-1])


def click(
    requests: SlackRequestBuilder, user: str, message: PostedMessage, score: int
) -> SignedRequest:
    button = next(b for b in buttons(message.blocks) if b["text"]["text"] == str(score))
    return requests.block_actions(
        user_id=user,
        action_id=button["action_id"],
        value=button["value"],
        channel_id=message.channel,
        message_ts=message.ts,
    )


def submit(
    requests: SlackRequestBuilder, user: str, view: dict[str, Any], reason: str
) -> SignedRequest:
    return requests.view_submission(
        user_id=user,
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        view_id=view["id"],
        values={actions.REASON_BLOCK: {actions.REASON_INPUT: reason}},
    )


async def test_full_path_stores_one_anonymous_answer_with_its_reason(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    survey = await ask(app, slack, requests, ANN)

    # The DM: posted to the user id (no conversations.open), 11 score buttons in one block.
    assert slack.last("chat.postMessage").params["channel"] == ANN
    assert slack.calls("conversations.open") == []
    score_blocks = [b for b in survey.blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in score_blocks] == [11, 2]
    values = [button["value"] for button in score_blocks[0]["elements"]]
    assert [value.rsplit(":", 1)[1] for value in values] == [str(n) for n in range(11)]
    assert all(ANN not in value for value in values)
    shown = json.dumps(survey.blocks, ensure_ascii=False)
    for key in ("score.low", "score.high", "score.notice", "score.not_now", "score.stop"):
        assert t(key) in shown

    clicked = click(requests, ANN, survey, 9)
    trigger_id = json.loads(_form_payload(clicked.body))["trigger_id"]
    status, _ = await app.post(clicked)
    assert status == 200
    await eventually(lambda: bool(slack.calls("chat.update")))

    # Stored at once; the modal was opened with the click's trigger id.
    assert [r.score for r in await stored_responses(slack_services)] == [9]
    opened = slack.last("views.open")
    assert opened.params["trigger_id"] == trigger_id
    modal = next(iter(slack.workspace.views.values()))
    assert modal["blocks"][0]["label"]["text"] == t("reason.prompt.promoter")
    assert modal["blocks"][0]["optional"] is True
    assert modal["blocks"][0]["element"]["multiline"] is True
    # The DM now thanks (without the score) and offers a button to add the reason later.
    updated = slack.workspace.messages[(survey.channel, survey.ts)]
    assert t("score.recorded") in json.dumps(updated.blocks, ensure_ascii=False)
    assert [b["action_id"] for b in buttons(updated.blocks)] == [actions.REASON_OPEN_ACTION]
    updated_before_thanks = copy.deepcopy(updated.blocks)

    status, body = await app.post(submit(requests, ANN, modal, "  Fast, friendly support  "))
    assert (status, body) == (200, "")
    # The reason button is gone; what stays is "See replies", whose opaque reply token
    # opens only this person's thread (docs/design/replies.md).
    await eventually(
        lambda: (
            [
                b["action_id"]
                for b in buttons(slack.workspace.messages[(survey.channel, survey.ts)].blocks)
            ]
            == [actions.REPLIES_OPEN_ACTION]
        )
    )

    [response] = await stored_responses(slack_services)
    assert (response.score, response.reason) == (9, "Fast, friendly support")
    thanked = slack.workspace.messages[(survey.channel, survey.ts)]
    assert t("thanks.with_reason") in json.dumps(thanked.blocks, ensure_ascii=False)
    [see_replies] = buttons(thanked.blocks)
    assert see_replies["value"] != updated_before_thanks[1]["elements"][0]["value"]
    # The answer's id appears in no message, before or after the reason: the button
    # carries only an opaque token.
    for blocks in (updated_before_thanks, thanked.blocks):
        assert response.id.hex not in json.dumps(blocks)
        assert str(response.id) not in json.dumps(blocks)


async def test_closing_the_modal_keeps_the_score_and_the_button_reopens_it(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    await app.post(click(requests, ANN, survey, 4))
    await eventually(lambda: bool(slack.calls("chat.update")))
    updated = slack.workspace.messages[(survey.channel, survey.ts)]
    [add_reason] = buttons(updated.blocks)

    await app.post(
        requests.block_actions(
            user_id=ANN,
            action_id=add_reason["action_id"],
            value=add_reason["value"],
            channel_id=survey.channel,
            message_ts=survey.ts,
        )
    )
    await eventually(lambda: len(slack.calls("views.open")) == 2)

    modal = list(slack.workspace.views.values())[-1]
    t = slack_services.catalogs.translator("en")
    assert modal["blocks"][0]["label"]["text"] == t("reason.prompt.detractor")
    await app.post(submit(requests, ANN, modal, "Slow builds"))
    await eventually(lambda: len(slack.calls("chat.update")) == 2)
    assert [(r.score, r.reason) for r in await stored_responses(slack_services)] == [
        (4, "Slow builds")
    ]


async def test_double_click_and_redelivery_store_one_answer(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    first = click(requests, ANN, survey, 7)

    await app.post(first)
    await app.post(click(requests, ANN, survey, 8))
    await app.post(first)  # the same request delivered again
    await eventually(lambda: len(slack.responses) == 2)
    await settle(app)

    assert [r.score for r in await stored_responses(slack_services)] == [7]
    assert len(slack.calls("views.open")) == 1
    already = slack_services.catalogs.translator("en")("answer.already")
    assert [post.payload["text"] for post in slack.responses] == [already, already]
    assert all(post.payload["response_type"] == "ephemeral" for post in slack.responses)


async def test_overlong_reason_is_refused_inside_the_modal_in_the_persons_language(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, KENJI)
    await app.post(click(requests, KENJI, survey, 2))
    await eventually(lambda: bool(slack.calls("chat.update")))
    modal = next(iter(slack.workspace.views.values()))

    status, body = await app.post(submit(requests, KENJI, modal, "あ" * 2001))

    assert status == 200
    expected = slack_services.catalogs.translator("ja")("reason.too_long", length=2001, limit=2000)
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {actions.REASON_BLOCK: expected},
    }
    await settle(app)
    [response] = await stored_responses(slack_services)
    assert response.reason is None
    assert len(slack.calls("chat.update")) == 1


async def test_japanese_locale_gets_japanese_words(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    ja = slack_services.catalogs.translator("ja")
    survey = await ask(app, slack, requests, KENJI)

    assert slack.last("users.info").params["include_locale"] in {"1", "true", True}
    shown = json.dumps(survey.blocks, ensure_ascii=False)
    assert ja("score.question.nps") in shown
    assert ja("score.not_now") in shown
    await app.post(click(requests, KENJI, survey, 10))
    await eventually(lambda: bool(slack.calls("chat.update")))
    modal = next(iter(slack.workspace.views.values()))
    assert modal["title"]["text"] == ja("reason.title")
    assert modal["blocks"][0]["label"]["text"] == ja("reason.prompt.promoter")


async def test_not_now_keeps_the_question_open_and_stop_opts_out(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    survey = await ask(app, slack, requests, ANN)
    survey_id = buttons(survey.blocks)[0]["value"].rsplit(":", 1)[0]

    await app.post(
        requests.block_actions(
            user_id=ANN,
            action_id=actions.NOT_NOW_ACTION,
            value=survey_id,
            channel_id=survey.channel,
            message_ts=survey.ts,
        )
    )
    await eventually(lambda: bool(slack.calls("chat.update")))
    assert slack.last("chat.update").params["text"] == t("score.not_now_done")

    again = await ask(app, slack, requests, ANN)  # the ask is still open: same question
    await app.post(
        requests.block_actions(
            user_id=ANN,
            action_id=actions.STOP_ACTION,
            value=survey_id,
            channel_id=again.channel,
            message_ts=again.ts,
        )
    )
    await eventually(lambda: len(slack.calls("chat.update")) == 2)
    assert slack.last("chat.update").params["text"] == t("optout.done")

    await app.post(requests.slash_command(user_id=ANN))
    await eventually(lambda: bool(slack.responses))
    assert slack.responses[-1].payload["text"] == t("answer.opted_out")
    assert await count_responses(slack_services) == 0


def _form_payload(body: bytes) -> str:
    return parse_qs(body.decode())["payload"][0]


async def test_a_reason_button_value_forged_or_from_someone_else_is_refused(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    await app.post(click(requests, ANN, survey, 4))
    await eventually(lambda: bool(slack.calls("chat.update")))
    [add_reason] = buttons(slack.workspace.messages[(survey.channel, survey.ts)].blocks)
    opened = len(slack.calls("views.open"))
    attempts = [
        (ANN, _tampered(add_reason["value"])),
        (ANN, "not-a-token"),
        (KENJI, add_reason["value"]),
    ]
    for user, value in attempts:
        await app.post(
            requests.block_actions(
                user_id=user,
                action_id=add_reason["action_id"],
                value=value,
                channel_id=survey.channel,
                message_ts=survey.ts,
            )
        )
    await eventually(lambda: len(slack.responses) >= 3)
    assert len(slack.calls("views.open")) == opened


def _tampered(token: str) -> str:
    """One character in the middle changed: a real forgery, not a padding-bit change."""
    middle = len(token) // 2
    return token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]


async def test_a_reason_form_with_someone_elses_token_is_refused_inside_the_form(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    await app.post(click(requests, ANN, survey, 4))
    await eventually(lambda: bool(slack.calls("chat.update")))
    ann_form = next(iter(slack.workspace.views.values()))
    before = copy.deepcopy(slack.workspace.messages[(survey.channel, survey.ts)].blocks)

    # Kenji submits Ann's form (her token, her DM message): refused where he sees it.
    status, body = await app.post(submit(requests, KENJI, ann_form, "hijacked"))
    unreadable = requests.view_submission(
        user_id=ANN,
        callback_id=actions.REASON_CALLBACK,
        private_metadata="not a form",
        values={actions.REASON_BLOCK: {actions.REASON_INPUT: "lost?"}},
    )
    status_unreadable, body_unreadable = await app.post(unreadable)
    await settle(app)

    ja = slack_services.catalogs.translator("ja")
    en = slack_services.catalogs.translator("en")
    assert (status, json.loads(body)) == (
        200,
        {"response_action": "errors", "errors": {actions.REASON_BLOCK: ja("reason.expired")}},
    )
    assert (status_unreadable, json.loads(body_unreadable)) == (
        200,
        {"response_action": "errors", "errors": {actions.REASON_BLOCK: en("reason.expired")}},
    )
    # Ann's message still offers her the reason button; her answer has no reason.
    assert len(slack.calls("chat.update")) == 1
    assert slack.workspace.messages[(survey.channel, survey.ts)].blocks == before
    [response] = await stored_responses(slack_services)
    assert response.reason is None
