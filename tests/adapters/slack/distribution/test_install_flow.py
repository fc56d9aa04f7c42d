"""Installing the app through Slack's OAuth flow, over the real HTTP endpoint."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select, text

from adapters.slack.distribution.app import DEFAULT_SCOPES
from adapters.slack.platform import SlackPlatform
from bot.views.common import Notice
from tests.adapters.slack.distribution.support import (
    CLIENT_ID,
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    TOKEN_B,
    RunningDistribution,
    workspace_a,
    workspace_b,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.storage.test_anonymity import dump_all_text


async def count_rows(running: RunningDistribution, table: str) -> int:
    async with running.services.database.engine.connect() as connection:
        result = await connection.execute(select(func.count()).select_from(text(table)))
        return int(result.scalar_one())


async def test_install_redirects_to_slack_with_a_state_kept_in_the_database(
    running: RunningDistribution,
) -> None:
    answer, location, cookie = await running.installer.start()

    assert answer.status == 302
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://slack.com/oauth/v2/authorize"
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [",".join(DEFAULT_SCOPES)]
    state = query["state"][0]
    assert cookie == state
    async with running.services.database.engine.connect() as connection:
        stored = await connection.execute(text("SELECT state FROM slack_oauth_states"))
        assert [row[0] for row in stored] == [state]


async def test_the_redirect_exchanges_the_code_and_stores_the_installation_sealed(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    status = await running.installer.install(workspace_b(), bot_token=TOKEN_B, code="code-b")

    assert status == 200
    exchange = slack.last("oauth.v2.access")
    assert exchange.ok and exchange.params["code"] == "code-b"
    # Bolt asks auth.test with the new token for the bot id.
    assert slack.last("auth.test").token == TOKEN_B
    bot = await running.distribution.store.async_find_bot(enterprise_id=None, team_id=TEAM_B)
    assert bot is not None and bot.bot_token == TOKEN_B
    assert await count_rows(running, "slack_installations") == 1
    # The state was used up: the same answer cannot be replayed.
    assert await count_rows(running, "slack_oauth_states") == 0
    # A reach for scheduled waves, speaking with that workspace's token.
    reach = {reach.tenant: reach for reach in running.reaches.all()}[TEAM_B]
    assert isinstance(reach.platform, SlackPlatform)
    assert await reach.platform.team_id() == TEAM_B
    await reach.platform.send_direct("U0BOB0001", Notice(text="hello"))
    assert slack.last("chat.postMessage").token == TOKEN_B


async def test_no_token_is_stored_in_the_clear(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    assert await running.installer.install(workspace_a(), bot_token=TOKEN_A, code="a") == 200
    assert await running.installer.install(workspace_b(), bot_token=TOKEN_B, code="b") == 200

    dump = await dump_all_text(running.services)
    assert TEAM_A in dump and TEAM_B in dump  # the installations are there...
    assert dump.count("'gAAAAA") == 4  # sealed: two installations, two bots
    for token in (TOKEN_A, TOKEN_B):
        assert token not in dump  # ...their tokens are not
        assert token.split("-")[-1] not in dump  # not even the secret part


async def test_a_missing_state_is_refused_and_nothing_is_installed(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, _, cookie = await running.installer.start()
    running.installer.grants.grant(code="c1", workspace=workspace_b(), bot_token=TOKEN_B)

    status, _ = await running.installer.finish(code="c1", state=None, cookie=cookie)

    assert status == 400
    assert slack.calls("oauth.v2.access") == []
    assert await count_rows(running, "slack_installations") == 0
    assert running.reaches.all() == []


async def test_a_state_not_issued_by_the_app_is_refused(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    running.installer.grants.grant(code="c2", workspace=workspace_b(), bot_token=TOKEN_B)
    forged = "00000000-0000-4000-8000-000000000000"

    # The browser carries the forged state in its cookie too: the database does not know it.
    status, _ = await running.installer.finish(code="c2", state=forged, cookie=forged)

    assert status == 401
    assert slack.calls("oauth.v2.access") == []
    assert await count_rows(running, "slack_installations") == 0


async def test_a_state_from_another_browser_is_refused(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, location, _ = await running.installer.start()
    state = parse_qs(urlsplit(location).query)["state"][0]
    running.installer.grants.grant(code="c3", workspace=workspace_b(), bot_token=TOKEN_B)

    status, _ = await running.installer.finish(code="c3", state=state, cookie="someone-else")

    assert status == 400
    assert slack.calls("oauth.v2.access") == []


async def test_a_used_state_cannot_install_twice(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, location, cookie = await running.installer.start()
    state = parse_qs(urlsplit(location).query)["state"][0]
    running.installer.grants.grant(code="c4", workspace=workspace_b(), bot_token=TOKEN_B)
    first, _ = await running.installer.finish(code="c4", state=state, cookie=cookie)
    running.installer.grants.grant(code="c5", workspace=workspace_a(), bot_token=TOKEN_A)

    second, _ = await running.installer.finish(code="c5", state=state, cookie=cookie)

    assert (first, second) == (200, 401)
    assert await count_rows(running, "slack_installations") == 1


async def test_an_invalid_code_installs_nothing(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, location, cookie = await running.installer.start()
    state = parse_qs(urlsplit(location).query)["state"][0]

    status, _ = await running.installer.finish(code="never-granted", state=state, cookie=cookie)

    assert status == 401
    assert slack.last("oauth.v2.access").error == "invalid_code"
    assert await count_rows(running, "slack_installations") == 0
