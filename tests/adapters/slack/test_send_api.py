"""POST /api/surveys/{survey}/send over real HTTP, beside /slack/events, on the Web API double."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError

from adapters.ops.endpoints import ops_routes
from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.server import http_server
from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from bot.usecases.surveys import SurveySpec, create_survey
from storage.models import Survey
from tests.adapters.slack.conftest import LISTED_ADMIN, SECRET, TOKEN
from tests.doubles.slack_api import SlackApiDouble
from tests.support.ops import context_for

API_TOKEN = "t" * 40
ANN = "U0ANN0001"
KENJI = "U0KENJI01"


@pytest.fixture
async def survey(slack_services: Services, slack: SlackApiDouble) -> Survey:
    return await create_survey(
        slack_services.database,
        platform="slack",
        tenant=slack.workspace.team_id,
        spec=SurveySpec(name="support"),
        now=slack_services.clock(),
        default_locale="en",
    )


async def running(
    slack: SlackApiDouble, services: Services, *, api: bool
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    bolt, platform = create_app(
        services, client=client, signing_secret=SECRET, admin_ids=[LISTED_ADMIN]
    )
    reaches = Reaches()
    await reaches.connected(Reach(platform=platform, tenant=await platform.team_id()))
    ops = ops_routes(context_for(services, reaches=reaches, api_token=API_TOKEN if api else None))
    async with (
        http_server(bolt, host="127.0.0.1", port=0, ops=ops) as origin,
        aiohttp.ClientSession() as session,
    ):
        yield origin, session


@pytest.fixture
async def server(
    slack: SlackApiDouble, slack_services: Services
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    async for served in running(slack, slack_services, api=True):
        yield served


async def post(
    server: tuple[str, aiohttp.ClientSession],
    survey: str,
    body: Any,
    *,
    token: str | None = API_TOKEN,
    raw: bytes | None = None,
) -> tuple[int, dict[str, Any], dict[str, str]]:
    origin, session = server
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else aiohttp.payload.JsonPayload(body)
    async with session.post(
        f"{origin}/api/surveys/{survey}/send", data=data, headers=headers
    ) as response:
        return response.status, await response.json(), dict(response.headers)


def dms(slack: SlackApiDouble, user_id: str) -> int:
    return len(slack.workspace.messages_in(slack.workspace.dm_channel(user_id)))


async def test_sends_once_then_answers_not_eligible(
    server: tuple[str, aiohttp.ClientSession], slack: SlackApiDouble, survey: Survey
) -> None:
    status, body, _ = await post(server, str(survey.id), {"user": ANN})
    assert (status, body) == (200, {"result": "sent"})
    assert dms(slack, ANN) == 1

    # Inside the frequency cap (and with the first ask still open): skipped, and not why.
    status, body, _ = await post(server, survey.name, {"user": ANN})
    assert (status, body) == (200, {"result": "not_eligible"})
    assert dms(slack, ANN) == 1


async def test_by_name_and_opted_out_people_are_not_eligible(
    server: tuple[str, aiohttp.ClientSession],
    slack: SlackApiDouble,
    slack_services: Services,
    survey: Survey,
) -> None:
    await slack_services.engine.opt_out(
        Person(platform="slack", tenant=slack.workspace.team_id, user_id=KENJI)
    )
    status, body, _ = await post(server, survey.name, {"user": KENJI})
    assert (status, body) == (200, {"result": "not_eligible"})
    assert slack.calls("chat.postMessage") == []

    status, body, _ = await post(server, survey.name, {"user": "U0NOBODY1"})
    assert (status, body) == (200, {"result": "not_eligible"})
    assert slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("token", [None, "", "x" * 40, API_TOKEN + "x", API_TOKEN[:-1]])
async def test_without_the_token_nothing_is_sent(
    server: tuple[str, aiohttp.ClientSession],
    slack: SlackApiDouble,
    survey: Survey,
    token: str | None,
) -> None:
    status, body, headers = await post(server, str(survey.id), {"user": ANN}, token=token)
    assert status == 401
    assert body["error"] == "unauthorized"
    assert headers["WWW-Authenticate"].startswith("Bearer")
    assert slack.calls("chat.postMessage") == []


async def test_another_scheme_is_refused(
    server: tuple[str, aiohttp.ClientSession], slack: SlackApiDouble, survey: Survey
) -> None:
    origin, session = server
    headers = {"Authorization": f"Basic {API_TOKEN}"}
    async with session.post(
        f"{origin}/api/surveys/{survey.id}/send", json={"user": ANN}, headers=headers
    ) as response:
        assert response.status == 401
    assert slack.calls("chat.postMessage") == []


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"U0ANN0001"',
        b"{}",
        b'{"user": 12}',
        b'{"user": null}',
        b'{"user": ""}',
        b'{"user": "U0ANN0001", "extra": 1}',
        b'{"user": "<!channel>"}',
        b'{"user": "' + b"U" * 65 + b'"}',
        b'{"user": "U0ANN0001", "pad": "' + b"x" * 2000 + b'"}',
    ],
)
async def test_bad_bodies_get_a_clear_400(
    server: tuple[str, aiohttp.ClientSession], slack: SlackApiDouble, survey: Survey, raw: bytes
) -> None:
    status, body, _ = await post(server, str(survey.id), None, raw=raw)
    assert status == 400
    assert body["error"] == "invalid_body"
    assert body["detail"]
    assert slack.calls("chat.postMessage") == []


async def test_unknown_surveys_and_other_workspaces_surveys_are_404(
    server: tuple[str, aiohttp.ClientSession],
    slack: SlackApiDouble,
    slack_services: Services,
    survey: Survey,
) -> None:
    elsewhere = await create_survey(
        slack_services.database,
        platform="slack",
        tenant="T0OTHER01",
        spec=SurveySpec(name="theirs"),
        now=slack_services.clock(),
        default_locale="en",
    )
    for ref in (str(uuid.uuid4()), "nope", str(elsewhere.id), "theirs"):
        status, body, _ = await post(server, ref, {"user": ANN})
        assert (status, body["error"]) == (404, "unknown_survey")
    assert slack.calls("chat.postMessage") == []


async def test_the_route_does_not_exist_without_a_token(
    slack: SlackApiDouble, slack_services: Services, survey: Survey
) -> None:
    async for origin, session in running(slack, slack_services, api=False):
        headers = {"Authorization": f"Bearer {API_TOKEN}"}
        async with session.post(
            f"{origin}/api/surveys/{survey.id}/send", json={"user": ANN}, headers=headers
        ) as response:
            assert response.status == 404
    assert slack.calls("chat.postMessage") == []


def test_a_short_api_token_is_refused() -> None:
    with pytest.raises(ValidationError, match="API_TOKEN must be at least 32"):
        Settings(_env_file=None, api_token="short")
    assert Settings(_env_file=None, api_token=API_TOKEN).api_token is not None


async def test_a_long_chunked_body_is_refused_without_a_length(
    server: tuple[str, aiohttp.ClientSession], slack: SlackApiDouble, survey: Survey
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"user": "U0ANN0001", "pad": "'
        for _ in range(8):
            yield b"x" * 512
        yield b'"}'

    origin, session = server
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    async with session.post(
        f"{origin}/api/surveys/{survey.id}/send", data=chunks(), headers=headers
    ) as response:
        assert response.request_info.headers.get("Transfer-Encoding") == "chunked"
        assert response.status == 400
        assert (await response.json())["error"] == "invalid_body"
    assert slack.calls("chat.postMessage") == []
