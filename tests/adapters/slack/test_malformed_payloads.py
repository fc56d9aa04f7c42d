"""Malformed payloads, signed and unsigned, at Bolt's real HTTP endpoint: never a 5xx and
never a traceback in the logs, whatever the field, and whether or not the person can be
looked up.

Each example takes a request Slack could send (a command, a click, a form, an event),
breaks one field (a wrong type, a random value, or taken away), may leave it unsigned,
and may make ``users.info`` fail for the person; then posts it.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack import actions
from adapters.slack.actions import ReasonForm
from adapters.slack.admin_surfaces import SURVEY_FORM_CALLBACK, FormContext
from tests.adapters.slack.conftest import RunningApp, settle
from tests.adapters.slack.hostile import ADMIN, JSON_VALUES, KENJI
from tests.adapters.slack.test_hostile_input import leaf_paths, mutated
from tests.adapters.slack.test_survey_admin import form_values
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery, SignedRequest

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def honest_requests(requests: SlackRequestBuilder, slack: SlackApiDouble) -> list[SignedRequest]:
    dm = slack.workspace.dm_channel(KENJI)
    reason = ReasonForm(token="t" * 20, title="", prompt="", submit="").at(channel=dm, ts="1.2")
    return [
        requests.slash_command(user_id=KENJI, text="help"),
        requests.block_actions(
            user_id=KENJI, action_id=actions.score_action_id(9), value="x:9", channel_id=dm
        ),
        requests.block_actions(user_id=KENJI, action_id=actions.HOME_TOGGLE_ACTION, value="optin"),
        requests.view_submission(
            user_id=KENJI,
            callback_id=actions.REASON_CALLBACK,
            private_metadata=reason.encode(),
            values={actions.REASON_BLOCK: {actions.REASON_INPUT: "why"}},
        ),
        requests.view_submission(
            user_id=ADMIN,
            callback_id=SURVEY_FORM_CALLBACK,
            private_metadata=FormContext(editing=None, channel="C0NPSGEN1").encode(),
            values=form_values(),
        ),
        requests.app_home_opened(user_id=KENJI),
        requests.direct_message(user_id=KENJI, text="hello", channel_id=dm),
    ]


def payload_of(request: SignedRequest) -> tuple[str, dict[str, Any]]:
    """("json"|"payload"|"form", the request's fields)."""
    body = request.body.decode()
    if request.headers.get("Content-Type") == "application/json":
        return "json", json.loads(body)
    fields = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in fields:
        return "payload", json.loads(fields["payload"])
    return "form", fields


def rebuilt(requests: SlackRequestBuilder, kind: str, fields: dict[str, Any], *, signed: bool):
    delivery = Delivery() if signed else Delivery(bad_signature=True)
    if kind == "json":
        return requests.json(fields, delivery=delivery)
    if kind == "payload":
        return requests.form({"payload": json.dumps(fields)}, delivery=delivery)
    return requests.form({key: str(value) for key, value in fields.items()}, delivery=delivery)


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.exc_info is not None or "Traceback" in record.getMessage()
    ]


@FUZZ
@given(data=st.data())
async def test_no_malformed_payload_gets_a_server_error_or_a_traceback(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
    data: st.DataObject,
) -> None:
    kind, fields = payload_of(data.draw(st.sampled_from(honest_requests(requests, slack))))
    path = data.draw(st.sampled_from(leaf_paths(fields)), label="path")
    value = data.draw(JSON_VALUES, label="value")
    broken = mutated(fields, path, value, drop=data.draw(st.booleans(), label="drop"))
    signed = data.draw(st.booleans(), label="signed")
    lookup_fails = data.draw(st.booleans(), label="users.info fails")
    slack.faults.clear()
    if lookup_fails:
        slack.faults.fail("users.info", "user_not_found")
    caplog.clear()

    with caplog.at_level(logging.WARNING):
        status, _ = await app.post(rebuilt(requests, kind, broken, signed=signed))
        await settle(app)

    assert status < 500
    if not signed:
        assert status in {400, 401}
    assert tracebacks(caplog) == []


async def test_a_signed_command_without_its_user_is_refused_without_a_traceback(
    app: RunningApp,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kind, fields = payload_of(requests.slash_command(user_id=KENJI, text="help"))
    del fields["user_id"]

    with caplog.at_level(logging.WARNING):
        status, _ = await app.post(rebuilt(requests, kind, fields, signed=True))
        await settle(app)

    assert status == 400
    assert tracebacks(caplog) == []


async def test_a_person_who_cannot_be_looked_up_gets_no_server_error_in_a_form(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack.faults.fail("users.info", "user_not_found")
    form = requests.view_submission(
        user_id=ADMIN,
        callback_id=SURVEY_FORM_CALLBACK,
        private_metadata=FormContext(editing=None, channel="C0NPSGEN1").encode(),
        values=form_values(),
    )

    with caplog.at_level(logging.WARNING):
        status, _ = await app.post(form)
        await settle(app)

    assert status == 200
    assert tracebacks(caplog) == []


@pytest.mark.parametrize("user", [7, ["U0KENJI01"], {"name": "x"}, 1.5, True])
async def test_an_unsigned_event_with_a_mistyped_user_is_refused_before_bolt_reads_it(
    app: RunningApp,
    requests: SlackRequestBuilder,
    caplog: pytest.LogCaptureFixture,
    user: object,
) -> None:
    _, event = payload_of(requests.app_home_opened(user_id=KENJI))
    event["event"]["user"] = user

    with caplog.at_level(logging.WARNING):
        status, _ = await app.post(requests.json(event, delivery=Delivery(bad_signature=True)))

    assert status in {400, 401}
    assert tracebacks(caplog) == []
