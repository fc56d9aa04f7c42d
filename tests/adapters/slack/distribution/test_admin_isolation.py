"""Two installed workspaces: an admin of one reaches none of the other's surveys."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.slack.admin_surfaces import DELETE_ACTION
from bot.usecases.surveys import SurveySpec, create_survey
from storage.models import Invitation, Survey
from tests.adapters.slack.conftest import eventually
from tests.adapters.slack.distribution.support import (
    ADMIN_B,
    TEAM_A,
    TOKEN_A,
    TOKEN_B,
    RunningDistribution,
    requests_for,
    workspace_a,
    workspace_b,
)
from tests.doubles.slack_api import SlackApiDouble

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_an_admin_of_another_workspace_reaches_none_of_this_ones_surveys(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    team_a, team_b = workspace_a(), workspace_b()
    assert await running.installer.install(team_a, bot_token=TOKEN_A, code="code-a") == 200
    assert await running.installer.install(team_b, bot_token=TOKEN_B, code="code-b") == 200
    await create_survey(
        running.services.database,
        platform="slack",
        tenant=TEAM_A,
        spec=SurveySpec(name="pulse", audience={"everyone": "yes"}),
        now=NOW,
        default_locale="en",
    )
    elsewhere = requests_for(slack, team_b)
    texts = ("survey list", "survey status pulse", "survey start pulse", "survey delete pulse")
    for text in texts:
        status, _ = await running.post(elsewhere.slash_command(user_id=ADMIN_B, text=text))
        assert status == 200
    await eventually(lambda: len(slack.responses) == len(texts))
    # A forged confirmation click naming team A's survey, from team B.
    await running.post(
        elsewhere.block_actions(
            user_id=ADMIN_B,
            action_id=DELETE_ACTION,
            value="pulse",
            is_ephemeral=True,
            channel_id="C0NPSGEN2",
        )
    )
    await eventually(lambda: len(slack.responses) == len(texts) + 1)

    shown = sorted(str(post.payload["text"]) for post in slack.responses)
    assert shown == sorted(
        [
            *['There is no survey called "pulse" here.'] * 4,
            "There are no surveys yet. Create one with /nps survey create.",
        ]
    )
    async with running.services.database.transaction() as session:
        surveys = (await session.execute(select(Survey.name))).scalars().all()
        invited = (await session.execute(select(func.count()).select_from(Invitation))).scalar()
    assert list(surveys) == ["pulse"]
    assert invited == 0
    assert slack.calls("chat.postMessage") == []
    # Everything team B's admin caused went out with team B's token only.
    assert {call.token for call in slack.calls("users.info")} <= {TOKEN_B}
