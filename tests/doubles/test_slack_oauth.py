"""The Web API double's ``oauth.v2.access`` and per-token workspaces, through slack_sdk."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_workspace import SlackWorkspace

OTHER = "xoxb-other-workspace"


async def test_a_granted_code_works_once_and_its_token_reaches_its_workspace() -> None:
    async with SlackApiDouble(token="xoxb-first") as slack:
        grants = slack.accept_app(client_id="1.2", client_secret="s3cret")
        other = SlackWorkspace(team_id="T0OTHER01", team_name="Other")
        grants.grant(code="c", workspace=other, bot_token=OTHER)
        client = AsyncWebClient(base_url=slack.base_url)

        answer = await client.oauth_v2_access(client_id="1.2", client_secret="s3cret", code="c")

        assert answer["access_token"] == OTHER
        assert answer["team"] == {"id": "T0OTHER01", "name": "Other"}
        assert (await client.auth_test(token=OTHER))["team_id"] == "T0OTHER01"
        assert (await client.auth_test(token="xoxb-first"))["team_id"] == "T0NPS0001"
        with pytest.raises(SlackApiError, match="invalid_code"):
            await client.oauth_v2_access(client_id="1.2", client_secret="s3cret", code="c")
        with pytest.raises(SlackApiError, match="invalid_auth"):
            await client.auth_test(token="xoxb-unknown")


@pytest.mark.parametrize(
    ("client_id", "secret", "error"),
    [("9.9", "s3cret", "invalid_client_id"), ("1.2", "wrong", "bad_client_secret")],
)
async def test_wrong_app_credentials_are_refused(client_id: str, secret: str, error: str) -> None:
    async with SlackApiDouble() as slack:
        slack.accept_app(client_id="1.2", client_secret="s3cret").grant(
            code="c", workspace=slack.workspace, bot_token=OTHER
        )
        client = AsyncWebClient(base_url=slack.base_url)
        with pytest.raises(SlackApiError, match=error):
            await client.oauth_v2_access(client_id=client_id, client_secret=secret, code="c")
