"""``nps-bot people import`` in distribution mode: the emails of a roster are looked up in
the workspace the roster names, with the bot token its installation stored, never with
another workspace's (where the same email may be someone else)."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from adapters.slack.distribution.app import sealed_store
from adapters.slack.settings import SlackSettings
from bot.domain.identity import respondent_key
from bot.domain.people import Person
from bot.runtime.services import Services
from storage.models import DirectoryEntry
from tests.adapters.slack.distribution.support import (
    CLIENT_ID,
    CLIENT_SECRET,
    SECRET,
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    TOKEN_B,
    workspace_b,
)
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.cli_process import run_nps_bot, without_platforms
from tests.support.tables import dump

SAM_A, SAM_B = "U0SAMA001", "U0SAMB001"
KIM_B = "U0KIMB001"
"""Sam has the same email in both workspaces (two people, two user ids)."""


async def install(
    services: Services, settings: SlackSettings, *, team_id: str, bot_token: str
) -> None:
    await sealed_store(services, settings).async_save(
        Installation(app_id="A0NPSAPP0", team_id=team_id, bot_token=bot_token, user_id="U0INST")
    )


async def nps_bot(
    services: Services, settings: SlackSettings, cwd: Path, *args: str
) -> tuple[int, str]:
    """The real command, configured for distribution mode as an operator would."""
    assert settings.token_encryption_key is not None
    env = without_platforms(
        DATABASE_URL=services.settings.database_url,
        NPS_PEPPER=TEST_PEPPER,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=CLIENT_SECRET,
        SLACK_SIGNING_SECRET=SECRET,
        TOKEN_ENCRYPTION_KEY=settings.token_encryption_key.get_secret_value(),
        SLACK_API_BASE_URL=str(settings.api_base_url),
        LOG_LEVEL="WARNING",
    )
    finished = await run_nps_bot(*args, env=env, cwd=cwd)
    return finished.code, finished.out + finished.err


async def test_emails_are_found_in_the_rosters_workspace_with_its_installed_token(
    services: Services, dist_settings: SlackSettings, slack: SlackApiDouble, tmp_path: Path
) -> None:
    slack.workspace.add_user(SlackUser(id=SAM_A, name="sam", email="sam@example.com"))
    second = workspace_b()
    second.add_user(
        SlackUser(id=SAM_B, name="sam", email="sam@example.com"),
        SlackUser(id=KIM_B, name="kim", email="kim@example.com"),
    )
    slack.add_workspace(second, bot_token=TOKEN_B)
    await install(services, dist_settings, team_id=TEAM_A, bot_token=TOKEN_A)
    await install(services, dist_settings, team_id=TEAM_B, bot_token=TOKEN_B)
    for team in (TEAM_A, TEAM_B):
        code, said = await nps_bot(
            services,
            dist_settings,
            tmp_path,
            *("survey", "create", "--survey", "pulse", "--platform", "slack", "--tenant", team),
        )
        assert code == 0, said
    roster = tmp_path / "roster.csv"
    roster.write_text("email,team\nSam@example.com,eng\nkim@example.com,ops\n", encoding="utf-8")

    code, said = await nps_bot(
        services,
        dist_settings,
        tmp_path,
        *("people", "import", str(roster), "--platform", "slack", "--tenant", TEAM_B),
    )

    assert code == 0, said
    assert "now holds 2 people" in said
    looked_up = slack.calls("users.lookupByEmail")
    assert [call.token for call in looked_up] == [TOKEN_B, TOKEN_B]
    pepper = services.waves.pepper
    async with services.database.transaction() as session:
        entries = (await session.execute(select(DirectoryEntry))).scalars().all()
    keyed = {entry.respondent_key: entry.labels for entry in entries}
    assert keyed == {
        respondent_key(pepper, Person(platform="slack", tenant=TEAM_B, user_id=SAM_B)): {
            "team": "eng"
        },
        respondent_key(pepper, Person(platform="slack", tenant=TEAM_B, user_id=KIM_B)): {
            "team": "ops"
        },
    }
    stored = (await dump(services.database)).casefold()
    for secret in (SAM_A, SAM_B, KIM_B, "sam@example.com", "kim@example.com"):
        assert secret.casefold() not in stored, secret


async def test_a_workspace_the_app_is_not_installed_in_is_refused_and_nothing_is_asked(
    services: Services, dist_settings: SlackSettings, slack: SlackApiDouble, tmp_path: Path
) -> None:
    slack.add_workspace(workspace_b(), bot_token=TOKEN_B)
    await install(services, dist_settings, team_id=TEAM_A, bot_token=TOKEN_A)
    code, said = await nps_bot(
        services,
        dist_settings,
        tmp_path,
        *("survey", "create", "--survey", "pulse", "--platform", "slack", "--tenant", TEAM_B),
    )
    assert code == 0, said
    roster = tmp_path / "roster.csv"
    roster.write_text("email,team\nbob@example.com,eng\n", encoding="utf-8")

    code, said = await nps_bot(
        services,
        dist_settings,
        tmp_path,
        *("people", "import", str(roster), "--platform", "slack", "--tenant", TEAM_B),
    )

    assert code == 1
    assert f"not installed in workspace {TEAM_B}" in said
    # The only installed workspace's token is not used for another workspace's roster.
    assert slack.calls("users.lookupByEmail") == []
    async with services.database.transaction() as session:
        assert (await session.execute(select(DirectoryEntry))).scalars().all() == []
