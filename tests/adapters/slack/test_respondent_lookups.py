"""One answer, one ``users.info``: what Slack said of someone answering serves the rest of
their answer; whoever asks for a report is looked up afresh.

``users.info`` is a Tier 4 method (about a hundred calls a minute per workspace). Before,
every click and form of an answer looked the person up again: a score, its reason and
driver ratings were two to four calls a person, and the reason form's ack waited on one.
"""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.client import build_client
from adapters.slack.people import RESPONDENT_CACHE_SECONDS, SlackPeople
from bot.runtime.services import Services
from tests.adapters.slack.conftest import (
    TOKEN,
    RunningApp,
    eventually,
    settle,
    stored_responses,
)
from tests.adapters.slack.test_respondent_path import ANN, ask, click, submit
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.slack_requests import SlackRequestBuilder

ADMIN = "U0ADMIN01"
TEAM = "T0NPS0001"


async def test_a_score_and_its_reason_look_the_person_up_once(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    before = len(slack.calls("users.info"))

    await app.post(click(requests, ANN, survey, 9))
    await eventually(lambda: bool(slack.calls("chat.update")))
    modal = next(iter(slack.workspace.views.values()))
    status, _ = await app.post(submit(requests, ANN, modal, "the team"))
    await settle(app)

    assert status == 200
    [answer] = await stored_responses(slack_services)
    assert (answer.score, answer.reason) == (9, "the team")
    assert len(slack.calls("users.info")) == before + 1


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def people(slack: SlackApiDouble, clock: Clock) -> SlackPeople:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    return SlackPeople(client, admin_ids=(), clock=clock)


async def test_what_slack_said_of_a_respondent_serves_only_a_while(
    slack: SlackApiDouble,
) -> None:
    clock = Clock()
    lookups = people(slack, clock)
    first = await lookups.respondent(ANN, team_id=TEAM)
    # The person switches Slack to Japanese: their answer goes on in the language Slack
    # gave when it began, until the lookup expires.
    slack.workspace.add_user(SlackUser(id=ANN, name="ann", locale="ja-JP"))
    clock.now += RESPONDENT_CACHE_SECONDS - 1
    assert await lookups.respondent(ANN, team_id=TEAM) == first
    assert len(slack.calls("users.info")) == 1
    # Who someone is, asked as an admin path asks, is always Slack's answer of now.
    assert (await lookups.person(ANN, team_id=TEAM)).locale == "ja-JP"

    clock.now += 2
    assert (await lookups.respondent(ANN, team_id=TEAM)).locale == "ja-JP"
    assert len(slack.calls("users.info")) == 3


async def test_a_burst_of_one_persons_requests_makes_one_lookup(slack: SlackApiDouble) -> None:
    lookups = people(slack, Clock())
    found = await asyncio.gather(*(lookups.respondent(ANN, team_id=TEAM) for _ in range(8)))
    assert {person.user_id for person in found} == {ANN}
    assert len(slack.calls("users.info")) == 1


async def test_a_refused_lookup_is_not_kept(slack: SlackApiDouble) -> None:
    lookups = people(slack, Clock())
    slack.faults.fail("users.info", "user_not_found", times=1)
    with pytest.raises(SlackApiError):
        await lookups.respondent(ANN, team_id=TEAM)
    assert (await lookups.respondent(ANN, team_id=TEAM)).user_id == ANN
    assert len(slack.calls("users.info")) == 2


async def test_an_admin_is_looked_up_afresh_for_every_report(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    refusal = slack_services.catalogs.translator("en")("report.not_allowed")
    # The admin answers first: what Slack said of them then is kept for their answer.
    survey = await ask(app, slack, requests, ADMIN)
    await app.post(click(requests, ADMIN, survey, 8))
    await eventually(lambda: bool(slack.calls("chat.update")))

    # Then Slack demotes them: the next report is refused at once.
    slack.workspace.add_user(SlackUser(id=ADMIN, name="boss", is_admin=False))
    slack.responses.clear()
    await app.post(requests.slash_command(user_id=ADMIN, text="report"))
    await eventually(lambda: bool(slack.responses))

    assert [post.payload["text"] for post in slack.responses] == [refusal]
