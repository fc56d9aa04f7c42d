"""The send API of a process connected to several workspaces, or to none yet."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.ops.endpoints import ops_routes
from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.server import http_server
from bot.ports.reach import Reach
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from tests.adapters.slack.conftest import LISTED_ADMIN, SECRET, TOKEN
from tests.adapters.slack.test_send_api import ANN, API_TOKEN, dms, post
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.doubles.slack_workspace import SlackWorkspace
from tests.support.ops import context_for

OTHER_TOKEN = "xoxb-other-workspace"
MIO = "U0MIO0001"


async def reach_of(services: Services, slack: SlackApiDouble, *, token: str) -> Reach:
    client = build_client(token=token, base_url=slack.base_url)
    _, platform = create_app(services, client=client, signing_secret=None, admin_ids=[LISTED_ADMIN])
    return Reach(platform=platform, tenant=await platform.team_id())


async def serving(
    services: Services, slack: SlackApiDouble, reaches: Reaches
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    bolt, _ = create_app(services, client=client, signing_secret=SECRET, admin_ids=[LISTED_ADMIN])
    ops = ops_routes(context_for(services, reaches=reaches, api_token=API_TOKEN))
    async with (
        http_server(bolt, host="127.0.0.1", port=0, ops=ops) as origin,
        aiohttp.ClientSession() as session,
    ):
        yield origin, session


@pytest.fixture
def other(slack: SlackApiDouble) -> SlackWorkspace:
    """A second workspace on the double, where Mio is a member."""
    workspace = SlackWorkspace(team_id="T0OTHER01", team_domain="other", team_name="Other")
    workspace.add_user(SlackUser(id=MIO, name="mio"))
    slack.add_workspace(workspace, bot_token=OTHER_TOKEN)
    return workspace


@pytest.fixture
async def two_workspaces(
    slack: SlackApiDouble, slack_services: Services, other: SlackWorkspace
) -> Reaches:
    reaches = Reaches()
    for token in (TOKEN, OTHER_TOKEN):
        await reaches.connected(await reach_of(slack_services, slack, token=token))
    return reaches


async def test_before_any_workspace_connects_the_answer_is_503(
    slack: SlackApiDouble, slack_services: Services
) -> None:
    async for server in serving(slack_services, slack, Reaches()):
        status, body, headers = await post(server, "support", {"user": ANN})
        assert (status, body["error"]) == (503, "not_connected")
        assert headers["Retry-After"] == "5"
    assert slack.calls("chat.postMessage") == []


async def test_a_name_two_workspaces_use_is_refused_and_the_id_picks_one(
    slack: SlackApiDouble, slack_services: Services, other: SlackWorkspace, two_workspaces: Reaches
) -> None:
    now = slack_services.clock()
    surveys = [
        await create_survey(
            slack_services.database,
            platform="slack",
            tenant=team,
            spec=SurveySpec(name="support"),
            now=now,
            default_locale="en",
        )
        for team in (slack.workspace.team_id, other.team_id)
    ]
    async for server in serving(slack_services, slack, two_workspaces):
        status, body, _ = await post(server, "support", {"user": MIO})
        assert (status, body["error"]) == (409, "ambiguous_survey")
        assert slack.calls("chat.postMessage") == []

        status, body, _ = await post(server, str(surveys[1].id), {"user": MIO})
        assert (status, body) == (200, {"result": "sent"})
    assert len(other.messages_in(other.dm_channel(MIO))) == 1
    assert dms(slack, MIO) == 0


async def test_a_name_only_one_workspace_uses_is_found_there(
    slack: SlackApiDouble, slack_services: Services, other: SlackWorkspace, two_workspaces: Reaches
) -> None:
    await create_survey(
        slack_services.database,
        platform="slack",
        tenant=other.team_id,
        spec=SurveySpec(name="onboarding"),
        now=slack_services.clock(),
        default_locale="en",
    )
    async for server in serving(slack_services, slack, two_workspaces):
        status, body, _ = await post(server, "onboarding", {"user": MIO})
        assert (status, body) == (200, {"result": "sent"})
    assert len(other.messages_in(other.dm_channel(MIO))) == 1
