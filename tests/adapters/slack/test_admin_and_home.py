"""Reports for admins, refusals for everyone else, and the App Home tab."""

from __future__ import annotations

import json
from functools import partial

from adapters.slack import actions
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import Notice, ReportView, ScorePrompt
from tests.adapters.slack.conftest import LISTED_ADMIN, RunningApp, buttons, eventually, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery

ADMIN = "U0ADMIN01"
ANN = "U0ANN0001"


async def answers(services: Services, scores: list[int]) -> None:
    """People of this workspace answer through the engine (their own path is tested elsewhere)."""
    for number, score in enumerate(scores):
        person = Person(platform="slack", tenant="T0NPS0001", user_id=f"U0PEER{number:03d}")
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


async def test_admin_reads_the_report_ephemerally(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [10, 9, 9, 8, 3, 0])

    await app.post(requests.slash_command(user_id=ADMIN, text="report"))
    await eventually(lambda: bool(slack.responses))

    admin = Person(platform="slack", tenant="T0NPS0001", user_id=ADMIN, is_admin=True)
    expected = await slack_services.engine.report(admin)
    assert isinstance(expected, ReportView)
    payload = slack.responses[0].payload
    assert payload["response_type"] == "ephemeral"
    shown = json.dumps(payload["blocks"], ensure_ascii=False)
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": expected.title, "emoji": False},
    }
    assert expected.headline in shown
    for section in expected.sections:
        for row in section.rows:
            assert f"{row.label}\\n{row.value}" in shown


async def test_admins_named_in_settings_may_read_reports(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    refusal = slack_services.catalogs.translator("en")("report.not_allowed")

    await app.post(requests.slash_command(user_id=LISTED_ADMIN, text="report"))
    await app.post(requests.slash_command(user_id=ANN, text="report --by team"))
    await eventually(lambda: len(slack.responses) == 2)

    texts = {post.payload["text"] for post in slack.responses}
    assert refusal in texts
    assert len(texts) == 2


async def test_non_admin_gets_the_polite_refusal_and_nothing_else(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await app.post(requests.slash_command(user_id=ANN, text="report"))
    await eventually(lambda: bool(slack.responses))
    await settle(app)

    [post] = slack.responses
    assert post.payload["text"] == slack_services.catalogs.translator("en")("report.not_allowed")
    assert post.payload["response_type"] == "ephemeral"
    assert slack.workspace.files == {}


async def test_information_commands_answer_ephemerally(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    commands = ("help", "privacy", "optout", "optin", "frobnicate")
    for count, text in enumerate(commands, start=1):
        await app.post(requests.slash_command(user_id=ANN, text=text))
        await eventually(partial(_has, slack, count))

    # The same commands from someone else in the same situation, straight to the engine.
    twin = Person(platform="slack", tenant="T0NPS0001", user_id="U0TWIN001", locale="en-US")
    expected = [(await slack_services.commands.handle(twin, text)) for text in commands]
    assert all(isinstance(view, Notice) for view in expected)
    assert [post.payload["text"] for post in slack.responses] == [
        view.text for view in expected if isinstance(view, Notice)
    ]
    assert {post.payload["response_type"] for post in slack.responses} == {"ephemeral"}


def _has(slack: SlackApiDouble, count: int) -> bool:
    return len(slack.responses) == count


async def test_home_tab_for_a_person_and_its_toggle(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")

    await app.post(requests.app_home_opened(user_id=ANN))
    await eventually(lambda: ANN in slack.workspace.home_views)
    home = slack.workspace.home_views[ANN]
    assert home["type"] == "home"
    shown = json.dumps(home["blocks"], ensure_ascii=False)
    assert t("home.taking_part") in shown
    assert t("home.title") in shown
    assert "header" not in [b["type"] for b in home["blocks"][1:]]  # no report for non-admins
    toggle = next(
        b for b in buttons(home["blocks"]) if b["action_id"] == actions.HOME_TOGGLE_ACTION
    )
    assert (toggle["text"]["text"], toggle["value"]) == (t("home.opt_out"), actions.OPT_OUT)

    await app.post(
        requests.block_actions(
            user_id=ANN, action_id=toggle["action_id"], value=toggle["value"], channel_id="D1"
        )
    )
    await eventually(lambda: len(slack.calls("views.publish")) == 2)
    shown = json.dumps(slack.workspace.home_views[ANN]["blocks"], ensure_ascii=False)
    assert t("home.opted_out") in shown
    assert t("home.opt_in") in shown


async def test_home_tab_shows_admins_the_report(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [9, 9, 7, 2, 10])
    await app.post(requests.app_home_opened(user_id=ADMIN))
    await eventually(lambda: ADMIN in slack.workspace.home_views)

    admin = Person(platform="slack", tenant="T0NPS0001", user_id=ADMIN, is_admin=True)
    report = await slack_services.engine.report(admin)
    shown = json.dumps(slack.workspace.home_views[ADMIN]["blocks"], ensure_ascii=False)
    assert isinstance(report, ReportView)
    assert report.title in shown
    assert report.headline in shown


async def test_home_answer_button_sends_the_survey_to_the_dm(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    await app.post(
        requests.block_actions(
            user_id=ANN, action_id=actions.HOME_ANSWER_ACTION, value="answer", channel_id="D1"
        )
    )
    dm = slack.workspace.dm_channel(ANN)
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    [survey] = slack.workspace.messages_in(dm)
    assert len(buttons(survey.blocks)) == 13


async def test_redelivered_events_are_acknowledged_without_reprocessing(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    redelivery = requests.app_home_opened(
        user_id=ANN, event_id="Ev0000000042", delivery=Delivery(retry_num=1)
    )
    status, _ = await app.post(redelivery)
    await settle(app)

    assert status == 200
    assert slack.calls("views.publish") == []
    assert slack.calls("users.info") == []


async def test_a_mistyped_report_option_answers_with_the_usage_not_a_report(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [10, 9, 9, 8, 3, 0])

    await app.post(requests.slash_command(user_id=ADMIN, text="report --perod <!channel>"))
    await eventually(lambda: bool(slack.responses))
    await settle(app)

    [post] = slack.responses
    assert post.payload["response_type"] == "ephemeral"
    assert "“--perod”" in post.payload["text"]
    assert "Usage: /nps report [SURVEY]" in post.payload["text"]
    assert [block["text"]["type"] for block in post.payload["blocks"]] == ["plain_text"]
    assert slack.workspace.files == {}, "no chart was drawn for a report nobody asked for"
