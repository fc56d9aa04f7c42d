"""``nps-bot report`` and ``export`` with two tenants, each with a survey called "default".

Answers come through the engine (the Slack card path: no wave), on SQLite and PostgreSQL;
the command runs as a real process on the same database.
"""

from __future__ import annotations

import csv
import io
import json

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ScorePrompt
from storage import tenants
from tests.cli.conftest import Run

ANSWERS = {"T1": [10] * 8, "T2": [0] * 6}  # T1: NPS +100 from 8; T2: NPS -100 from 6


async def answer_in(services: Services, tenant: str, scores: list[int]) -> None:
    for i, score in enumerate(scores):
        who = Person(platform="slack", tenant=tenant, user_id=f"U{i}", locale="en")
        prompt = await services.engine.start(who)
        assert isinstance(prompt, ScorePrompt)
        view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=score)
        assert isinstance(view, ReasonPrompt)


async def two_tenants(services: Services) -> None:
    for tenant, scores in ANSWERS.items():
        await answer_in(services, tenant, scores)


async def test_report_names_each_tenant_and_keeps_to_one_when_asked(
    services: Services, nps_bot_on: Run
) -> None:
    await two_tenants(services)
    every = [json.loads(line) for line in nps_bot_on("report", "--json").stdout.splitlines()]
    assert [(r["platform"], r["tenant"], r["survey"], r["n"], r["nps"]) for r in every] == [
        ("slack", "T1", "default", 8, 100.0),
        ("slack", "T2", "default", 6, -100.0),
    ]
    only = nps_bot_on("report", "--json", "--platform", "slack", "--tenant", "T2").stdout
    (report,) = [json.loads(line) for line in only.splitlines()]
    assert (report["tenant"], report["n"], report["detractors"], report["promoters"]) == (
        "T2",
        6,
        6,
        0,
    )
    table = nps_bot_on("report").stdout
    assert "Tenant: slack T1" in table and "Tenant: slack T2" in table
    one = nps_bot_on("report", "--platform", "slack", "--tenant", "T1").stdout
    assert "Tenant: slack T1" in one and "from 8 answers" in one
    assert "T2" not in one and "from 6 answers" not in one


async def test_export_keeps_to_one_tenant(services: Services, nps_bot_on: Run) -> None:
    await two_tenants(services)
    scope = ("--platform", "slack", "--tenant")
    first = nps_bot_on("export", "--format", "csv", *scope, "T1").stdout
    assert [row["score"] for row in csv.DictReader(io.StringIO(first))] == ["10"] * 8
    second = nps_bot_on("export", "--format", "json", *scope, "T2").stdout.splitlines()
    assert [json.loads(line)["score"] for line in second] == [0] * 6
    # Both surveys are called "default" and a row names no tenant: they are not mixed.
    every = nps_bot_on("export", "--format", "json", check=False)
    assert every.returncode == 1 and every.stdout == ""
    assert every.stderr.strip() == (
        "error: surveys called 'default' are in more than one tenant (slack 'T1', slack 'T2'):"
        " pick one with --platform and --tenant"
    )


async def test_unknown_tenant_is_one_error_line_and_creates_nothing(
    services: Services, nps_bot_on: Run
) -> None:
    await two_tenants(services)
    for command in (("report", "--json"), ("export", "--format", "csv")):
        done = nps_bot_on(*command, "--platform", "slack", "--tenant", "T9", check=False)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.strip() == "error: no tenant 'T9' on platform 'slack'"
    async with services.database.transaction() as session:
        assert await tenants.find_tenant(session, platform="slack", external_id="T9") is None
    alone = nps_bot_on("report", "--tenant", "T1", check=False)
    assert alone.returncode == 2 and "--platform and --tenant go together" in alone.stderr
