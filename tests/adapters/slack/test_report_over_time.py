"""`/nps report` in Slack, asked again after one more answer, tells the admin nothing new.

The attack: read the report, wait for one colleague to answer, read it again, and take
the difference. The second report shows the same figures and says that the newest
answers wait until k of them have arrived.
"""

from __future__ import annotations

import json

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ScorePrompt
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.adapters.slack.test_admin_and_home import ADMIN
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder


async def answer(services: Services, scores: list[int], *, first: int) -> None:
    for number, score in enumerate(scores, start=first):
        person = Person(platform="slack", tenant="T0NPS0001", user_id=f"U0LATE{number:03d}")
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


def said(payload: dict[str, object]) -> str:
    return json.dumps(payload, ensure_ascii=False)


async def test_one_more_answer_between_two_reports_changes_no_figure(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    await answer(slack_services, [10, 9, 9, 8, 3, 0], first=0)
    await app.post(requests.slash_command(user_id=ADMIN, text="report"))
    await eventually(lambda: len(slack.responses) >= 1)
    await settle(app)
    before = slack.responses[-1].payload

    await answer(slack_services, [0], first=6)
    await app.post(requests.slash_command(user_id=ADMIN, text="report"))
    await eventually(lambda: len(slack.responses) >= 2 and slack.responses[-1].payload != before)
    await settle(app)
    after = next(p.payload for p in reversed(slack.responses) if "blocks" in p.payload)

    held = t("report.held_back", k=5)
    assert held not in said(before) and held in said(after)
    assert before["text"] == after["text"] == "NPS +17 (95 % from -44 to +66) from 6 answers"
    assert "7 answers" not in said(after)
