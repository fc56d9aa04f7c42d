"""What a wave or a digest would do with a survey's cadence, audience and channels is
checked when they are given (``survey create``, ``survey edit --set``): a cadence that
fires each minute or never, an audience its platform cannot resolve, a channel that is
no id. Refused in one line, on SQLite and PostgreSQL, and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot.runtime.services import Services
from storage.models import Survey
from tests.cli.conftest import Run

SLACK = ("--survey", "pulse", "--platform", "slack", "--tenant", "T1")
DISCORD = ("--survey", "pulse", "--platform", "discord", "--tenant", "111")


async def stored(services: Services) -> list[tuple[str | None, str | None, dict[str, str]]]:
    async with services.database.transaction() as session:
        rows = await session.execute(
            select(Survey.cadence, Survey.digest_cadence, Survey.audience).order_by(Survey.name)
        )
        return [(row[0], row[1], dict(row[2])) for row in rows]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--cadence", "* * * * *", "fires more than once a day"),
        ("--cadence", "0 9,17 * * 1", "fires more than once a day"),
        ("--cadence", "0 9 31 2 *", "matches no date"),
        ("--digest-cadence", "*/5 * * * *", "fires more than once a day"),
        ("--digest-cadence", "0 9 30 2 *", "matches no date"),
        ("--audience", "bogus=1", "a slack survey can invite: channel, everyone, usergroup"),
        ("--audience", "role=123", "a slack survey can invite: channel, everyone, usergroup"),
        ("--audience", "everyone=no", "everyone=yes"),
        ("--audience", "channel=", "must be given by its id"),
        ("--audience", "channel=<!channel>", "must be given by its id"),
        ("--audience", "channel=" + "C" * 5000, "must be given by its id"),
        ("--digest-channel", "#general now", "must be a channel's id"),
        ("--alert-channel", "C" * 65, "must be a channel's id"),
    ],
)
async def test_a_setting_no_wave_could_use_is_refused_when_creating(
    nps_bot_on: Run, services: Services, option: str, value: str, said: str
) -> None:
    done = nps_bot_on("survey", "create", *SLACK, option, value, check=False)

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert await stored(services) == []


async def test_a_discord_survey_invites_everyone_a_role_or_users_given_by_number(
    nps_bot_on: Run, services: Services
) -> None:
    for audience in ("channel=820000000000000001", "role=admins", "users=1,alice"):
        done = nps_bot_on("survey", "create", *DISCORD, "--audience", audience, check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert await stored(services) == []

    nps_bot_on("survey", "create", *DISCORD)  # everyone, the default
    nps_bot_on(
        "survey", "create", *DISCORD[:1], "role-pulse", *DISCORD[2:], "--audience", "role=1122"
    )
    assert await stored(services) == [
        (None, None, {"everyone": "yes"}),
        (None, None, {"role": "1122"}),
    ]


async def test_an_edit_is_refused_whole_and_names_each_fault(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *SLACK, "--audience", "channel=C0GENERAL")
    done = nps_bot_on(
        "survey",
        "edit",
        *SLACK,
        "--set",
        "cadence=* * * * *",
        "--set",
        "audience=role=1",
        "--set",
        "window_days=20",
        check=False,
    )

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "fires more than once a day" in done.stderr
    assert "a slack survey can invite" in done.stderr
    assert await stored(services) == [(None, None, {"channel": "C0GENERAL"})]
    nps_bot_on("survey", "edit", *SLACK, "--set", "cadence=0 10 * * 2")
    assert await stored(services) == [("0 10 * * 2", None, {"channel": "C0GENERAL"})]


async def test_a_survey_stored_with_a_cadence_now_refused_can_still_be_edited(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *SLACK)
    async with services.database.transaction() as session:
        await session.execute(update(Survey).values(cadence="0 * * * *"))

    nps_bot_on("survey", "edit", *SLACK, "--set", "window_days=20")

    assert await stored(services) == [("0 * * * *", None, {"everyone": "yes"})]
    # The scheduler runs nothing on it, and the status says so.
    shown = nps_bot_on("survey", "status", *SLACK)
    lines = " ".join(shown.stdout.split())
    assert (
        "Cadence: 0 * * * * (not scheduled: it fires more than once a day; set another with"
        " survey edit)" in lines
    ), shown.stdout
    assert "Digest cadence: -" in lines


async def test_a_channel_id_as_long_as_its_column_is_stored(
    nps_bot_on: Run, services: Services
) -> None:
    longest = "C" * 64  # PostgreSQL's column is 64 characters: one more failed the insert
    nps_bot_on("survey", "create", *SLACK, "--digest-channel", longest, "--alert-channel", longest)
    async with services.database.transaction() as session:
        stored = (await session.execute(select(Survey.digest_channel, Survey.alert_channel))).one()
    assert tuple(stored) == (longest, longest)
