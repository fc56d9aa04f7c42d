"""A scoped viewer through Bolt's real endpoint: the admin shares one team's report with
a colleague by mention; the colleague reads it (its charts in their own DM) and is refused
everything else; the admin's breakdown brings its heatmap to the admin's DM only."""

from __future__ import annotations

import json

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReportView, ScorePrompt
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

ADMIN, ANN = "U0ADMIN01", "U0ANN0001"
GENERAL = "C0NPSGEN1"
TENANT = "T0NPS0001"


async def labelled_answers(services: Services) -> None:
    teams = [("eng", s) for s in (10, 9, 9, 8, 3, 10)] + [("ops", s) for s in (0, 2, 6, 7, 9, 5)]
    for number, (team, score) in enumerate(teams):
        person = Person(
            platform="slack", tenant=TENANT, user_id=f"U0PEER{number:03d}", segments={"team": team}
        )
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


async def command(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str, text: str
) -> dict[str, object]:
    """Type ``/nps <text>`` as ``user`` in #general; the ephemeral answer."""
    before = len(slack.responses)
    status, _ = await app.post(requests.slash_command(user_id=user, text=text, channel_id=GENERAL))
    assert status == 200
    await eventually(lambda: len(slack.responses) > before)
    payload = slack.responses[before].payload
    assert payload["response_type"] == "ephemeral"
    return payload


async def test_a_shared_teams_report_reaches_only_its_viewer_and_nothing_else_does(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await labelled_answers(slack_services)
    t = slack_services.catalogs.translator("en")

    shared = await command(
        app, slack, requests, ADMIN, "survey share default <@U0ANN0001|ann> team=eng"
    )
    assert t("viewers.shared", name="default", group="team=eng") in json.dumps(shared)

    report = await command(app, slack, requests, ANN, "report")
    await eventually(lambda: bool(slack.calls("files.completeUploadExternal")))
    await settle(app)
    viewer = Person(platform="slack", tenant=TENANT, user_id=ANN)
    expected = await slack_services.commands.handle(viewer, "report")
    assert isinstance(expected, ReportView)
    assert expected.title in json.dumps(report, ensure_ascii=False)
    uploaded = [upload for upload in slack.workspace.files.values() if upload.completed]
    assert len(uploaded) == len(expected.charts)
    assert {upload.channel_id for upload in uploaded} == {slack.workspace.dm_channel(ANN)}

    refusals = {
        "report --by team": t("viewers.no_breakdown", group="team=eng"),
        "report other": t("report.not_allowed"),
        "survey list": t("admin.not_allowed"),
        "survey shares default": t("admin.not_allowed"),
        "survey share default <@U0ANN0001|ann> team=ops": t("admin.not_allowed"),
        "survey delete default --yes": t("admin.not_allowed"),
    }
    for text, refusal in refusals.items():
        answered = await command(app, slack, requests, ANN, text)
        assert answered["text"] == refusal, text
    await settle(app)
    assert len([u for u in slack.workspace.files.values() if u.completed]) == len(uploaded)
    for call in slack.calls():
        assert GENERAL not in json.dumps(dict(call.params), default=str), call.method


async def test_the_admins_breakdown_carries_the_heatmap_to_the_admins_dm(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await labelled_answers(slack_services)
    admin = Person(platform="slack", tenant=TENANT, user_id=ADMIN, is_admin=True)

    await command(app, slack, requests, ADMIN, "report --by team")
    await eventually(lambda: bool(slack.calls("files.completeUploadExternal")))
    await settle(app)

    # Composition, heatmap and distribution (one month: no trend).
    expected = await slack_services.commands.handle(admin, "report --by team")
    assert isinstance(expected, ReportView) and len(expected.charts) == 3
    uploaded = [upload for upload in slack.workspace.files.values() if upload.completed]
    assert len(uploaded) == 3
    assert {upload.channel_id for upload in uploaded} == {slack.workspace.dm_channel(ADMIN)}
    assert slack.workspace.messages_in(GENERAL) == []
