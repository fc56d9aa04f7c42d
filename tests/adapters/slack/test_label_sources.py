"""People answer in their DMs carrying the labels of their user groups or a profile field,
and ``/nps report --by team`` shows the teams (through the disclosure gate).

The real app in HTTP mode, signed requests to ``/slack/events``, the Web API double.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp

from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.labels import SlackLabelRules
from adapters.slack.server import http_server
from bot.runtime.lifecycle import InFlight
from bot.runtime.services import Services
from tests.adapters.slack.conftest import (
    LISTED_ADMIN,
    SECRET,
    TOKEN,
    RunningApp,
    eventually,
    stored_responses,
)
from tests.adapters.slack.test_respondent_path import ask, click
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_profiles import ProfileField
from tests.doubles.slack_records import SlackUser, Usergroup
from tests.support.slack_requests import SlackRequestBuilder

ENG = tuple(f"U0ENG000{n}" for n in range(1, 7))
SALES = tuple(f"U0SAL000{n}" for n in range(1, 6))
BOTH = ENG[0]
"""In both groups: counts in the first configured group that holds them."""


@asynccontextmanager
async def labelled_app(
    slack: SlackApiDouble, services: Services, rules: SlackLabelRules
) -> AsyncIterator[RunningApp]:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    bolt, platform = create_app(
        services, client=client, signing_secret=SECRET, admin_ids=[LISTED_ADMIN], labels=rules
    )
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    async with (
        http_server(bolt, host="127.0.0.1", port=0, inflight=inflight) as origin,
        aiohttp.ClientSession() as session,
    ):
        yield RunningApp(origin=origin, platform=platform, session=session, inflight=inflight)


def add_people(slack: SlackApiDouble) -> None:
    for user_id in (*ENG, *SALES):
        slack.workspace.add_user(SlackUser(id=user_id, name=user_id.lower()))


async def everyone_answers(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, people: Sequence[str]
) -> None:
    for number, user_id in enumerate(people, start=1):
        survey = await ask(app, slack, requests, user_id)
        await app.post(click(requests, user_id, survey, (10, 9, 7, 3, 0)[number % 5]))
        await eventually(lambda n=number: len(slack.calls("chat.update")) >= n)


async def team_report(app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder) -> str:
    before = len(slack.responses)
    await app.post(requests.slash_command(user_id=LISTED_ADMIN, text="report --by team"))
    await eventually(lambda: len(slack.responses) > before)
    return json.dumps(slack.responses[-1].payload["blocks"], ensure_ascii=False)


async def test_user_groups_become_teams_in_the_report(
    slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    add_people(slack)
    # Sales is listed first: the person in both groups counts in sales, so each team
    # holds five answers and none counts twice; the unlisted group gives no label.
    slack.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", ENG))
    slack.workspace.add_usergroup(Usergroup("S0SALES", "sales", "Sales", (*SALES[1:], BOTH)))
    slack.workspace.add_usergroup(Usergroup("S0ALL", "everyone-eng", "All", ENG))
    rules = SlackLabelRules(usergroup_label="team", usergroups=("sales", "eng"))
    async with labelled_app(slack, slack_services, rules) as app:
        await everyone_answers(app, slack, requests, [*ENG, *SALES[1:]])
        shown = await team_report(app, slack, requests)

    teams = sorted(response.segments["team"] for response in await stored_responses(slack_services))
    assert teams == ["eng"] * 5 + ["sales"] * 5
    # One workspace-wide look-up served every person (the cache), not one per answer.
    assert len(slack.calls("usergroups.list")) == 1
    assert slack.last("usergroups.list").params["include_users"] in ("1", "true", True)
    t = slack_services.catalogs.translator("en")
    assert t("report.segments", by="team") in shown
    assert "eng\\n" in shown and "sales\\n" in shown
    assert t("report.segments_none", by="team") not in shown


async def test_a_profile_field_becomes_the_team(
    slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    add_people(slack)
    profiles = slack.workspace.profiles
    profiles.define(
        ProfileField("Xf01", "Department"),
        ProfileField("Xf02", "Manager", type="user"),
    )
    for user_id in ENG[:5]:
        profiles.set(user_id, Department="Engineering", Manager="U0BOSS001")
    for user_id in SALES:
        profiles.set(user_id, Department="  Sales ")
    rules = SlackLabelRules(profile_fields={"department": "team", "Manager": "manager"})
    async with labelled_app(slack, slack_services, rules) as app:
        await everyone_answers(app, slack, requests, [*ENG[:5], *SALES])
        shown = await team_report(app, slack, requests)

    labels = [response.segments for response in await stored_responses(slack_services)]
    assert sorted(label["team"] for label in labels) == ["Engineering"] * 5 + ["Sales"] * 5
    # A field whose values are people is never read into a label.
    assert all("manager" not in label for label in labels)
    assert len(slack.calls("team.profile.get")) == 1
    # One profile look-up per person (the admin reading the report is a person too),
    # though each was looked up at the ask and again at the click.
    looked_up = [call.params["user"] for call in slack.calls("users.profile.get")]
    assert sorted(looked_up) == sorted({*ENG[:5], *SALES, LISTED_ADMIN})
    assert "Engineering\\n" in shown and "Sales\\n" in shown


async def test_a_profile_field_wins_over_user_groups_for_the_same_label(
    slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    add_people(slack)
    slack.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", ENG[:2]))
    slack.workspace.profiles.define(ProfileField("Xf01", "Team"))
    slack.workspace.profiles.set(ENG[0], Team="Platform")
    rules = SlackLabelRules(usergroup_label="team", profile_fields={"Team": "team"})
    async with labelled_app(slack, slack_services, rules) as app:
        await everyone_answers(app, slack, requests, ENG[:3])

    teams = sorted(r.segments.get("team", "") for r in await stored_responses(slack_services))
    # Profile field, user group, nothing.
    assert teams == ["", "Platform", "eng"]
