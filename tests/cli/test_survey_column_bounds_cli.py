"""What an operator types for a survey's workspace, cadence, time zone and subject fits
what the database holds, or is refused in one line before anything is written: on
PostgreSQL an over-long one failed the insert with a traceback, and an empty subject
was stored as NULL on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.runtime.services import Services
from storage.models import Survey, Tenant
from tests.cli.conftest import Run

SLACK = ("--survey", "pulse", "--platform", "slack")
# A valid crontab line of 130 characters, which fires once a day.
LONG_CADENCE = "0 9 " + ",".join(map(str, range(1, 32))) + " 1,2,3,4,5,6,7,8,9,10,11,12 mon,tue,wed"


async def counts(services: Services) -> tuple[int, int]:
    async with services.database.transaction() as session:
        tenants = await session.scalar(select(func.count()).select_from(Tenant))
        surveys = await session.scalar(select(func.count()).select_from(Survey))
    return int(tenants or 0), int(surveys or 0)


@pytest.mark.parametrize("tenant", ["", "T 1", "T\u202e1", "T" * 65])
async def test_a_workspace_id_that_names_no_workspace_is_refused_and_no_tenant_is_made(
    nps_bot_on: Run, services: Services, tenant: str
) -> None:
    done = nps_bot_on("survey", "create", *SLACK, "--tenant", tenant, check=False)

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "a workspace or guild id is 1 to 64" in done.stderr
    assert await counts(services) == (0, 0)


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--cadence", LONG_CADENCE, "a cadence has at most 120 characters"),
        ("--digest-cadence", LONG_CADENCE, "a digest cadence has at most 120 characters"),
        ("--timezone", "Area/" * 20_000, "a time zone name has at most 64 characters"),
    ],
)
async def test_a_setting_longer_than_its_column_is_refused_without_echoing_it(
    nps_bot_on: Run, services: Services, option: str, value: str, said: str
) -> None:
    assert len(LONG_CADENCE) > 120
    done = nps_bot_on("survey", "create", *SLACK, "--tenant", "T1", option, value, check=False)

    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == f"error: {said}"
    assert (await counts(services))[1] == 0


async def test_an_empty_subject_is_stored_as_no_subject_and_an_empty_edit_says_so(
    nps_bot_on: Run, services: Services
) -> None:
    nps_bot_on("survey", "create", *SLACK, "--tenant", "T1", "--subject", "Acme")
    nps_bot_on("survey", "edit", *SLACK, "--tenant", "T1", "--set", "subject=")
    async with services.database.transaction() as session:
        assert await session.scalar(select(Survey.subject)) == ""

    nothing = nps_bot_on("survey", "edit", *SLACK, "--tenant", "T1", check=False)
    assert nothing.returncode == 2 and "updated" not in nothing.stdout
    assert (
        nothing.stderr.strip() == "error: nothing to change: give --set SETTING=VALUE or --drivers"
    )
