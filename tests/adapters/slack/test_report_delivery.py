"""Where a report's charts go: the admin's DM with the app, never the command's channel.

A file uploaded to a channel stays in its history and its files list for every member,
so an ephemeral report whose charts were shared there would not be private at all.
"""

from __future__ import annotations

import json

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReportView
from tests.adapters.slack.conftest import RunningApp, eventually, settle
from tests.adapters.slack.test_admin_and_home import ADMIN, answers
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

GENERAL = "C0NPSGEN1"  # a public channel: the admin and a colleague are members
PNG = b"\x89PNG\r\n\x1a\n"


async def test_report_charts_go_to_the_admins_dm_and_never_to_the_commands_channel(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [10, 9, 9, 8, 3, 0])

    await app.post(requests.slash_command(user_id=ADMIN, text="report", channel_id=GENERAL))
    await eventually(lambda: bool(slack.calls("files.completeUploadExternal")))
    await settle(app)

    admin = Person(platform="slack", tenant="T0NPS0001", user_id=ADMIN, is_admin=True)
    expected = await slack_services.engine.report(admin)
    assert isinstance(expected, ReportView) and expected.charts
    # The text is ephemeral, and the images reached the DM opened for the admin.
    assert [post.payload["response_type"] for post in slack.responses] == ["ephemeral"]
    assert slack.last("conversations.open").params["users"] == ADMIN
    dm = slack.workspace.dm_channel(ADMIN)
    uploaded = [upload for upload in slack.workspace.files.values() if upload.completed]
    assert [(upload.data or b"")[:8] for upload in uploaded] == [PNG] * len(expected.charts)
    assert {upload.channel_id for upload in uploaded} == {dm}
    # No Web API call named the channel the command was typed in: nothing was shared,
    # posted or announced there.
    for call in slack.calls():
        assert GENERAL not in json.dumps(dict(call.params), default=str), call.method
    assert slack.workspace.messages_in(GENERAL) == []


async def test_charts_go_to_the_dm_when_the_command_is_typed_in_a_private_channel(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [10, 9, 9, 8, 3, 0])
    slack.workspace.add_channel("G0LEADERS", members=(ADMIN, "U0ANN0001"))

    await app.post(requests.slash_command(user_id=ADMIN, text="report", channel_id="G0LEADERS"))
    await eventually(lambda: bool(slack.calls("files.completeUploadExternal")))

    uploaded = [upload for upload in slack.workspace.files.values() if upload.completed]
    assert uploaded
    assert {upload.channel_id for upload in uploaded} == {slack.workspace.dm_channel(ADMIN)}
    assert all(
        call.params.get("channel_id") != "G0LEADERS"
        for call in slack.calls("files.completeUploadExternal")
    )


async def test_when_the_dm_cannot_be_opened_the_charts_are_shared_nowhere(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await answers(slack_services, [10, 9, 9, 8, 3, 0])
    slack.faults.fail("conversations.open", "messages_tab_disabled")

    await app.post(requests.slash_command(user_id=ADMIN, text="report", channel_id=GENERAL))
    await eventually(lambda: len(slack.responses) == 2)
    await settle(app)

    t = slack_services.catalogs.translator("en")
    report, notice = (post.payload for post in slack.responses)
    assert report["response_type"] == notice["response_type"] == "ephemeral"
    assert notice["text"] == t("report.charts_undelivered")
    assert slack.calls("files.getUploadURLExternal") == []
    assert slack.calls("files.completeUploadExternal") == []
    assert slack.workspace.files == {}
