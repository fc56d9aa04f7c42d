"""``nps-bot survey start --platform slack`` as an admin runs it, against the Slack double."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_workspace import SlackUser
from tests.support.cli_process import run_nps_bot, without_platforms

TOKEN = "xoxb-cli-test"
PEOPLE = ["U0CLI0001", "U0CLI0002", "U0CLI0003"]


async def nps(args: list[str], *, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    finished = await run_nps_bot(*args, env=env, cwd=cwd)
    return finished.code, finished.out, finished.err


async def test_start_invites_everyone_once_even_when_run_twice(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        for number, user in enumerate(PEOPLE):
            slack.workspace.add_user(SlackUser(id=user, name=f"person{number}"))
        slack.workspace.add_user(SlackUser(id="U0GONE0001", name="gone", deleted=True))
        team = slack.workspace.team_id
        env = without_platforms(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_BASE_URL=slack.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
            NPS_PEPPER=TEST_PEPPER,
        )
        where = ["--platform", "slack", "--tenant", team]
        code, out, err = await nps(
            ["survey", "create", "--survey", "pulse", *where, "--kind", "enps"],
            env=env,
            cwd=tmp_path,
        )
        assert code == 0, out + err
        code, out, err = await nps(
            ["survey", "start", "--survey", "pulse", "--platform", "slack"], env=env, cwd=tmp_path
        )
        assert code == 0, out + err
        assert "invited 3" in out

        again, out_again, err_again = await nps(
            ["survey", "start", "--survey", "pulse", "--platform", "slack"], env=env, cwd=tmp_path
        )
        dms = Counter(call.params.get("channel") for call in slack.calls("chat.postMessage"))
        assert all(count <= 1 for count in dms.values()), dms
        assert set(dms) <= set(PEOPLE) | {slack.workspace.dm_channel(p) for p in PEOPLE}
        code, status, _ = await nps(
            ["survey", "status", "--survey", "pulse", *where], env=env, cwd=tmp_path
        )
        assert code == 0 and "newest wave: open" in status
        # A second start opens no second round of invitations: everyone was just asked.
        assert again == 0 and "invited 0" in out_again, out_again + err_again


async def test_start_on_an_audience_slack_cannot_list_says_so_and_opens_no_wave(
    tmp_path: Path,
) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_user(SlackUser(id=PEOPLE[0], name="person0"))
        env = without_platforms(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_API_BASE_URL=slack.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
            NPS_PEPPER=TEST_PEPPER,
        )
        where = ["--platform", "slack", "--tenant", slack.workspace.team_id]
        for name, audience in (("gone", "channel=C0NOPE001"), ("nogroup", "usergroup=S0NOPE01")):
            code, out, err = await nps(
                ["survey", "create", "--survey", name, *where, "--audience", audience],
                env=env,
                cwd=tmp_path,
            )
            assert code == 0, out + err
            code, out, err = await nps(
                ["survey", "start", "--survey", name, *where], env=env, cwd=tmp_path
            )

            assert code == 1 and "Traceback" not in err, err
            assert err.strip().startswith(
                f"error: the audience of survey '{name}' cannot be listed"
            )
            code, status, _ = await nps(
                ["survey", "status", "--survey", name, *where], env=env, cwd=tmp_path
            )
            assert "no wave yet" in status
        assert slack.calls("chat.postMessage") == []
