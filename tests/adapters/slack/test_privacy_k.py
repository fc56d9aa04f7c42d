"""`/nps privacy` and App Home state the same k: the default survey's own."""

from __future__ import annotations

import json

from bot.runtime.services import Services
from bot.usecases.surveys import edit_survey
from tests.adapters.slack.conftest import RunningApp, eventually
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

ANN = "U0ANN0001"
RAISED_K = 8


async def test_privacy_and_home_state_the_default_surveys_k(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    months = slack_services.settings.reason_retention_months
    await app.post(requests.slash_command(user_id=ANN, text="privacy"))  # the survey exists
    await eventually(lambda: len(slack.responses) == 1)
    await edit_survey(
        slack_services.database,
        platform="slack",
        tenant=slack.workspace.team_id,
        name="default",
        changes={"k_min": RAISED_K},
    )

    await app.post(requests.slash_command(user_id=ANN, text="privacy"))
    await app.post(requests.app_home_opened(user_id=ANN))
    await eventually(lambda: len(slack.responses) == 2 and ANN in slack.workspace.home_views)

    stated = t("privacy.text", k=RAISED_K, months=months)
    assert slack.responses[1].payload["text"] == stated + "\n" + t("privacy.replies")
    home = json.dumps(slack.workspace.home_views[ANN]["blocks"], ensure_ascii=False)
    assert json.dumps(stated, ensure_ascii=False)[1:-1] in home
    assert stated != t("privacy.text", k=5, months=months)
