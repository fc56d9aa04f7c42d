"""Forged or replayed requests are refused; respondent text shown again never pings."""

from __future__ import annotations

import time

import pytest

from adapters.slack.client import build_client
from adapters.slack.render import message
from adapters.slack.surfaces import home_tab
from bot.runtime.services import Services
from bot.views.common import HomeView, Notice, ReportRow, ReportSection, ReportView
from tests.adapters.slack.conftest import (
    SECRET,
    TOKEN,
    RunningApp,
    count_responses,
    settle,
    text_objects,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery, sign

ANN = "U0ANN0001"
EVIL = "<!channel> @here <@U123> <https://evil|click> *loud* _x_ ~y~ `z` & <#C42>"


@pytest.mark.parametrize("delivery", [Delivery(bad_signature=True), Delivery(stale=True)])
async def test_unverifiable_requests_get_401_and_store_nothing(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    delivery: Delivery,
) -> None:
    survey_id = "00000000-0000-4000-8000-000000000000"
    forged = [
        requests.slash_command(user_id=ANN, delivery=delivery),
        requests.block_actions(
            user_id=ANN, action_id="nps_score_9", value=f"{survey_id}:9", delivery=delivery
        ),
        requests.app_home_opened(user_id=ANN, delivery=delivery),
    ]

    statuses = [(await app.post(request))[0] for request in forged]
    await settle(app)

    assert statuses == [401, 401, 401]
    assert slack.calls() == []
    assert await count_responses(slack_services) == 0


def evil_report() -> ReportView:
    return ReportView(
        title="NPS report",
        headline="NPS +10 (12 answers)",
        sections=(
            ReportSection(
                title=f"Reasons {EVIL}",
                rows=(ReportRow(label=EVIL, value="3"),),
                notes=(EVIL,),
            ),
        ),
    )


def assert_cannot_ping(payload: object, fallback: str | None = None) -> None:
    texts = list(text_objects(payload))
    assert texts, "nothing was rendered"
    assert any(EVIL in item["text"] for item in texts if item["type"] == "plain_text")
    for item in texts:
        if item["type"] == "mrkdwn":
            assert "<" not in item["text"] and "@here" not in item["text"]
            assert "*loud*" not in item["text"]
            assert item.get("verbatim") is True
    if fallback is not None:
        assert "<" not in fallback and "@here" not in fallback


async def test_respondent_text_in_a_channel_report_never_pings(
    app: RunningApp, slack: SlackApiDouble
) -> None:
    await app.platform.post_to_channel("C0NPSGEN1", evil_report())

    [posted] = slack.workspace.messages_in("C0NPSGEN1")
    assert_cannot_ping(posted.blocks, fallback=slack.last("chat.postMessage").params["text"])


async def test_respondent_text_on_the_home_tab_never_pings(
    app: RunningApp, slack: SlackApiDouble
) -> None:
    home = HomeView(
        title="NPS",
        privacy="We store no names.",
        opted_out=False,
        status_text="You are taking part.",
        toggle_label="Stop asking me",
        answer_label="Answer now",
        admin_report=evil_report(),
    )
    client = build_client(token=TOKEN, base_url=slack.base_url)

    await client.views_publish(user_id=ANN, view=home_tab(home))

    assert_cannot_ping(slack.workspace.home_views[ANN]["blocks"])


def test_the_notification_text_of_a_message_is_escaped() -> None:
    rendered = message(Notice(EVIL))

    assert_cannot_ping(rendered.blocks, fallback=rendered.text)
    assert "&lt;!channel&gt;" in rendered.text


MALFORMED = {
    "payload is not an object": (b"payload=null", "application/x-www-form-urlencoded"),
    "payload is not JSON": (b"payload=%7Bnope", "application/x-www-form-urlencoded"),
    "invalid UTF-8": (b"payload=\xed\xa0\x80\xff", "application/x-www-form-urlencoded"),
    "event is null": (b'{"type": "event_callback", "event": null}', "application/json"),
    "action without id": (
        b'payload={"type": "block_actions", "user": {"id": "U0ANN0001"}, "actions": [{}]}',
        "application/x-www-form-urlencoded",
    ),
    "user is a string": (
        b'payload={"type": "view_submission", "user": "U0ANN0001", "view": {}}',
        "application/x-www-form-urlencoded",
    ),
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_signed_bodies_bolt_cannot_read_get_400_not_500(
    app: RunningApp, slack: SlackApiDouble, slack_services: Services, body: tuple[bytes, str]
) -> None:
    content, content_type = body
    signed = sign(content, signing_secret=SECRET, content_type=content_type, now=time.time())

    status, _ = await app.post(signed)
    await settle(app)

    assert status == 400
    assert slack.calls() == []
    assert await count_responses(slack_services) == 0
