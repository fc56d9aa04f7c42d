"""A scoped viewer through Bolt's real endpoint: the admin shares one team's report with
a colleague by mention; the colleague reads it (its charts in their own DM) and is refused
everything else; the admin's breakdown brings its heatmap to the admin's DM only."""

from __future__ import annotations

import json

from adapters.slack.admin_surfaces import DELETE_ACTION, SURVEY_FORM_CALLBACK
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReportView, ScorePrompt
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.tables import changed_tables, snapshot

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


async def test_a_viewer_is_refused_every_command_and_forged_click_and_nothing_is_stored(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await labelled_answers(slack_services)
    t = slack_services.catalogs.translator("en")
    await command(app, slack, requests, ADMIN, "survey create other --kind enps")
    await command(app, slack, requests, ADMIN, "survey share default <@U0ANN0001|ann> team=eng")
    # A form an admin opened, whose submission the viewer forges.
    await app.post(requests.slash_command(user_id=ADMIN, text="survey edit default"))
    await eventually(lambda: bool(slack.calls("views.open")))
    await settle(app)
    admins_form = slack.workspace.views[next(reversed(slack.workspace.views))]
    before, opened = await snapshot(slack_services.database), len(slack.calls("views.open"))

    no_breakdown = t("viewers.no_breakdown", group="team=eng")
    admin_only = t("admin.not_allowed")
    refusals = {
        "report --by team": no_breakdown,
        "report default --by role": no_breakdown,
        "report --by team --period quarter": no_breakdown,
        "report other": t("report.not_allowed"),
        "report nonexistent": t("report.not_allowed"),
        "survey list": admin_only,
        "survey status": admin_only,
        "survey status default": admin_only,
        "survey start default": admin_only,
        "survey close default": admin_only,
        "survey edit default": admin_only,
        "survey edit default --k 3": admin_only,
        "survey create": admin_only,
        "survey create mine --kind nps": admin_only,
        "survey delete default": admin_only,
        "survey delete default --yes": admin_only,
        "survey shares default": admin_only,
        "survey share other <@U0ANN0001|ann> team=eng": admin_only,
        "survey unshare default <@U0ANN0001|ann>": admin_only,
    }
    for text, refusal in refusals.items():
        answered = await command(app, slack, requests, ANN, text)
        assert answered["text"] == refusal, text
    # The delete confirmation's button and the survey form, forged by the viewer.
    await app.post(
        requests.block_actions(
            user_id=ANN, action_id=DELETE_ACTION, value="default", is_ephemeral=True
        )
    )
    await eventually(lambda: slack.responses[-1].payload.get("text") == admin_only)
    await app.post(
        requests.view_submission(
            user_id=ANN,
            callback_id=SURVEY_FORM_CALLBACK,
            values={},
            private_metadata=admins_form["private_metadata"],
        )
    )
    await settle(app)

    assert changed_tables(before, await snapshot(slack_services.database)) == {}
    assert len(slack.calls("views.open")) == opened  # no form opened for the viewer
    assert slack.calls("chat.postMessage") == [] and slack.workspace.messages_in(GENERAL) == []
