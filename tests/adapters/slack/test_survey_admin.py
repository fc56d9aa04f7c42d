"""``/nps survey …`` through Bolt's real endpoint: the modal, its validation, and deletion."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from sqlalchemy import select

from adapters.slack.admin_surfaces import DELETE_ACTION, KEEP_ACTION, SURVEY_FORM_CALLBACK
from bot.domain.people import Person
from bot.runtime.services import Services
from storage.models import Survey
from tests.adapters.slack.conftest import RunningApp, buttons, eventually, settle
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

ADMIN = "U0ADMIN01"
ANN = "U0ANN0001"
KENJI = "U0KENJI01"
GENERAL = "C0NPSGEN1"
ADMINS = "C0NPSADM1"


def select_(value: str, kind: str = "static_select") -> dict[str, Any]:
    return {
        "type": kind,
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def number(value: str) -> dict[str, Any]:
    return {"type": "number_input", "value": value}


def form_values(**changes: Any) -> dict[str, dict[str, Any]]:
    """A filled survey modal's state, as Slack sends it on submission."""
    values: dict[str, Any] = {
        "name": "pulse",
        "kind": select_("enps"),
        "subject": "Acme as a place to work",
        "audience": select_("channel", "radio_buttons"),
        "audience_channel": {"type": "conversations_select", "selected_conversation": GENERAL},
        "audience_target": None,
        "cadence": None,
        "window_days": number("7"),
        "reminders": number("2"),
        "digest_channel": {"type": "conversations_select", "selected_conversation": GENERAL},
        "k_min": number("5"),
        "timezone": "Europe/Paris",
        "locale": select_("en"),
        "digest_cadence": None,
        "alert_channel": {"type": "conversations_select", "selected_conversation": None},
        "drivers": None,
        **changes,
    }
    return {block: {block: entry} for block, entry in values.items()}


def answered(slack: SlackApiDouble, count: int) -> bool:
    return len(slack.responses) == count


async def stored(services: Services) -> list[Survey]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Survey))).scalars())


async def open_form(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, text: str
) -> dict[str, Any]:
    before = len(slack.calls("views.open"))
    await app.post(requests.slash_command(user_id=ADMIN, text=text))
    await eventually(lambda: len(slack.calls("views.open")) > before)
    view_id = next(reversed(slack.workspace.views))
    return slack.workspace.views[view_id]


async def submit(
    app: RunningApp,
    requests: SlackRequestBuilder,
    modal: dict[str, Any],
    *,
    user: str = ADMIN,
    **changes: Any,
) -> tuple[int, str]:
    return await app.post(
        requests.view_submission(
            user_id=user,
            callback_id=SURVEY_FORM_CALLBACK,
            values={
                block: entry
                for block, entry in form_values(**changes).items()
                if block in {shown["block_id"] for shown in modal.get("blocks", [])}
                or "blocks" not in modal
            },
            private_metadata=modal["private_metadata"],
        )
    )


async def test_an_admin_creates_a_survey_through_the_modal(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    modal = await open_form(app, slack, requests, "survey create")
    assert modal["callback_id"] == SURVEY_FORM_CALLBACK and modal["title"]["text"] == "New survey"
    elements = {block["block_id"]: block["element"] for block in modal["blocks"]}
    assert elements["digest_channel"]["type"] == "conversations_select"
    assert elements["k_min"] == {
        "type": "number_input",
        "action_id": "k_min",
        "is_decimal_allowed": False,
        "initial_value": "5",
        "min_value": "3",
        "max_value": "100",
    }
    assert [o["value"] for o in elements["kind"]["options"]] == ["enps", "nps"]
    assert [o["value"] for o in elements["audience"]["options"]] == [
        "everyone",
        "channel",
        "usergroup",
    ]

    # Invalid input: Slack shows the reason under the input; nothing is stored.
    status, body = await submit(app, requests, modal, cadence="every tuesday")
    assert status == 200
    refusal = json.loads(body)
    assert refusal["response_action"] == "errors"
    assert list(refusal["errors"]) == ["cadence"]
    assert "is not a valid crontab line" in refusal["errors"]["cadence"]
    status, body = await submit(app, requests, modal, k_min=number("2"))
    assert json.loads(body)["errors"] == {"k_min": "Enter a number from 3 to 100."}
    status, body = await submit(
        app, requests, modal, audience_channel={"type": "conversations_select"}
    )
    assert list(json.loads(body)["errors"]) == ["audience_channel"]
    assert await stored(slack_services) == []

    status, body = await submit(app, requests, modal)
    assert (status, body) == (200, "")
    [survey] = await stored(slack_services)
    assert (survey.name, survey.kind, survey.audience, survey.digest_channel) == (
        "pulse",
        "enps",
        {"channel": GENERAL},
        GENERAL,
    )
    await eventually(lambda: bool(slack.workspace.ephemerals))
    [confirmation] = slack.workspace.ephemerals
    assert (confirmation["channel"], confirmation["user"]) == (GENERAL, ADMIN)
    assert confirmation["text"] == 'Survey "pulse" created.'


async def test_a_cadence_that_would_open_a_wave_each_minute_or_never_is_refused_in_the_modal(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    modal = await open_form(app, slack, requests, "survey create")

    status, body = await submit(app, requests, modal, cadence="*/5 * * * *")
    assert status == 200
    assert json.loads(body)["errors"] == {
        "cadence": 'The cadence "*/5 * * * *" fires more than once a day: give one time of '
        'day, e.g. "0 10 * * 2".'
    }
    _, body = await submit(app, requests, modal, digest_cadence="0 9 31 2 *")
    assert json.loads(body)["errors"] == {
        "digest_cadence": 'The digest cadence "0 9 31 2 *" matches no date, so no digest '
        "would ever be posted."
    }
    assert await stored(slack_services) == []


async def test_digest_cadence_alert_channel_and_drivers_are_set_from_the_modal(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    modal = await open_form(app, slack, requests, "survey create")
    blocks = {block["block_id"]: block for block in modal["blocks"]}
    assert blocks["digest_cadence"]["element"]["type"] == "plain_text_input"
    assert blocks["alert_channel"]["element"]["type"] == "conversations_select"
    assert blocks["drivers"]["element"]["type"] == "plain_text_input"
    assert "key=Label" in blocks["drivers"]["hint"]["text"]
    assert all(blocks[name]["optional"] for name in ("digest_cadence", "alert_channel", "drivers"))

    # Each refusal shows under its own input, in words; nothing is stored.
    _, body = await submit(app, requests, modal, digest_cadence="every monday")
    assert json.loads(body)["errors"] == {
        "digest_cadence": 'The digest cadence "every monday" is not a valid crontab line '
        "(minute hour day month weekday)."
    }
    _, body = await submit(app, requests, modal, drivers="growth=Growth, Manager=My manager")
    assert json.loads(body)["errors"] == {
        "drivers": 'The driver key "Manager" must start with a letter and use only a-z, '
        "digits or _ (at most 32 characters)."
    }
    _, body = await submit(app, requests, modal, drivers="growth")
    assert json.loads(body)["errors"] == {
        "drivers": 'Write each driver question as key=Label; "growth" is not.'
    }
    assert await stored(slack_services) == []

    chosen = {
        "digest_cadence": "0 9 * * mon",
        "alert_channel": {"type": "conversations_select", "selected_conversation": ADMINS},
        "drivers": "growth=Growth, manager=My manager",
    }
    status, body = await submit(app, requests, modal, **chosen)
    assert (status, body) == (200, "")
    [survey] = await stored(slack_services)
    assert (survey.digest_cadence, survey.alert_channel) == ("0 9 * * mon", ADMINS)
    assert survey.drivers == [
        {"key": "growth", "label": "Growth"},
        {"key": "manager", "label": "My manager"},
    ]

    # The edit form shows them; emptying the inputs clears them.
    modal = await open_form(app, slack, requests, "survey edit pulse")
    elements = {block["block_id"]: block["element"] for block in modal["blocks"]}
    assert elements["digest_cadence"]["initial_value"] == "0 9 * * mon"
    assert elements["alert_channel"]["initial_conversation"] == ADMINS
    assert elements["drivers"]["initial_value"] == "growth=Growth, manager=My manager"
    _, body = await submit(app, requests, modal, drivers="a=A, a=Again")
    assert json.loads(body)["errors"] == {"drivers": 'The driver key "a" is used twice.'}
    status, body = await submit(app, requests, modal)
    assert (status, body) == (200, "")
    [survey] = await stored(slack_services)
    assert (survey.digest_cadence, survey.alert_channel, survey.drivers) == (None, None, [])


async def test_people_who_are_not_admins_are_refused(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await app.post(requests.slash_command(user_id=KENJI, text="survey create"))
    await eventually(lambda: bool(slack.responses))
    await settle(app)
    assert slack.calls("views.open") == []
    [refusal] = slack.responses
    refused = "アンケートを管理できるのはアンケート管理者だけです。"
    assert refusal.payload["text"] == refused

    # A forged submission of the form by someone who is not an admin stores nothing.
    forged = {"private_metadata": json.dumps({"editing": None, "channel": GENERAL})}
    status, _ = await submit(app, requests, forged, user=ANN)
    assert status == 200
    await eventually(lambda: bool(slack.workspace.ephemerals))
    assert await stored(slack_services) == []
    assert slack.workspace.ephemerals[0]["text"] == "Only survey admins can manage surveys."


async def test_lowering_k_after_answers_is_refused_with_the_reason(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await submit(app, requests, await open_form(app, slack, requests, "survey create"))
    [survey] = await stored(slack_services)
    someone = Person(platform="slack", tenant="T0NPS0001", user_id="U0PEER001")
    await slack_services.engine.record_score(someone, survey_id=str(survey.id), score=8)

    modal = await open_form(app, slack, requests, "survey edit pulse")
    assert modal["title"]["text"] == "Edit survey"
    prefilled = {block["block_id"]: block["element"] for block in modal["blocks"]}
    assert "name" not in prefilled and prefilled["k_min"]["initial_value"] == "5"
    assert prefilled["timezone"]["initial_value"] == "Europe/Paris"

    _, body = await submit(app, requests, modal, k_min=number("3"))
    errors = json.loads(body)["errors"]
    assert errors["k_min"].startswith("k cannot go below 5: the survey has answers")
    [survey] = await stored(slack_services)
    assert survey.k_min == 5

    status, body = await submit(app, requests, modal, k_min=number("8"))
    assert (status, body) == (200, "")
    [survey] = await stored(slack_services)
    assert survey.k_min == 8


async def test_status_names_its_channels_as_mentions(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    chosen = {"alert_channel": {"type": "conversations_select", "selected_conversation": ADMINS}}
    await submit(app, requests, await open_form(app, slack, requests, "survey create"), **chosen)
    await app.post(requests.slash_command(user_id=ADMIN, text="survey status pulse"))
    await eventually(partial(answered, slack, 1))
    [status] = (post.payload for post in slack.responses)
    fields = [field for block in status["blocks"] for field in block.get("fields", [])]
    named = {field["text"]: field["type"] for field in fields if "C0NPS" in field["text"]}
    assert named == {
        f"Audience\nA channel's members: <#{GENERAL}>": "mrkdwn",
        f"Digest channel\n<#{GENERAL}>": "mrkdwn",
        f"Alert channel\n<#{ADMINS}>": "mrkdwn",
    }


async def test_list_status_and_delete_after_confirmation(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await submit(app, requests, await open_form(app, slack, requests, "survey create"))
    for count, text in enumerate(("survey list", "survey status pulse", "survey delete pulse"), 1):
        await app.post(requests.slash_command(user_id=ADMIN, text=text))
        await eventually(partial(answered, slack, count))
    listed, status, question = (post.payload for post in slack.responses)
    assert {listed["response_type"], status["response_type"]} == {"ephemeral"}
    assert "eNPS · active · k = 5 · 0 answers" in json.dumps(listed["blocks"], ensure_ascii=False)
    assert "Europe/Paris" in json.dumps(status["blocks"])

    delete, keep = buttons(question["blocks"])
    assert (delete["action_id"], delete["value"], delete["style"]) == (
        DELETE_ACTION,
        "pulse",
        "danger",
    )
    assert delete["confirm"]["confirm"]["text"] == "Delete" and keep["action_id"] == KEEP_ACTION
    await app.post(
        requests.block_actions(
            user_id=ADMIN,
            action_id=KEEP_ACTION,
            value="pulse",
            is_ephemeral=True,
            channel_id=GENERAL,
        )
    )
    await eventually(lambda: len(slack.responses) == 4)
    assert slack.responses[3].payload["text"] == 'Survey "pulse" was kept.'
    assert len(await stored(slack_services)) == 1

    await app.post(
        requests.block_actions(
            user_id=ADMIN,
            action_id=DELETE_ACTION,
            value="pulse",
            is_ephemeral=True,
            channel_id=GENERAL,
        )
    )
    await eventually(lambda: len(slack.responses) == 5)
    done = slack.responses[4].payload
    assert done["replace_original"] is True
    assert done["text"].startswith('Survey "pulse" deleted')
    assert await stored(slack_services) == []


async def test_a_forged_delete_click_by_a_non_admin_deletes_nothing(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await submit(app, requests, await open_form(app, slack, requests, "survey create"))
    await app.post(
        requests.block_actions(
            user_id=ANN,
            action_id=DELETE_ACTION,
            value="pulse",
            is_ephemeral=True,
            channel_id=GENERAL,
        )
    )
    await eventually(lambda: bool(slack.responses))
    assert slack.responses[0].payload["text"] == "Only survey admins can manage surveys."
    assert len(await stored(slack_services)) == 1


async def test_start_and_close_run_the_wave_in_this_workspace(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    await submit(app, requests, await open_form(app, slack, requests, "survey create"))
    await app.post(requests.slash_command(user_id=ADMIN, text="survey start pulse"))
    await eventually(lambda: bool(slack.responses))
    started = slack.responses[0].payload["text"]
    # The channel's two members are invited (the wave's delivery itself is tested elsewhere).
    assert started.startswith('Survey "pulse" started: 2 people invited')

    await app.post(requests.slash_command(user_id=ADMIN, text="survey close pulse"))
    await eventually(lambda: len(slack.responses) == 2)
    assert slack.responses[1].payload["text"] == 'Survey "pulse": 1 open wave closed.'


async def test_an_incomplete_survey_command_gets_the_usage(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    await app.post(requests.slash_command(user_id=ADMIN, text="survey delete"))
    await eventually(lambda: bool(slack.responses))
    usage = slack.responses[0].payload["text"]
    assert usage.startswith("Usage: /nps survey create")
    # Slack has mentions, so its usage keeps sharing (an @ is kept from pinging anyone).
    assert "| share NAME @\u2060person LABEL=VALUE | unshare NAME @\u2060person |" in usage


async def test_every_survey_command_gets_the_same_refusal_for_someone_not_an_admin(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    texts = ("survey status", "survey delete", "survey dance", "survey create pulse --k 7")
    for count, text in enumerate(texts, 1):
        await app.post(requests.slash_command(user_id=ANN, text=text))
        await eventually(partial(answered, slack, count))
    refusal = slack_services.admin.not_allowed(Person(platform="slack", tenant="", user_id=ANN))
    assert [post.payload["text"] for post in slack.responses] == [refusal.text] * len(texts)
    assert slack.calls("views.open") == [] and await stored(slack_services) == []


async def test_typed_settings_create_without_the_form_and_yes_deletes_without_asking(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    typed = 'survey create pulse --kind nps --subject "Acme Cloud" --k 7 --timezone Asia/Tokyo'
    await app.post(requests.slash_command(user_id=ADMIN, text=typed))
    await eventually(partial(answered, slack, 1))
    assert slack.responses[0].payload["text"] == 'Survey "pulse" created.'
    assert slack.calls("views.open") == []
    [survey] = await stored(slack_services)
    assert (survey.kind, survey.subject, survey.k_min, survey.timezone) == (
        "nps",
        "Acme Cloud",
        7,
        "Asia/Tokyo",
    )

    await app.post(requests.slash_command(user_id=ADMIN, text="survey delete pulse --yes"))
    await eventually(partial(answered, slack, 2))
    assert slack.responses[1].payload["text"].startswith('Survey "pulse" deleted')
    assert await stored(slack_services) == []


async def test_every_setting_at_fault_is_shown_at_once_and_in_the_admins_words(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    modal = await open_form(app, slack, requests, "survey create")

    status, body = await submit(
        app,
        requests,
        modal,
        name="",
        k_min=number("2"),
        window_days=number("many"),
        cadence="every tuesday",
        audience_channel={"type": "conversations_select"},
        drivers="a=Pay, a=Growth",
    )

    assert status == 200
    refusal = json.loads(body)
    assert refusal["response_action"] == "errors"
    assert sorted(refusal["errors"]) == [
        "audience_channel",
        "cadence",
        "drivers",
        "k_min",
        "name",
        "window_days",
    ]
    assert refusal["errors"]["k_min"] == "Enter a number from 3 to 100."
    assert all(text.strip() for text in refusal["errors"].values())
    assert await stored(slack_services) == []
