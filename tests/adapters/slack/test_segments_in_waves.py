"""A wave in Slack whose answers carry their teams: a roster imported by email with the
real ``nps-bot people import`` (emails resolved through ``users.lookupByEmail`` on the
Web API double), the wave started and answered in the DMs through Bolt's real endpoint,
and ``/nps report --by team`` showing each team with its response rate. Afterwards the
database holds no user id or email of the roster, on SQLite and PostgreSQL. The same
wave with the teams from Slack user groups, and from a profile field.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from adapters.slack.labels import SlackLabelRules
from bot.runtime.services import Services
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.adapters.slack.test_label_sources import labelled_app
from tests.adapters.slack.test_respondent_path import click
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_profiles import ProfileField
from tests.doubles.slack_records import SlackUser, Usergroup
from tests.support.cli_process import run_nps_bot, without_platforms
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.tables import dump

from .conftest import TOKEN

ADMIN = "U0ADMIN01"
ENG = tuple(f"U0ENG000{n}" for n in range(1, 7))
OPS = tuple(f"U0OPS000{n}" for n in range(1, 7))
SCORES = (10, 9, 8, 3, 10)
PARIS = "Europe/Paris"
"""10:30 there when the wave opens: within working hours, the question goes at once."""


def email(user: str) -> str:
    return f"{user.lower()}@example.com"


async def slash(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str, text: str
) -> dict[str, object]:
    """``/nps <text>`` typed by ``user``; the (ephemeral) answer posted to its response URL."""
    before = len(slack.responses)
    status, _ = await app.post(requests.slash_command(user_id=user, text=text))
    assert status == 200
    await eventually(lambda: len(slack.responses) > before)
    return slack.responses[before].payload


async def nps_bot(services: Services, slack: SlackApiDouble, cwd: Path, *args: str) -> str:
    """The real command on the app's database, its Slack token speaking to the double."""
    env = without_platforms(
        DATABASE_URL=services.settings.database_url,
        NPS_PEPPER=TEST_PEPPER,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_BASE_URL=slack.base_url,
        LOG_LEVEL="WARNING",
    )
    finished = await run_nps_bot(*args, env=env, cwd=cwd)
    assert finished.code == 0, finished.out + finished.err
    return finished.out + finished.err


async def answer_in_dms(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, people: tuple[str, ...]
) -> None:
    """Each of ``people`` clicks a score on the wave's question in their DM."""
    updates = len(slack.calls("chat.update"))
    for number, user in enumerate(people, start=1):
        [question] = slack.workspace.messages_in(slack.workspace.dm_channel(user))
        status, _ = await app.post(
            click(requests, user, copy.deepcopy(question), SCORES[number % len(SCORES)])
        )
        assert status == 200
        await eventually(lambda n=updates + number: len(slack.calls("chat.update")) >= n)


async def create_survey(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    created = await slash(
        app, slack, requests, ADMIN, 'survey create pulse --kind enps --subject "Acme" --k 5'
    )
    assert created["text"] == 'Survey "pulse" created.'


async def wave_report(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, services: Services
) -> str:
    """Start the wave, five of each team of six answer in their DMs; the admin's
    ``/nps report pulse --by team`` (its blocks as JSON), checked to show both teams
    and each team's response rate, 5 of 6."""
    started = await slash(app, slack, requests, ADMIN, "survey start pulse")
    assert str(started["text"]).startswith('Survey "pulse" started'), started
    # Each person of the teams has the question in their DM at once (the others of the
    # workspace are on Pacific or Tokyo time, out of working hours: theirs waits).
    for user in ENG + OPS:
        await eventually(
            lambda u=user: bool(slack.workspace.messages_in(slack.workspace.dm_channel(u)))
        )
    await answer_in_dms(app, slack, requests, ENG[:5] + OPS[:5])

    report = await slash(app, slack, requests, ADMIN, "report pulse --by team")
    shown = json.dumps(report["blocks"], ensure_ascii=False)
    t = services.catalogs.translator("en")
    assert t("report.segments", by="team") in shown
    assert "eng\\n" in shown and "ops\\n" in shown
    assert t("report.segments_none", by="team") not in shown
    wave = services.clock().date().isoformat()
    assert t("report.wave_groups", by="team", wave=wave) in shown
    rate = t("report.response_rate_value", rate=83, answered=5, invited=6)
    assert shown.count(f"eng\\n{rate}") == 1 and shown.count(f"ops\\n{rate}") == 1
    await settle(app)
    return shown


async def test_a_roster_by_email_gives_the_waves_answers_their_teams_and_response_rates(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    tmp_path: Path,
) -> None:
    team = slack.workspace.team_id
    slack.workspace.add_user(
        *(SlackUser(id=user, name=user.lower(), email=email(user), tz=PARIS) for user in ENG + OPS)
    )
    await create_survey(app, slack, requests)  # the workspace is known from now on
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Email,Team\n"
        + "".join(f"{email(user).upper()},eng\n" for user in ENG)
        + "".join(f"{email(user)},ops\n" for user in OPS),
        encoding="utf-8",
    )
    imported = await nps_bot(
        slack_services,
        slack,
        tmp_path,
        *("people", "import", str(roster), "--platform", "slack", "--tenant", team),
    )
    assert "now holds 12 people" in imported
    assert len(slack.calls("users.lookupByEmail")) == 12

    await wave_report(app, slack, requests, slack_services)

    # Closed, the wave forgets where it delivered: nothing stored names a person of the
    # roster, by user id or by email, in any table.
    closed = await slash(app, slack, requests, ADMIN, "survey close pulse")
    assert closed["text"] == 'Survey "pulse": 1 open wave closed.'
    await settle(app)
    stored = (await dump(slack_services.database)).casefold()
    assert "eng" in stored and "ops" in stored  # the labels are there, keyed by no one
    for user in ENG + OPS:
        assert user.casefold() not in stored, user
        assert email(user) not in stored, user


def in_paris(slack: SlackApiDouble) -> None:
    slack.workspace.add_user(
        *(SlackUser(id=user, name=user.lower(), tz=PARIS) for user in ENG + OPS)
    )


async def test_user_groups_give_the_waves_answers_their_teams_and_response_rates(
    slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    in_paris(slack)
    slack.workspace.add_usergroup(Usergroup("S0ENG", "eng", "Engineering", ENG))
    slack.workspace.add_usergroup(Usergroup("S0OPS", "ops", "Operations", OPS))
    rules = SlackLabelRules(usergroup_label="team", usergroups=("eng", "ops"))
    async with labelled_app(slack, slack_services, rules) as app:
        await create_survey(app, slack, requests)
        await wave_report(app, slack, requests, slack_services)

    # The wave's opening read the groups once for its sixteen asks (the cache).
    assert len(slack.calls("usergroups.list")) == 1


async def test_a_profile_field_gives_the_waves_answers_their_teams_and_response_rates(
    slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    in_paris(slack)
    profiles = slack.workspace.profiles
    profiles.define(ProfileField("Xf01", "Department"))
    for user in ENG:
        profiles.set(user, Department="eng")
    for user in OPS:
        profiles.set(user, Department=" ops ")
    rules = SlackLabelRules(profile_fields={"department": "team"})
    async with labelled_app(slack, slack_services, rules) as app:
        await create_survey(app, slack, requests)
        await wave_report(app, slack, requests, slack_services)

    assert len(slack.calls("team.profile.get")) == 1
    looked_up = {call.params["user"] for call in slack.calls("users.profile.get")}
    assert set(ENG + OPS) <= looked_up
