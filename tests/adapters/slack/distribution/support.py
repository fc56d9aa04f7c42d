"""Distribution mode under test: the real app on loopback, two workspaces on the Web API double.

`Installer` walks a browser through ``/slack/install`` and ``/slack/oauth_redirect`` as
Slack would: the install answer sets the state cookie and redirects to the authorize
page; Slack grants a code (on the double) and sends the browser back with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from cryptography.fernet import Fernet

from adapters.slack.distribution.app import Distribution, create_distribution_app
from adapters.slack.server import EVENTS_PATH, http_server
from adapters.slack.settings import SlackSettings
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_oauth import OAuthGrants
from tests.doubles.slack_records import SlackUser
from tests.doubles.slack_workspace import SlackWorkspace
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest

SECRET = "slack-test-signing-secret"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-of-the-app"
TOKEN_A = "xoxb-team-a-0000000000-1111111111-aaaaaaaaaaaaaaaaaaaaaaaa"
TOKEN_B = "xoxb-team-b-0000000000-2222222222-bbbbbbbbbbbbbbbbbbbbbbbb"
TEAM_A = "T0NPS0001"
TEAM_B = "T0NPS0002"
ADMIN_A = "U0ADMIN01"
ADMIN_B = "U0ADMIN02"
ANN = "U0ANN0001"
BOB = "U0BOB0001"


def workspace_a() -> SlackWorkspace:
    workspace = SlackWorkspace(team_id=TEAM_A, team_domain="team-a", team_name="Team A")
    workspace.add_user(
        SlackUser(id=ANN, name="ann"), SlackUser(id=ADMIN_A, name="boss-a", is_admin=True)
    )
    workspace.add_channel("C0NPSGEN1", members=[ANN, ADMIN_A])
    return workspace


def workspace_b() -> SlackWorkspace:
    workspace = SlackWorkspace(
        team_id=TEAM_B,
        team_domain="team-b",
        team_name="Team B",
        bot_user_id="U0NPSBOT2",
        bot_id="B0NPSBOT2",
    )
    workspace.add_user(
        SlackUser(id=BOB, name="bob"), SlackUser(id=ADMIN_B, name="boss-b", is_admin=True)
    )
    workspace.add_channel("C0NPSGEN2", members=[BOB, ADMIN_B])
    return workspace


def distribution_settings(slack: SlackApiDouble, **changes: object) -> SlackSettings:
    """Slack settings of distribution mode against ``slack`` (and ``changes``), read from
    no environment."""
    settings = SlackSettings(
        _env_file=None,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        signing_secret=SECRET,
        api_base_url=slack.base_url,
        token_encryption_key=Fernet.generate_key().decode(),
    )
    return settings.model_copy(update=changes)


@dataclass
class Installer:
    """A browser and the Slack side of the install flow."""

    origin: str
    session: aiohttp.ClientSession
    grants: OAuthGrants

    async def start(self) -> tuple[aiohttp.ClientResponse, str, str]:
        """GET /slack/install: (answer, the authorize URL, the state cookie's value)."""
        async with self.session.get(
            f"{self.origin}/slack/install", allow_redirects=False
        ) as answer:
            await answer.read()
        cookies = SimpleCookie()
        for header in answer.headers.getall("Set-Cookie", []):
            cookies.load(header)
        cookie = cookies["slack-app-oauth-state"].value if cookies else ""
        return answer, answer.headers.get("Location", ""), cookie

    async def finish(self, *, code: str, state: str | None, cookie: str | None) -> tuple[int, str]:
        """GET /slack/oauth_redirect as the browser Slack sent back."""
        query = {"code": code} | ({"state": state} if state is not None else {})
        headers = {"Cookie": f"slack-app-oauth-state={cookie}"} if cookie is not None else {}
        async with self.session.get(
            f"{self.origin}/slack/oauth_redirect", params=query, headers=headers
        ) as answer:
            return answer.status, await answer.text()

    async def install(self, workspace: SlackWorkspace, *, bot_token: str, code: str) -> int:
        """The whole flow for ``workspace``; returns the redirect endpoint's status."""
        _, location, cookie = await self.start()
        state = parse_qs(urlsplit(location).query)["state"][0]
        self.grants.grant(code=code, workspace=workspace, bot_token=bot_token)
        status, _ = await self.finish(code=code, state=state, cookie=cookie)
        return status


@dataclass
class RunningDistribution:
    origin: str
    session: aiohttp.ClientSession
    distribution: Distribution
    reaches: Reaches
    installer: Installer
    services: Services
    settings: SlackSettings

    async def post(self, request: SignedRequest) -> tuple[int, str]:
        async with self.session.post(
            f"{self.origin}{EVENTS_PATH}", data=request.body, headers=request.headers
        ) as response:
            return response.status, await response.text()


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(workspace=workspace_a(), token=TOKEN_A) as double:
        yield double


@pytest.fixture
def dist_settings(slack: SlackApiDouble) -> SlackSettings:
    return distribution_settings(slack)


@asynccontextmanager
async def serving(
    services: Services, settings: SlackSettings, slack: SlackApiDouble
) -> AsyncIterator[RunningDistribution]:
    """The distribution app of ``settings`` on loopback, installed through ``slack``."""
    reaches = Reaches()
    distribution = create_distribution_app(
        services, settings, signing_secret=SECRET, reaches=reaches, per_second=50.0
    )
    grants = slack.accept_app(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    async with (
        http_server(distribution.app, host="127.0.0.1", port=0) as origin,
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session,
    ):
        yield RunningDistribution(
            origin=origin,
            session=session,
            distribution=distribution,
            reaches=reaches,
            installer=Installer(origin=origin, session=session, grants=grants),
            services=services,
            settings=settings,
        )


@pytest.fixture
async def running(
    slack: SlackApiDouble, services: Services, dist_settings: SlackSettings
) -> AsyncIterator[RunningDistribution]:
    async with serving(services, dist_settings, slack) as app:
        yield app


def requests_for(slack: SlackApiDouble, workspace: SlackWorkspace) -> SlackRequestBuilder:
    """Signed requests as Slack sends them from ``workspace``."""
    return SlackRequestBuilder(
        signing_secret=SECRET,
        team_id=workspace.team_id,
        team_domain=workspace.team_domain,
        bot_user_id=workspace.bot_user_id,
        bot_id=workspace.bot_id,
        response_url_base=slack.hooks_url,
    )
