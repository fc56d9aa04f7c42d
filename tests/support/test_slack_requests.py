"""Signed Slack requests are accepted (or refused) by slack_sdk and by a real Bolt app."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.loopback import serve_on_loopback
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery, SignedRequest
from tests.support.waiting import HANG_GUARD_SECONDS

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
FIXED_NOW = 1_750_000_000.0


def test_signatures_follow_the_v0_scheme() -> None:
    requests = SlackRequestBuilder(signing_secret=SECRET, clock=lambda: FIXED_NOW)
    verifier = SignatureVerifier(SECRET, clock=_FixedClock())

    honest = requests.slash_command(user_id="U1")
    stale = requests.slash_command(user_id="U1", delivery=Delivery(stale=True))
    forged = requests.slash_command(user_id="U1", delivery=Delivery(bad_signature=True))

    assert honest.headers["X-Slack-Request-Timestamp"] == str(int(FIXED_NOW))
    assert verifier.is_valid_request(honest.body, honest.headers)
    assert not verifier.is_valid_request(stale.body, stale.headers)
    assert not verifier.is_valid_request(forged.body, forged.headers)
    assert SignatureVerifier(SECRET).is_valid_request(honest.body, honest.headers) is False


def test_retry_headers_are_added_only_to_redeliveries() -> None:
    requests = SlackRequestBuilder(signing_secret=SECRET)

    first = requests.direct_message(user_id="U1", text="hi", event_id="Ev1")
    retry = requests.direct_message(
        user_id="U1", text="hi", event_id="Ev1", delivery=Delivery(retry_num=2)
    )

    assert "X-Slack-Retry-Num" not in first.headers
    assert retry.headers["X-Slack-Retry-Num"] == "2"
    assert retry.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert json.loads(retry.body)["event_id"] == json.loads(first.body)["event_id"]


def test_slash_command_carries_every_field_slack_sends() -> None:
    requests = SlackRequestBuilder(signing_secret=SECRET)

    body, headers = requests.slash_command(user_id="U1", text="report q3", channel_id="C9")

    fields = {key: values[0] for key, values in parse_qs(body.decode()).items()}
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert set(fields) >= {
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id",
        "user_name", "command", "text", "api_app_id", "response_url", "trigger_id",
    }  # fmt: skip
    assert (fields["command"], fields["text"], fields["channel_id"]) == ("/nps", "report q3", "C9")


async def test_bolt_acks_a_signed_slash_command_and_calls_the_double(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    slack.workspace.add_user(SlackUser(id="U1", name="ann"))
    app = bolt_app(slack)
    looked_up = asyncio.Event()

    @app.command("/nps")
    async def nps(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack(f"received {command['text']}")
        await client.users_info(user=command["user_id"])
        looked_up.set()

    async with running(app) as post:
        status, body = await post(requests.slash_command(user_id="U1", text="report"))
        await asyncio.wait_for(looked_up.wait(), timeout=HANG_GUARD_SECONDS)
        second_status, _ = await post(requests.slash_command(user_id="U1", text="again"))

    assert (status, second_status) == (200, 200)
    assert body == "received report"
    assert slack.last("users.info").params["user"] == "U1"
    assert slack.last("users.info").token == TOKEN
    # The single-workspace authorization asks auth.test once and caches the answer.
    assert len(slack.calls("auth.test")) == 1


@pytest.mark.parametrize("delivery", [Delivery(bad_signature=True), Delivery(stale=True)])
async def test_bolt_refuses_unverifiable_requests(
    slack: SlackApiDouble, requests: SlackRequestBuilder, delivery: Delivery
) -> None:
    app = bolt_app(slack)
    handled: list[str] = []

    @app.command("/nps")
    async def nps(ack: AsyncAck, command: dict[str, Any]) -> None:
        handled.append(command["text"])
        await ack()

    async with running(app) as post:
        status, _ = await post(requests.slash_command(user_id="U1", delivery=delivery))

    assert status == 401
    assert handled == []
    assert slack.calls() == []


async def test_block_actions_reach_the_action_listener(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    slack.workspace.add_user(SlackUser(id="U1", name="ann"))
    posted = await AsyncWebClient(base_url=slack.base_url, token=TOKEN).chat_postMessage(
        channel="U1", text="How likely...?"
    )
    app = bolt_app(slack)
    clicks: list[tuple[str, str, str]] = []

    @app.action("nps_score")
    async def score(ack: AsyncAck, action: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        clicks.append((action["value"], body["container"]["message_ts"], body["user"]["id"]))

    async with running(app) as post:
        status, _ = await post(
            requests.block_actions(
                user_id="U1",
                action_id="nps_score",
                value="9",
                channel_id=posted["channel"],
                message=posted["message"],
            )
        )

    assert status == 200
    assert clicks == [("9", posted["ts"], "U1")]


async def test_respond_to_an_ephemeral_click_lands_on_the_double(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    app = bolt_app(slack)
    replied = asyncio.Event()

    @app.action("nps_score")
    async def score(ack: AsyncAck, respond: AsyncRespond, body: dict[str, Any]) -> None:
        await ack()
        assert "message" not in body
        await respond(text="Thanks!", replace_original=True)
        replied.set()

    async with running(app) as post:
        request = requests.block_actions(
            user_id="U1", action_id="nps_score", value="3", is_ephemeral=True
        )
        status, _ = await post(request)
        await asyncio.wait_for(replied.wait(), timeout=HANG_GUARD_SECONDS)

    assert status == 200
    (response,) = slack.responses
    assert response.payload["text"] == "Thanks!"
    assert response.payload["replace_original"] is True


async def test_view_submission_and_close_reach_the_view_listeners(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    app = bolt_app(slack)
    seen: list[tuple[str, str, str | None]] = []

    @app.view("nps_reason")
    async def submitted(ack: AsyncAck, view: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        text = view["state"]["values"]["reason"]["reason_text"]["value"]
        seen.append((body["type"], view["private_metadata"], text))

    @app.view_closed("nps_reason")
    async def closed(ack: AsyncAck, view: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        seen.append((body["type"], view["private_metadata"], None))

    async with running(app) as post:
        submit_status, _ = await post(
            requests.view_submission(
                user_id="U1",
                callback_id="nps_reason",
                private_metadata="wave-7",
                values={"reason": {"reason_text": "Great support"}},
            )
        )
        close_status, _ = await post(
            requests.view_closed(user_id="U1", callback_id="nps_reason", private_metadata="w8")
        )

    assert (submit_status, close_status) == (200, 200)
    assert seen == [("view_submission", "wave-7", "Great support"), ("view_closed", "w8", None)]


async def test_events_reach_listeners_with_their_retry_headers(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    app = bolt_app(slack)
    events: list[tuple[str, str, str | None]] = []
    both = asyncio.Event()

    @app.event("app_home_opened")
    async def home(ack: AsyncAck, event: dict[str, Any], request: AsyncBoltRequest) -> None:
        await ack()
        events.append((event["type"], event["user"], retry_num(request)))

    @app.event("message")
    async def message(ack: AsyncAck, event: dict[str, Any], request: AsyncBoltRequest) -> None:
        await ack()
        events.append((event["channel_type"], event["text"], retry_num(request)))
        both.set()

    async with running(app) as post:
        home_status, _ = await post(requests.app_home_opened(user_id="U1"))
        dm_status, _ = await post(
            requests.direct_message(user_id="U1", text="hello", delivery=Delivery(retry_num=1))
        )
        await asyncio.wait_for(both.wait(), timeout=HANG_GUARD_SECONDS)

    assert (home_status, dm_status) == (200, 200)
    assert sorted(events) == [("app_home_opened", "U1", None), ("im", "hello", "1")]


async def test_url_verification_is_answered_with_the_challenge(
    slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    async with running(bolt_app(slack)) as post:
        status, body = await post(requests.url_verification(challenge="c-123"))

    assert status == 200
    assert json.loads(body) == {"challenge": "c-123"}


# ---- fixtures and helpers ------------------------------------------------------------------


class _FixedClock(Clock):
    def now(self) -> float:
        return FIXED_NOW


def retry_num(request: AsyncBoltRequest) -> str | None:
    values = request.headers.get("x-slack-retry-num")
    return values[0] if values else None


def bolt_app(slack: SlackApiDouble) -> AsyncApp:
    """A real Bolt app whose Web API client lands on the double (token only via the client)."""
    client = AsyncWebClient(base_url=slack.base_url, token=TOKEN)
    return AsyncApp(signing_secret=SECRET, client=client)


# Posts one signed request to the app; answers its HTTP status and body text.
Post = Callable[[SignedRequest], Awaitable[tuple[int, str]]]


@asynccontextmanager
async def running(app: AsyncApp) -> AsyncIterator[Post]:
    """Serve ``app`` at ``/slack/events`` on loopback; yield a function that posts to it."""
    async with (
        serve_on_loopback(app.web_app(path="/slack/events")) as origin,
        aiohttp.ClientSession() as session,
    ):

        async def post(request: SignedRequest) -> tuple[int, str]:
            async with session.post(
                f"{origin}/slack/events", data=request.body, headers=request.headers
            ) as response:
                return response.status, await response.text()

        yield post


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble() as double:
        yield double


@pytest.fixture
def requests(slack: SlackApiDouble) -> SlackRequestBuilder:
    return SlackRequestBuilder(signing_secret=SECRET, response_url_base=slack.hooks_url)
