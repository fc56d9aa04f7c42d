"""Hostile requests at the real HTTP endpoint: never a 5xx, never a stored row, always an answer.

Every request is signed as Slack signs it (so it reaches the listeners), unless the test
is about signatures. Each property compares every row of every table before and after,
so an update (a reason written, an ask closed) counts as much as an insert.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack import actions
from adapters.slack.actions import ReasonForm
from bot.domain.commands import Verb, parse_command
from bot.domain.inputs import parse_score
from bot.runtime.services import Services
from tests.adapters.slack.conftest import SECRET, RunningApp, eventually, settle
from tests.adapters.slack.hostile import (
    ADMIN,
    ANN,
    HOSTILE_TEXT,
    JSON_VALUES,
    KENJI,
    OTHER_TEAM,
    World,
    seed_world,
    tampered,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery, SignedRequest, sign
from tests.support.tables import Snapshot, changed_tables, snapshot

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def world(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> AsyncIterator[World]:
    yield await seed_world(app, slack, requests, slack_services)


async def post_and_answer(
    app: RunningApp, slack: SlackApiDouble, request: SignedRequest
) -> tuple[int, str, list[dict[str, Any]]]:
    """POST ``request``; wait for the ephemeral answer the clicker must get; return it all."""
    before = len(slack.responses)
    status, body = await app.post(request)
    await eventually(lambda: len(slack.responses) > before)
    await settle(app)
    return status, body, [post.payload for post in slack.responses[before:]]


async def assert_nothing_stored(services: Services, before: Snapshot) -> None:
    assert changed_tables(before, await snapshot(services.database)) == {}


def ephemeral_texts(replies: list[dict[str, Any]]) -> list[str]:
    assert replies, "the person got no answer"
    assert all(reply["response_type"] == "ephemeral" for reply in replies), replies
    return [str(reply["text"]) for reply in replies]


# ---- score buttons ------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
async def test_forged_score_values_are_refused_with_an_answer(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    data: st.DataObject,
) -> None:
    survey = data.draw(
        st.one_of(
            st.sampled_from([world.survey_id, world.closed_survey_id, world.other_survey_id]),
            st.uuids().map(str),
            HOSTILE_TEXT,
        ),
        label="survey",
    )
    score = data.draw(st.one_of(st.integers(0, 10).map(str), HOSTILE_TEXT), label="score")
    # A valid score for the open survey is only hostile as a replay by Ann, who answered.
    valid = survey == world.survey_id and parse_score(score) is not None
    user = ANN if valid else data.draw(st.sampled_from([ANN, KENJI]), label="user")
    opened = len(slack.calls("views.open"))
    before = await snapshot(slack_services.database)

    status, _, replies = await post_and_answer(
        app,
        slack,
        requests.block_actions(
            user_id=user,
            action_id=f"{actions.SCORE_ACTION_PREFIX}{data.draw(st.integers(0, 99))}",
            value=f"{survey}:{score}",
        ),
    )

    assert status == 200
    t = slack_services.catalogs.translator("ja" if user == KENJI else "en")
    refusals = {t(key) for key in ("score.invalid", "survey.unknown", "answer.already")}
    assert set(ephemeral_texts(replies)) <= refusals
    assert len(slack.calls("views.open")) == opened
    await assert_nothing_stored(slack_services, before)


# ---- the reason button and form -----------------------------------------------------------


def forged_tokens(world: World) -> st.SearchStrategy[tuple[str, str]]:
    """(clicker, token) pairs that must never reach an answer."""
    foreign = st.sampled_from(
        [(KENJI, world.ann_token), (ANN, world.other_token), (KENJI, world.other_token)]
    )
    altered = st.tuples(
        st.sampled_from([ANN, KENJI]),
        st.integers(0, 200).map(lambda i: tampered(world.ann_token, i)),
    )
    garbage = st.tuples(st.sampled_from([ANN, KENJI]), HOSTILE_TEXT)
    return st.one_of(foreign, altered, garbage).filter(lambda pair: pair != (ANN, world.ann_token))


@FUZZ
@given(data=st.data())
async def test_forged_reason_buttons_open_nothing_and_say_why(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    data: st.DataObject,
) -> None:
    user, token = data.draw(forged_tokens(world), label="clicker and token")
    opened = len(slack.calls("views.open"))
    before = await snapshot(slack_services.database)

    status, _, replies = await post_and_answer(
        app,
        slack,
        requests.block_actions(user_id=user, action_id=actions.REASON_OPEN_ACTION, value=token),
    )

    assert status == 200
    t = slack_services.catalogs.translator("ja" if user == KENJI else "en")
    assert ephemeral_texts(replies) == [t("reason.expired")]
    assert len(slack.calls("views.open")) == opened
    await assert_nothing_stored(slack_services, before)


def forged_metadata(world: World, token: str) -> st.SearchStrategy[str]:
    """What a forged reason form could carry as ``private_metadata``."""
    message = world.ann_message
    form = ReasonForm(token=token, title="t", prompt="p", submit="s")
    return st.one_of(
        st.just(form.at(channel=message.channel, ts=message.ts).encode()),
        st.just(form.encode()),
        HOSTILE_TEXT,
        JSON_VALUES.map(json.dumps),
    )


@FUZZ
@given(data=st.data())
async def test_forged_reason_forms_are_answered_inside_the_form_and_change_nothing(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    data: st.DataObject,
) -> None:
    user, token = data.draw(forged_tokens(world), label="submitter and token")
    metadata = data.draw(forged_metadata(world, token), label="private_metadata")
    reason = data.draw(st.one_of(st.none(), HOSTILE_TEXT), label="reason")
    updates = len(slack.calls("chat.update"))
    before = await snapshot(slack_services.database)

    status, body = await app.post(
        requests.view_submission(
            user_id=user,
            callback_id=actions.REASON_CALLBACK,
            private_metadata=metadata,
            values={actions.REASON_BLOCK: {actions.REASON_INPUT: reason}},
        )
    )
    await settle(app)

    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert answer["errors"][actions.REASON_BLOCK].strip()
    assert len(slack.calls("chat.update")) == updates  # Ann's message was left alone
    await assert_nothing_stored(slack_services, before)


# ---- slash commands -----------------------------------------------------------------------

HARMLESS_VERBS = {Verb.UNKNOWN, Verb.REPORT, Verb.PRIVACY, Verb.HELP}


@FUZZ
@given(data=st.data())
async def test_slash_commands_with_random_text_always_answer_and_store_nothing(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    data: st.DataObject,
) -> None:
    option = st.tuples(st.sampled_from(["--by", "--period", "--survey", "--"]), HOSTILE_TEXT)
    text = data.draw(
        st.one_of(
            HOSTILE_TEXT,
            st.builds(
                lambda args, opts: " ".join(["report", *args, *(f"{k} {v}" for k, v in opts)]),
                st.lists(HOSTILE_TEXT, max_size=2),
                st.lists(option, max_size=3),
            ),
        )
        # A form field is UTF-8 on the wire: lone surrogates only travel inside JSON (they
        # are fuzzed there); their bytes in a form are invalid UTF-8, fuzzed below.
        .filter(
            lambda typed: typed.encode("utf-8", "surrogatepass") == typed.encode("utf-8", "replace")
        )
        .filter(lambda typed: parse_command(typed).verb in HARMLESS_VERBS),
        label="text",
    )
    user = data.draw(st.sampled_from([KENJI, ADMIN]), label="user")
    before = await snapshot(slack_services.database)

    status, _, replies = await post_and_answer(
        app, slack, requests.slash_command(user_id=user, text=text)
    )

    assert status == 200
    assert all(text_.strip() for text_ in ephemeral_texts(replies))
    # A report that releases nothing new (this world holds fewer than k answers) writes
    # nothing either: not even the disclosure ledger.
    await assert_nothing_stored(slack_services, before)


# ---- requests no real Slack would send, and requests Slack did not sign ------------------


def malformed_bodies(requests: SlackRequestBuilder) -> st.SearchStrategy[SignedRequest]:
    form = "application/x-www-form-urlencoded"

    def signed(body: bytes, content_type: str) -> SignedRequest:
        return sign(body, signing_secret=SECRET, content_type=content_type, now=time.time())

    raw = st.tuples(st.binary(max_size=300), st.sampled_from([form, "application/json"])).map(
        lambda pair: signed(*pair)
    )
    payload = JSON_VALUES.map(lambda value: requests.form({"payload": json.dumps(value)}))
    events = JSON_VALUES.map(
        lambda value: requests.json({"type": "event_callback", "event": value})
    )
    return st.one_of(raw, payload, events)


def mutated(payload: dict[str, Any], path: list[str], value: object, drop: bool) -> dict[str, Any]:
    """``payload`` with the field at ``path`` replaced by ``value`` (or removed)."""
    copy = json.loads(json.dumps(payload))
    node: Any = copy
    for key in path[:-1]:
        node = node[key] if isinstance(node, dict) else node[int(key)]
    leaf = path[-1]
    if isinstance(node, dict):
        if drop:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    else:
        node[int(leaf)] = value
    return copy


def leaf_paths(value: Any, prefix: list[str] | None = None) -> list[list[str]]:
    prefix = prefix or []
    if isinstance(value, dict):
        found = [[*prefix, key] for key in value]
        for key, inner in value.items():
            found += leaf_paths(inner, [*prefix, key])
        return found
    if isinstance(value, list):
        found = [[*prefix, str(i)] for i in range(len(value))]
        for index, inner in enumerate(value):
            found += leaf_paths(inner, [*prefix, str(index)])
        return found
    return []


def interaction_payload(request: SignedRequest) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(parse_qs(request.body.decode())["payload"][0])
    return loaded


@FUZZ
@given(data=st.data())
async def test_malformed_and_mistyped_requests_never_get_a_server_error_or_store(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    data: st.DataObject,
) -> None:
    # Requests Slack could send, each refused or harmless as it is; one field is then
    # given a wrong type, a random value, or taken away.
    honest = [
        requests.block_actions(
            user_id=KENJI,
            action_id=actions.score_action_id(9),
            value=f"{world.closed_survey_id}:9",
        ),
        requests.block_actions(
            user_id=KENJI, action_id=actions.REASON_OPEN_ACTION, value=world.ann_token
        ),
        requests.view_submission(
            user_id=KENJI,
            callback_id=actions.REASON_CALLBACK,
            private_metadata=ReasonForm(token=world.ann_token, title="", prompt="", submit="")
            .at(channel=world.ann_message.channel, ts=world.ann_message.ts)
            .encode(),
            values={actions.REASON_BLOCK: {actions.REASON_INPUT: "hijacked"}},
        ),
        requests.block_actions(user_id=KENJI, action_id=actions.STOP_ACTION, value="x"),
        requests.block_actions(user_id=KENJI, action_id=actions.HOME_TOGGLE_ACTION, value="optout"),
    ]
    base = interaction_payload(data.draw(st.sampled_from(honest), label="honest request"))
    path = data.draw(st.sampled_from(leaf_paths(base)), label="path")
    value = data.draw(JSON_VALUES, label="value")
    mistyped = requests.form(
        {"payload": json.dumps(mutated(base, path, value, drop=data.draw(st.booleans())))}
    )
    request = data.draw(st.one_of(st.just(mistyped), malformed_bodies(requests)), label="request")
    before = await snapshot(slack_services.database)

    status, _ = await app.post(request)
    await settle(app)

    assert status < 500
    changed = changed_tables(before, await snapshot(slack_services.database))
    # A mistyped field may leave an honest request intact enough to be served (Kenji
    # stopping, say): only then may a row change, and only Kenji's own opt-out.
    assert set(changed) <= {"opt_out"}


async def test_a_form_whose_response_urls_or_values_are_mistyped_gets_400_and_stores_nothing(
    app: RunningApp,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
) -> None:
    # Bolt's context extraction takes len() of response_urls unchecked: a null one
    # answered 500 before this was refused like every other mistyped field.
    form = interaction_payload(
        requests.view_submission(
            user_id=KENJI,
            callback_id=actions.REASON_CALLBACK,
            private_metadata=ReasonForm(token=world.ann_token, title="", prompt="", submit="")
            .at(channel=world.ann_message.channel, ts=world.ann_message.ts)
            .encode(),
            values={actions.REASON_BLOCK: {actions.REASON_INPUT: "hijacked"}},
        )
    )
    before = await snapshot(slack_services.database)
    for value in (None, 3, "https://example.com", [7], [{}, {}]):
        broken = {key: item for key, item in form.items() if key != "response_url"}
        request = requests.form({"payload": json.dumps({**broken, "response_urls": value})})
        status, _ = await app.post(request)
        assert status == 400, value
    for value in (None, 3, "values", [7], {"reason": None}, {"reason": {"reason_text": 5}}):
        view = {**form["view"], "state": {"values": value}}
        request = requests.form({"payload": json.dumps({**form, "view": view})})
        status, _ = await app.post(request)
        assert status == 400, value
    await settle(app)
    assert changed_tables(before, await snapshot(slack_services.database)) == {}


@FUZZ
@given(
    delivery=st.sampled_from([Delivery(stale=True), Delivery(bad_signature=True), None]),
    which=st.integers(0, 3),
)
async def test_unsigned_and_replayed_requests_get_401_and_reach_nothing(
    app: RunningApp,
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
    world: World,
    delivery: Delivery | None,
    which: int,
) -> None:
    signed = Delivery() if delivery is None else delivery
    candidates = [
        requests.block_actions(
            user_id=KENJI,
            action_id=actions.score_action_id(9),
            value=f"{world.survey_id}:9",
            delivery=signed,
        ),
        requests.slash_command(user_id=KENJI, text="optout", delivery=signed),
        requests.view_submission(
            user_id=ANN,
            callback_id=actions.REASON_CALLBACK,
            private_metadata=ReasonForm(
                token=world.ann_token, title="", prompt="", submit=""
            ).encode(),
            values={actions.REASON_BLOCK: {actions.REASON_INPUT: "replayed"}},
            delivery=signed,
        ),
        requests.app_home_opened(user_id=KENJI, delivery=signed),
    ]
    request = candidates[which]
    if delivery is None:  # no signature headers at all
        headers = {
            key: value for key, value in request.headers.items() if not key.startswith("X-Slack-")
        }
        request = SignedRequest(request.body, headers)
    calls = len(slack.calls())
    before = await snapshot(slack_services.database)

    status, _ = await app.post(request)
    await settle(app)

    assert status == 401
    assert len(slack.calls()) == calls
    await assert_nothing_stored(slack_services, before)


# ---- other workspaces ---------------------------------------------------------------------


async def test_a_request_naming_another_workspace_cannot_reach_its_surveys(
    app: RunningApp, slack: SlackApiDouble, slack_services: Services, world: World
) -> None:
    """This installation's token serves one workspace: a request claiming another one
    (with that workspace's real survey id) is answered as this workspace's, where the
    survey does not exist."""
    elsewhere = SlackRequestBuilder(
        signing_secret=SECRET, team_id=OTHER_TEAM, response_url_base=slack.hooks_url
    )
    before = await snapshot(slack_services.database)

    status, _, replies = await post_and_answer(
        app,
        slack,
        elsewhere.block_actions(
            user_id=KENJI,
            action_id=actions.score_action_id(9),
            value=f"{world.other_survey_id}:9",
        ),
    )

    assert status == 200
    ja = slack_services.catalogs.translator("ja")
    assert ephemeral_texts(replies) == [ja("survey.unknown")]
    await assert_nothing_stored(slack_services, before)
