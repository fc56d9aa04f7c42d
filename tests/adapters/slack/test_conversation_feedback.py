"""What a person sees around the question: where it went, what typing to the app does,
and how long a reason may be."""

from __future__ import annotations

import json

from adapters.slack import actions
from bot.domain.inputs import REASON_LIMIT
from bot.runtime.services import Services
from tests.adapters.slack.conftest import RunningApp, buttons, eventually, settle
from tests.adapters.slack.test_respondent_path import ask, click
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery

ANN = "U0ANN0001"
KENJI = "U0KENJI01"
HOSTILE = "<!channel> <@U0ADMIN01> <https://evil.example|click>"


async def test_nps_typed_in_a_channel_says_privately_that_the_question_is_in_the_dm(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await app.post(requests.slash_command(user_id=KENJI, channel_id="C0NPSGEN1"))
    await eventually(lambda: bool(slack.responses))

    assert slack.workspace.messages_in(slack.workspace.dm_channel(KENJI))
    [answer] = [post.payload for post in slack.responses]
    assert answer["response_type"] == "ephemeral"
    ja = slack_services.catalogs.translator("ja")
    assert answer["text"] == ja("chat.question_in_dm")


async def test_nps_typed_in_the_dm_itself_needs_no_pointer_to_it(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    dm = slack.workspace.dm_channel(ANN)
    await app.post(requests.slash_command(user_id=ANN, channel_id=dm, channel_name="directmessage"))
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    await settle(app)

    assert slack.responses == []


async def test_a_message_typed_to_the_app_gets_how_to_answer_in_the_persons_language(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    dm = slack.workspace.dm_channel(KENJI)
    typed = requests.direct_message(user_id=KENJI, text=HOSTILE, channel_id=dm, event_id="Ev1")

    status, _ = await app.post(typed)
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    await app.post(  # Slack redelivers the event: it is not answered twice
        requests.direct_message(
            user_id=KENJI,
            text=HOSTILE,
            channel_id=dm,
            event_id="Ev1",
            delivery=Delivery(retry_num=1),
        )
    )
    await settle(app)

    assert status == 200
    [reply] = slack.workspace.messages_in(dm)
    ja = slack_services.catalogs.translator("ja")
    assert reply.text == ja("chat.typed")
    assert "/nps answer" in reply.text and "/nps help" in reply.text
    shown = reply.text + json.dumps(reply.blocks, ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U0ADMIN01>" not in shown and "evil" not in shown


async def test_messages_from_bots_and_edits_get_no_reply(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    dm = slack.workspace.dm_channel(ANN)
    for extra in ({"bot_id": "B0OTHER01"}, {"subtype": "message_changed"}):
        request = requests.direct_message(user_id=ANN, text="hello", channel_id=dm)
        body = json.loads(request.body)
        body["event"].update(extra)
        await app.post(requests.json(body))
    await settle(app)

    assert slack.workspace.messages_in(dm) == []
    assert slack.calls("chat.postMessage") == []


async def test_the_reason_input_stops_at_the_limit_the_engine_enforces(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    survey = await ask(app, slack, requests, ANN)
    await app.post(click(requests, ANN, survey, 6))
    await eventually(lambda: bool(slack.calls("views.open")))

    modal = next(iter(slack.workspace.views.values()))
    [reason] = [block for block in modal["blocks"] if block["block_id"] == actions.REASON_BLOCK]
    assert reason["element"]["max_length"] == REASON_LIMIT == 2000
    assert not buttons(modal["blocks"])
