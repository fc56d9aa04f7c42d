"""The real Slack app in HTTP mode on loopback, wired to the Web API double and a real database."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.platform import SlackPlatform
from adapters.slack.server import EVENTS_PATH, http_server
from bot.runtime.lifecycle import InFlight
from bot.runtime.services import Services
from storage.models import Response
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest
from tests.support.waiting import HANG_GUARD_SECONDS
from tests.support.waiting import eventually as eventually  # shared by this package's tests

SECRET = "slack-test-signing-secret"
TOKEN = "xoxb-slack-test-token"
LISTED_ADMIN = "U0LISTED1"


@dataclasses.dataclass
class RunningApp:
    """The app under test: where it listens, how to post to it, and its Platform."""

    origin: str
    platform: SlackPlatform
    session: aiohttp.ClientSession
    inflight: InFlight
    """The requests being handled and the listeners they started (as ``nps-bot run``
    tracks them for a graceful stop)."""

    async def post(self, request: SignedRequest) -> tuple[int, str]:
        """POST a signed request to /slack/events; answer (status, body text)."""
        async with self.session.post(
            f"{self.origin}{EVENTS_PATH}", data=request.body, headers=request.headers
        ) as response:
            return response.status, await response.text()


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            SlackUser(id="U0ANN0001", name="ann"),
            SlackUser(id="U0KENJI01", name="kenji", locale="ja-JP", tz="Asia/Tokyo"),
            SlackUser(id="U0ADMIN01", name="boss", is_admin=True),
            SlackUser(id=LISTED_ADMIN, name="lead"),
            SlackUser(id="U0GONE001", name="gone", deleted=True),
        )
        double.workspace.add_channel("C0NPSGEN1", members=["U0ANN0001", "U0ADMIN01"])
        yield double


@pytest.fixture
def requests(slack: SlackApiDouble) -> SlackRequestBuilder:
    return SlackRequestBuilder(signing_secret=SECRET, response_url_base=slack.hooks_url)


@pytest.fixture
def slack_services(services: Services) -> Services:
    """The shared services the app below serves."""
    return services


@pytest.fixture
async def app(slack: SlackApiDouble, slack_services: Services) -> AsyncIterator[RunningApp]:
    """The app, with one person named an admin as ``SLACK_ADMIN_USER_IDS`` names them."""
    client = build_client(token=TOKEN, base_url=slack.base_url)
    bolt, platform = create_app(
        slack_services, client=client, signing_secret=SECRET, admin_ids=[LISTED_ADMIN]
    )
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    async with (
        http_server(bolt, host="127.0.0.1", port=0, inflight=inflight) as origin,
        aiohttp.ClientSession() as session,
    ):
        yield RunningApp(origin=origin, platform=platform, session=session, inflight=inflight)


async def settle(app: RunningApp) -> None:
    """Wait until every listener running after an ack has done (or not done) its work.

    It waits for the work itself, however slow the machine, never for a guessed time.
    """
    deadline = asyncio.get_running_loop().time() + HANG_GUARD_SECONDS
    cancelled = await app.inflight.drain(deadline=deadline)
    assert cancelled == 0, (
        f"{cancelled} listeners hung: still running after {HANG_GUARD_SECONDS:g} s"
    )


async def count_responses(services: Services) -> int:
    async with services.database.transaction() as session:
        result = await session.execute(select(func.count()).select_from(Response))
        return int(result.scalar_one())


async def stored_responses(services: Services) -> list[Response]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Response))).scalars())


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button element in ``blocks``, in order."""
    return [
        element
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("type") == "button"
    ]


def text_objects(payload: Any) -> Iterator[dict[str, Any]]:
    """Every Block Kit text object (``plain_text``/``mrkdwn``) anywhere in ``payload``."""
    if isinstance(payload, dict):
        if payload.get("type") in {"plain_text", "mrkdwn"} and "text" in payload:
            yield payload
        for value in payload.values():
            yield from text_objects(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from text_objects(item)
