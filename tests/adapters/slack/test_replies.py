"""Anonymous replies through the real Slack app (signed requests, Web API double): the
thanks message offers "See replies", the modal shows only the writer's own thread, takes
an answer back and closes it; another person pressing the same button sees nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from adapters.slack import actions
from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.usecases.keys import PersonKeys
from storage.models import Response, Survey
from tests.adapters.slack.conftest import RunningApp, buttons, eventually
from tests.adapters.slack.test_respondent_path import ANN, KENJI, ask, click, submit
from tests.doubles.slack_api import SlackApiDouble
from tests.support.replies_world import released_report, writers
from tests.support.slack_requests import SlackRequestBuilder

TEAM = "T0NPS0001"
ANN_SAYS = "the on-call rota is fair"


async def _answer_in_slack(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> dict[str, Any]:
    """Ann answers 9 with a reason in her DM; returns the "See replies" button."""
    survey = await ask(app, slack, requests, ANN)
    await app.post(click(requests, ANN, survey, 9))
    await eventually(lambda: bool(slack.workspace.views))
    modal = next(iter(slack.workspace.views.values()))
    assert (await app.post(submit(requests, ANN, modal, ANN_SAYS)))[0] == 200

    def thanked() -> list[dict[str, Any]]:
        return buttons(slack.workspace.messages[(survey.channel, survey.ts)].blocks)

    await eventually(lambda: [b["action_id"] for b in thanked()] == [actions.REPLIES_OPEN_ACTION])
    return copy.deepcopy(thanked()[0])


async def _handle_of(services: Services, reason: str) -> str:
    async with services.database.transaction() as session:
        answer, survey = (
            await session.execute(
                select(col(Response.id), col(Response.survey_id)).where(
                    col(Response.reason) == reason
                )
            )
        ).one()
        assert (await session.get(Survey, survey)) is not None
    return PersonKeys(services.waves.pepper).handles.handle(survey, answer)


async def _press(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str, value: str
) -> dict[str, Any]:
    before = len(slack.calls("views.open"))
    await app.post(
        requests.block_actions(user_id=user, action_id=actions.REPLIES_OPEN_ACTION, value=value)
    )
    await eventually(lambda: len(slack.calls("views.open")) == before + 1)
    return list(slack.workspace.views.values())[-1]


def _lines(modal: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in modal["blocks"] if b["block_id"].startswith("line_")]


async def test_the_writer_reads_answers_and_closes_and_nobody_else_sees_it(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    see = await _answer_in_slack(app, slack, requests)
    assert see["text"]["text"] == t("replies.see")
    await writers(slack_services, platform="slack", tenant=TEAM)
    await released_report(slack_services)
    handle = await _handle_of(slack_services, ANN_SAYS)
    # A non-admin cannot reply; the admin replies with /nps reply.
    text = (
        f"reply {DEFAULT_SURVEY} {handle} Thanks <!channel> @everyone <https://evil.example|click>"
    )
    await app.post(requests.slash_command(user_id=KENJI, text=text))
    await eventually(lambda: len(slack.responses) == 1)
    assert slack.responses[0].payload["text"] == slack_services.catalogs.translator("ja")(
        "admin.not_allowed"
    )
    await app.post(requests.slash_command(user_id="U0ADMIN01", text=text))
    await eventually(lambda: len(slack.responses) == 2)
    assert slack.responses[1].payload["text"] == t("replies.sent", handle=handle)
    assert slack.responses[1].payload["response_type"] == "ephemeral"

    modal = await _press(app, slack, requests, ANN, see["value"])
    [line] = _lines(modal)
    assert line.startswith(t("replies.from_admin"))
    assert "@everyone" not in line and "://" not in line
    assert all(b["text"]["type"] == "plain_text" for b in modal["blocks"] if "text" in b)
    assert json.loads(json.dumps(modal))["private_metadata"] == see["value"]

    # Kenji presses Ann's button (a copied value): the same as "no replies".
    foreign = await _press(app, slack, requests, KENJI, see["value"])
    assert _lines(foreign) == [] and foreign["submit"] is None
    forged = await _press(app, slack, requests, ANN, see["value"][:-3] + "AAA")
    assert _lines(forged) == [] and forged["submit"] is None

    status, body = await app.post(
        requests.view_submission(
            user_id=ANN,
            callback_id=actions.REPLIES_CALLBACK,
            private_metadata=modal["private_metadata"],
            view_id=modal["id"],
            values={
                actions.REPLIES_BLOCK: {actions.REPLIES_INPUT: "builds, mostly"},
                actions.REPLIES_CLOSE_BLOCK: {
                    actions.REPLIES_CLOSE_INPUT: {
                        "type": "checkboxes",
                        "selected_options": [{"value": actions.REPLIES_CLOSE_VALUE}],
                    }
                },
            },
        )
    )
    assert status == 200
    answered = json.loads(body)
    assert answered["response_action"] == "update"
    shown = answered["view"]
    assert _lines(shown)[1] == f"{t('replies.from_you')}: builds, mostly"
    assert "submit" not in shown and t("replies.closed") in json.dumps(shown, ensure_ascii=False)

    threads = await slack_services.replies.threads(
        platform="slack", tenant=TEAM, name=DEFAULT_SURVEY
    )
    assert [(t.handle, t.closed) for t in threads] == [(handle, True)]


async def test_an_admin_replies_from_the_report_and_nobody_else_can(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    t = slack_services.catalogs.translator("en")
    await writers(slack_services, platform="slack", tenant=TEAM)
    await released_report(slack_services)
    await app.post(requests.slash_command(user_id="U0ADMIN01", text="report --quotes"))
    await eventually(lambda: bool(slack.responses))
    blocks = slack.responses[-1].payload["blocks"]
    [row] = [b for b in blocks if b.get("block_id") == "report_replies"]
    assert len(row["elements"]) == 6
    first = row["elements"][0]
    handle = first["value"].split("|")[0]
    assert first["text"]["text"] == t("replies.reply_to", handle=handle)
    assert handle in json.dumps(blocks, ensure_ascii=False)  # beside its quote too

    before = len(slack.calls("views.open"))
    await app.post(
        requests.block_actions(
            user_id="U0ADMIN01", action_id=first["action_id"], value=first["value"]
        )
    )
    await eventually(lambda: len(slack.calls("views.open")) == before + 1)
    form = list(slack.workspace.views.values())[-1]
    assert form["callback_id"] == actions.REPORT_REPLY_CALLBACK

    def sent_by(user: str, text: str) -> Any:
        return requests.view_submission(
            user_id=user,
            callback_id=form["callback_id"],
            private_metadata=form["private_metadata"],
            view_id=form["id"],
            values={actions.REPORT_REPLY_BLOCK: {actions.REPORT_REPLY_INPUT: text}},
        )

    _, refused = await app.post(sent_by(KENJI, "I am not an admin"))
    assert "I am not an admin" not in refused
    status, body = await app.post(sent_by("U0ADMIN01", "Thank you, we are on it"))
    assert status == 200
    answered = json.loads(body)
    assert answered["response_action"] == "update"
    assert t("replies.sent", handle=handle) in json.dumps(answered["view"], ensure_ascii=False)
    threads = await slack_services.replies.threads(
        platform="slack", tenant=TEAM, name=DEFAULT_SURVEY
    )
    assert [(t.handle, [m for _, m in t.messages]) for t in threads] == [
        (handle, ["Thank you, we are on it"])
    ]
