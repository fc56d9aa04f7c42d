"""``nps-bot survey send`` against the Web API double: its exit code says what happened."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.conftest import TOKEN
from tests.adapters.slack.test_startup_errors import nps_bot
from tests.doubles.slack_api import SlackApiDouble


async def test_an_unknown_person_or_workspace_is_an_error_and_not_eligible_is_not(
    slack: SlackApiDouble, tmp_path: Path
) -> None:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_BASE_URL": slack.base_url}
    send = ["survey", "send", "--survey", "pulse", "--platform", "slack"]
    team = slack.workspace.team_id
    created = await nps_bot(
        tmp_path, "survey", "create", "--survey", "pulse", "--platform", "slack", "--tenant", team,
        env=env,
    )  # fmt: skip
    assert created[0] == 0, created[1]

    code, stderr = await nps_bot(tmp_path, *send, "--to", "U0NOBODY1", env=env)
    assert code == 1 and "slack knows no person 'U0NOBODY1'" in stderr
    code, stderr = await nps_bot(tmp_path, *send, "--to", "U0ANN0001", "--tenant", "T0ELSE001",
                                 env=env)  # fmt: skip
    assert code == 1 and f"the slack connection reaches {team!r}, not 'T0ELSE001'" in stderr
    assert slack.calls("chat.postMessage") == []

    assert (await nps_bot(tmp_path, *send, "--to", "U0ANN0001", env=env))[0] == 0
    assert len(slack.calls("chat.postMessage")) == 1
    code, stderr = await nps_bot(tmp_path, *send, "--to", "U0ANN0001", "--tenant", team, env=env)
    assert code == 0, stderr  # not eligible now: the rule decided, nothing failed
    assert len(slack.calls("chat.postMessage")) == 1
