"""Input the console cannot take as it is, from a real process: a line whose bytes are
not UTF-8 is answered in one line and does nothing (the question stays open), whatever
it would have been, a score, a reason or a command; and ``--user`` and ``--segment``
name a person and labels the way every platform does. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.i18n import Catalogs
from bot.runtime.services import Services
from storage.models import Response
from storage.plan_models import ActionPlan
from tests.conftest import TEST_PEPPER
from tests.support.waiting import HANG_GUARD_SECONDS

NOT_UTF8 = Catalogs().translator("en")("console.not_utf8")
USER_RULE = (
    "--user takes who is talking, one word of ASCII letters, digits and _ . : - (at most 64)"
)


def console(
    services: Services, cwd: Path, stdin: bytes, *args: str
) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": services.settings.database_url,
        "NPS_PEPPER": TEST_PEPPER,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


async def stored(services: Services) -> tuple[list[tuple[int, str | None]], list[str]]:
    async with services.database.transaction() as session:
        answers = (await session.execute(select(Response.score, Response.reason))).all()
        titles = (await session.execute(select(ActionPlan.title))).scalars().all()
    return [(score, reason) for score, reason in answers], list(titles)


@pytest.mark.parametrize(
    "line",
    [
        b"\xff\xfe",
        b"/nps report --by team\xff",
        b'/nps actions add default --title "t\xff" --owner local --due 2099-01-01',
        b"/nps replies answer \xff",
    ],
)
async def test_a_line_that_is_not_utf8_is_answered_and_does_nothing(
    services: Services, tmp_path: Path, line: bytes
) -> None:
    done = console(services, tmp_path, b"/nps\n" + line + b"\n7\n\n", "--user", "me", "--admin")

    stderr = done.stderr.decode()
    assert done.returncode == 0 and "Traceback" not in stderr, stderr
    assert NOT_UTF8 in done.stdout.decode()
    # The score prompt stayed open: the next line answered it.
    assert await stored(services) == ([(7, None)], [])


async def test_a_reason_that_is_not_utf8_is_asked_again(services: Services, tmp_path: Path) -> None:
    done = console(services, tmp_path, b"/nps\n7\nslow \xffbuilds\nslow builds\n", "--user", "me")

    assert done.returncode == 0 and NOT_UTF8 in done.stdout.decode()
    assert await stored(services) == ([(7, "slow builds")], [])


@pytest.mark.parametrize(
    ("option", "error"),
    [
        (("--segment", "Team=a"), "--segment takes a label name (a-z, 0-9, _), got 'Team'"),
        (("--segment", "te\nam=a"), "--segment takes a label name (a-z, 0-9, _), got 'te\\nam'"),
        (
            ("--segment", "team=\u202e\u200b"),
            "--segment takes KEY=VALUE, got 'team=\\u202e\\u200b'",
        ),
        (("--user", ""), f"{USER_RULE}, got ''"),
        (("--user", " \t"), f"{USER_RULE}, got ' \\t'"),
        (("--user", "ann lee"), f"{USER_RULE}, got 'ann lee'"),
        (("--user", "ann\u202e"), f"{USER_RULE}, got 'ann\\u202e'"),
        (("--user", "a" * 65), f"{USER_RULE}, got '{'a' * 65}'"),
    ],
)
async def test_a_person_or_label_no_platform_would_give_is_refused(
    services: Services, tmp_path: Path, option: tuple[str, str], error: str
) -> None:
    args = ("--user", "me", *option) if option[0] == "--segment" else option
    done = console(services, tmp_path, b"/nps\n7\n\n", *args)

    assert done.returncode == 2 and "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().strip() == f"error: {error}"
    assert await stored(services) == ([], [])


async def test_a_label_value_keeps_only_what_shows(services: Services, tmp_path: Path) -> None:
    value = "\x1b[31mSales\u202e " + "x" * 100
    done = console(services, tmp_path, b"/nps\n7\n\n", "--user", "me", "--segment", f"team={value}")

    assert done.returncode == 0, done.stderr.decode()
    async with services.database.transaction() as session:
        [labels] = (await session.execute(select(Response.segments))).scalars().all()
    assert labels == {"team": ("[31mSales " + "x" * 100)[:64]}


@pytest.mark.parametrize("by", ["te\u202eam", "te\u200bam", "te\x1bam", "t" * 65])
async def test_a_breakdown_by_a_label_no_group_can_hold_is_refused_in_chat(
    services: Services, tmp_path: Path, by: str
) -> None:
    refused = Catalogs().translator("en")("report.label_characters")
    line = f"/nps report --by {by}\n".encode()
    done = console(services, tmp_path, line + b"/nps report --by team\n", "--user", "me", "--admin")

    out = done.stdout.decode()
    assert done.returncode == 0 and "Traceback" not in done.stderr.decode()
    assert out.count(refused) == 1  # the second breakdown, by a plain name, is a report
    assert "\u202e" not in out and "\u200b" not in out and "\x1b" not in out
