"""Replies on a survey with driver questions, through the real Slack app: the driver
prompt that replaces the thanks carries "See replies", keeps it after every rating, and
the button opens only its writer's thread."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from adapters.slack import actions
from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from tests.adapters.slack.conftest import RunningApp, buttons, eventually
from tests.adapters.slack.test_drivers import answer_with_reason, rate
from tests.adapters.slack.test_replies import _handle_of, _lines, _press
from tests.adapters.slack.test_respondent_path import ANN, KENJI
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.replies_world import released_report, writers
from tests.support.slack_requests import SlackRequestBuilder


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The shared services' settings, with driver questions for the default survey."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        survey_drivers="growth=Growth,manager=My manager",
    )


def _see_replies(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in buttons(blocks) if b["action_id"] == actions.REPLIES_OPEN_ACTION]


async def test_the_driver_prompt_offers_see_replies_and_keeps_it_after_ratings(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    dm = await answer_with_reason(app, slack, requests, ANN, 9)
    [see] = _see_replies(dm.blocks)
    assert see["text"]["text"] == t("replies.see") and ANN not in see["value"]

    await rate(app, requests, ANN, dm, driver=0, rating=4)
    key = (dm.channel, dm.ts)
    await eventually(lambda: "Growth: 4" in str(slack.workspace.messages[key].blocks))
    [kept] = _see_replies(copy.deepcopy(slack.workspace.messages[key].blocks))
    assert kept["text"]["text"] == t("replies.see")

    await writers(slack_services, platform="slack", tenant="T0NPS0001")
    await released_report(slack_services)
    handle = await _handle_of(slack_services, "ok")
    await app.post(
        requests.slash_command(
            user_id="U0ADMIN01", text=f"reply {DEFAULT_SURVEY} {handle} Thanks, tell us more"
        )
    )
    await eventually(lambda: len(slack.responses) == 1)
    assert slack.responses[0].payload["text"] == t("replies.sent", handle=handle)

    for value in (see["value"], kept["value"]):
        modal = await _press(app, slack, requests, ANN, value)
        assert _lines(modal) == [f"{t('replies.from_admin')}: Thanks, tell us more"]
    # Someone else pressing a copy of the button, or a forged token: nothing to see.
    foreign = await _press(app, slack, requests, KENJI, kept["value"])
    forged = await _press(app, slack, requests, ANN, kept["value"][:-4] + "AAAA")
    for empty in (foreign, forged):
        assert _lines(empty) == [] and empty["submit"] is None
