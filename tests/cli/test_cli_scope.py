"""Which tenant a command is about, as an operator types it, on SQLite and PostgreSQL:

* an export by a survey name that two tenants use is refused, naming both, instead of
  mixing their rows in one file that has no tenant column;
* a survey verb given a tenant nobody stored says so, instead of "no survey called";
* ``--platform`` alone means what it means to the survey verbs (the console's one tenant,
  or the only stored one) for ``import``, ``export`` and ``report`` too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli.output import RAW_EXPORT_WARNING
from bot.runtime.services import Services
from storage import tenants
from storage.models import ReleasedGroup, ReleaseState, Response
from tests.cli.conftest import Run

CONSOLE = ("--platform", "console")
SLACK = ("--platform", "slack", "--tenant", "T1")
LINES = "date,score\n" + "".join(f"2026-03-0{day},9\n" for day in range(1, 7))


async def rows_of(services: Services, table: type[object]) -> int:
    async with services.database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def stored_answers(services: Services) -> int:
    return await rows_of(services, Response)


PICK = (
    "error: surveys called 'pulse' are in more than one tenant (console 'local', slack 'T1'):"
    " pick one with --platform and --tenant"
)


@pytest.mark.parametrize("raw", [(), ("--raw",)])
async def test_an_export_by_a_name_two_tenants_use_is_refused_naming_both(
    nps_bot_on: Run, services: Services, csv_file: Callable[[str], Path], raw: tuple[str, ...]
) -> None:
    for where in (CONSOLE, SLACK):
        nps_bot_on("survey", "create", "--survey", "pulse", *where)
    nps_bot_on("import", str(csv_file(LINES)), "--survey", "pulse", *SLACK)
    nps_bot_on("import", str(csv_file(LINES)), "--survey", "pulse", *CONSOLE, "--tenant", "local")

    for survey in (("--survey", "pulse"), ()):
        for output in ("csv", "json"):
            done = nps_bot_on("export", "--format", output, *survey, *raw, check=False)
            assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
            assert done.stdout == ""
            # The refusal is the only line: no --raw warning about an export not written.
            assert done.stderr.strip().splitlines() == [PICK]
    # No release was opened: nothing joined either survey's ledger.
    assert (await rows_of(services, ReleaseState), await rows_of(services, ReleasedGroup)) == (0, 0)

    scoped = nps_bot_on("export", "--format", "csv", "--raw", "--survey", "pulse", *SLACK)
    assert len(list(csv.DictReader(io.StringIO(scoped.stdout)))) == 6
    assert scoped.stderr.strip().splitlines()[-1] == f"warning: {RAW_EXPORT_WARNING}"
    assert await stored_answers(services) == 12


async def test_a_name_in_one_tenant_exports_without_naming_it(
    nps_bot_on: Run, csv_file: Callable[[str], Path]
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *SLACK)
    nps_bot_on("survey", "create", "--survey", "other", *CONSOLE)
    nps_bot_on("import", str(csv_file(LINES)), "--survey", "pulse", *SLACK)
    done = nps_bot_on("export", "--format", "json", "--raw", "--survey", "pulse")
    assert [json.loads(line)["survey"] for line in done.stdout.splitlines()] == ["pulse"] * 6
    every = nps_bot_on("export", "--format", "json", "--raw").stdout.splitlines()
    assert len(every) == 6


async def test_a_report_by_a_name_two_tenants_use_names_each_tenant(
    nps_bot_on: Run, csv_file: Callable[[str], Path]
) -> None:
    for where in (CONSOLE, SLACK):
        nps_bot_on("survey", "create", "--survey", "pulse", *where)
    nps_bot_on("import", str(csv_file(LINES)), "--survey", "pulse", *SLACK)
    done = nps_bot_on("report", "--json", "--survey", "pulse")
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted((r["platform"], r["tenant"], r["n"]) for r in reports) == [
        ("console", "local", 0),
        ("slack", "T1", 6),
    ]


SURVEY_VERBS = [
    ("survey", "status"),
    ("survey", "edit", "--set", "k_min=6"),
    ("survey", "delete", "--yes"),
    ("survey", "shares"),
    ("survey", "unshare", "--user", "U1"),
    ("actions", "list"),
    ("actions", "preview"),
    ("replies", "list"),
]


@pytest.mark.parametrize("verb", SURVEY_VERBS, ids=lambda verb: " ".join(verb[:2]))
async def test_a_survey_verb_given_an_unknown_tenant_says_the_tenant_is_unknown(
    nps_bot_on: Run, services: Services, verb: tuple[str, ...]
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *SLACK)
    where = ("--survey", "pulse", "--platform", "slack", "--tenant", "UNKNOWN")
    done = nps_bot_on(*verb, *where, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "error: no tenant 'UNKNOWN' on platform 'slack'"
    async with services.database.transaction() as session:
        assert await tenants.find_tenant(session, platform="slack", external_id="UNKNOWN") is None
    missing = nps_bot_on(*verb, "--survey", "nope", *SLACK, check=False)
    assert missing.returncode == 1 and "no survey called 'nope'" in missing.stderr


@pytest.mark.parametrize("verb", [("export", "--format", "csv"), ("report",)], ids=" ".join)
async def test_a_console_read_before_anything_was_made_there_says_so(
    nps_bot_on: Run, services: Services, verb: tuple[str, ...]
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *SLACK)
    done = nps_bot_on(*verb, "--platform", "console", check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "error: the console has no surveys or answers yet"
    async with services.database.transaction() as session:
        assert await tenants.find_tenant(session, platform="console", external_id="local") is None


async def test_the_console_needs_no_stored_tenant_to_say_a_survey_is_unknown(
    nps_bot_on: Run,
) -> None:
    done = nps_bot_on("survey", "status", "--survey", "pulse", *CONSOLE, check=False)
    assert done.returncode == 1 and done.stderr.strip().startswith("error: no survey called")


async def test_import_with_the_console_alone_means_its_one_tenant(
    nps_bot_on: Run, csv_file: Callable[[str], Path]
) -> None:
    done = nps_bot_on("import", str(csv_file(LINES)), *CONSOLE, check=False)
    assert done.returncode == 0, done.stderr
    assert "imported 6 answers into survey 'default'" in done.stderr
    (line,) = nps_bot_on("report", "--json", *CONSOLE).stdout.splitlines()
    assert (json.loads(line)["tenant"], json.loads(line)["n"]) == ("local", 6)
    exported = nps_bot_on("export", "--format", "json", "--raw", *CONSOLE).stdout
    assert len(exported.splitlines()) == 6


async def test_a_platform_alone_means_its_only_stored_tenant_as_for_survey_verbs(
    nps_bot_on: Run, services: Services, csv_file: Callable[[str], Path]
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *SLACK)
    nps_bot_on("import", str(csv_file(LINES)), "--survey", "pulse", "--platform", "slack")
    (line,) = nps_bot_on("report", "--json", "--platform", "slack").stdout.splitlines()
    assert (json.loads(line)["tenant"], json.loads(line)["n"]) == ("T1", 6)
    exported = nps_bot_on("export", "--format", "json", "--raw", "--platform", "slack").stdout
    assert len(exported.splitlines()) == 6

    nps_bot_on("survey", "create", "--survey", "pulse", "--platform", "slack", "--tenant", "T2")
    for command in (
        ("import", str(csv_file(LINES)), "--survey", "pulse"),
        ("report", "--json"),
        ("export", "--format", "csv"),
    ):
        done = nps_bot_on(*command, "--platform", "slack", check=False)
        assert done.returncode == 1 and done.stdout == "", done.stderr
        assert done.stderr.strip().splitlines()[-1] == (
            "error: name the slack workspace or guild with --tenant (it knows T1, T2)"
        )
    assert await stored_answers(services) == 6


async def test_a_tenant_without_its_platform_is_still_a_usage_error(
    nps_bot_on: Run, csv_file: Callable[[str], Path]
) -> None:
    for command in (
        ("import", str(csv_file(LINES))),
        ("report",),
        ("export", "--format", "csv"),
    ):
        done = nps_bot_on(*command, "--tenant", "T1", check=False)
        assert done.returncode == 2 and "--platform and --tenant go together" in done.stderr


async def test_a_raw_export_refused_for_its_survey_or_tenant_warns_of_nothing(
    nps_bot_on: Run,
) -> None:
    nps_bot_on("survey", "create", "--survey", "pulse", *CONSOLE)
    for where in (("--survey", "nope"), ("--platform", "slack", "--tenant", "T9")):
        done = nps_bot_on("export", "--format", "csv", "--raw", *where, check=False)
        assert done.returncode == 1 and done.stdout == ""
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("error: ") and "warning" not in done.stderr
