"""The outer loop through Bolt's real endpoint and the Web API double: an admin turns a
report theme into an action in the modal, the next wave's invitation says "you said, we
did", the owner is reminded, and the following report shows the theme's movement."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from adapters.slack.action_modal import ACTION_FORM_CALLBACK
from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.domain.surveys import DEFAULT_SURVEY
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.usecases.waves.action_reminders import remind_owners
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage import waves as wave_store
from tests.adapters.slack.conftest import TOKEN, RunningApp, eventually, settle, text_objects
from tests.doubles.slack_api import SlackApiDouble
from tests.support.action_world import CALM, ELSEWHERE, seed_reasons, seed_wave
from tests.support.clock import Clock
from tests.support.slack_requests import SlackRequestBuilder

ADMIN = "U0ADMIN01"
ANN = "U0ANN0001"
OTHER = "U0KENJI01"


def texts(payload: Any) -> str:
    return " ".join(item["text"] for item in text_objects(payload))


def messages_to(slack: SlackApiDouble, user: str) -> list[str]:
    """The text of every message posted to ``user``'s DM (or by user id)."""
    found = []
    for call in slack.calls("chat.postMessage"):
        channel = str(call.params.get("channel", ""))
        if channel not in {user, slack.workspace.dm_channel(user)}:
            continue
        blocks = call.params.get("blocks") or "[]"
        found.append(texts(json.loads(blocks) if isinstance(blocks, str) else blocks))
    return found


async def command(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, user: str, text: str
) -> str:
    """``/nps <text>`` by ``user``; the text of the private answer."""
    before = len(slack.responses)
    await app.post(requests.slash_command(user_id=user, text=text))
    await eventually(lambda: len(slack.responses) > before)
    return texts(slack.responses[-1].payload)


async def test_an_action_from_a_theme_comes_back_in_the_next_wave_and_report(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    clock: Clock,
) -> None:
    services = slack_services
    team = slack.workspace.team_id
    survey = await create_survey(
        services.database,
        platform="slack",
        tenant=team,
        spec=SurveySpec(name=DEFAULT_SURVEY, k_min=3, timezone="UTC"),
        now=clock(),
        default_locale="en",
    )
    await seed_wave(services, survey, opens=clock() - timedelta(days=120))
    t = services.catalogs.translator("en")

    # The report names the theme the action will answer.
    report = await command(app, slack, requests, ADMIN, "report")
    assert "onboarding" in report

    # The modal: opened from the command, every refusal beside its field at once.
    before = len(slack.calls("views.open"))
    await app.post(requests.slash_command(user_id=ADMIN, text="actions add"))
    await eventually(lambda: len(slack.calls("views.open")) > before)
    modal = slack.workspace.views[next(reversed(slack.workspace.views))]
    assert modal["callback_id"] == ACTION_FORM_CALLBACK
    kinds = {block["block_id"]: block["element"]["type"] for block in modal["blocks"]}
    assert (kinds["owner"], kinds["due"], kinds["status"]) == (
        "users_select",
        "datepicker",
        "static_select",
    )

    def values(**given: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {block: {block: entry} for block, entry in given.items()}

    due = (clock() + timedelta(days=10)).date().isoformat()
    refused = await app.post(
        requests.view_submission(
            user_id=ADMIN,
            callback_id=ACTION_FORM_CALLBACK,
            values=values(
                title={"type": "plain_text_input", "value": ""},
                owner={"type": "users_select", "selected_user": ANN},
                due={"type": "datepicker", "selected_date": "2020-01-01"},
            ),
            private_metadata=modal["private_metadata"],
        )
    )
    errors = json.loads(refused[1])
    assert errors["response_action"] == "errors"
    assert errors["errors"] == {
        "title": t("actions.error.required"),
        "due": t("actions.error.due_past"),
    }
    status, _ = await app.post(
        requests.view_submission(
            user_id=ADMIN,
            callback_id=ACTION_FORM_CALLBACK,
            values=values(
                title={"type": "plain_text_input", "value": "An onboarding buddy"},
                owner={"type": "users_select", "selected_user": ANN},
                due={"type": "datepicker", "selected_date": due},
                status={
                    "type": "static_select",
                    "selected_option": {
                        "value": "in_progress",
                        "text": {"type": "plain_text", "text": "x"},
                    },
                },
                theme={"type": "plain_text_input", "value": "onboarding"},
            ),
            private_metadata=modal["private_metadata"],
        )
    )
    assert status == 200
    await settle(app)
    listed = await command(app, slack, requests, ADMIN, "actions")
    assert "#1 An onboarding buddy" in listed and "onboarding" in listed
    # Nobody else may touch the plan.
    refusal = await command(
        app, slack, requests, OTHER, "actions add --title x --owner U1 --due " + due
    )
    assert refusal == services.catalogs.translator("ja")("admin.not_allowed")  # in Kenji's words

    # The next wave opens with what was heard and what was done.
    client = build_client(token=TOKEN, base_url=slack.base_url)
    reach = Reach(
        platform=SlackPlatform(client, people=SlackPeople(client, admin_ids=[])),
        tenant=team,
        per_second=200,
    )
    opened = await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=clock())
    assert opened is not None and opened.invited >= 1
    clock.advance(hours=8)  # 10:30 in Los Angeles, where Ann works: invitations go out
    await deliver_due(services.waves, reach)
    [invitation] = messages_to(slack, ANN)
    assert "You said:" in invitation and "onboarding" in invitation
    assert t("actions.note.done", actions="An onboarding buddy") in invitation

    # The owner is reminded, once, three days before the due date.
    clock.advance(days=7)
    assert await remind_owners(services.waves, reach, lead_days=3) == 1
    assert await remind_owners(services.waves, reach, lead_days=3) == 0
    reminder = messages_to(slack, ANN)[-1]
    assert "Reminder: action #1 of default" in reminder

    # Answers of the new wave are about something else: the report shows the movement.
    async with services.database.transaction() as session:
        wave = await wave_store.latest_wave(session, survey_id=survey.id)
    assert wave is not None
    await seed_reasons(
        services, survey, wave_id=wave.id, day=clock().date(), written=ELSEWHERE + CALM
    )
    followed = await command(app, slack, requests, ADMIN, "report")
    assert t("report.actions") in followed
    assert "“onboarding” was named in 50 %" in followed
    assert "named less often, a clear change" in followed
