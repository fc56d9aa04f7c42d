"""After a score click, the DM thanks without giving the answer away.

The clicked question is replaced in the DM, which stays in the workspace's history and
its exports: the message left there names neither the score nor its category (the
category's own prompt, "what would make it a 9 or 10?", is shown in the form only).
"""

from __future__ import annotations

import pytest

from bot.runtime.services import Services
from tests.adapters.slack.conftest import RunningApp, eventually, settle, text_objects
from tests.adapters.slack.test_respondent_path import ANN, KENJI, ask, click
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder


@pytest.mark.parametrize(
    ("user", "language", "score", "kind"),
    [(ANN, "en", 0, "detractor"), (ANN, "en", 7, "passive"), (KENJI, "ja", 10, "promoter")],
)
async def test_the_dm_left_after_a_score_without_reason_shows_no_digit(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    user: str,
    language: str,
    score: int,
    kind: str,
) -> None:
    t = slack_services.catalogs.translator(language)
    survey = await ask(app, slack, requests, user)

    await app.post(click(requests, user, survey, score))
    await eventually(lambda: bool(slack.calls("chat.update")))
    await settle(app)  # the person closes the form without a reason

    [left] = slack.workspace.messages_in(survey.channel)
    shown = [left.text, *(obj["text"] for obj in text_objects(left.blocks))]
    assert not any(character.isdigit() for text in shown for character in text), shown
    assert t("score.recorded") in shown
    # The form, which does not stay in the DM, still asks what fits the score.
    modal = next(iter(slack.workspace.views.values()))
    assert modal["blocks"][0]["label"]["text"] == t(f"reason.prompt.{kind}")
