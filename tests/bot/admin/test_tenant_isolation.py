"""An admin of one workspace or guild can never reach another tenant's survey."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.services import Services
from bot.views.admin import FormErrors, Setting
from bot.views.common import Notice, ReportView, Tone
from storage.models import Survey, Wave
from tests.bot.admin.conftest import HOME, OTHER, admin
from tests.bot.admin.test_survey_admin import PULSE

UNKNOWN = Notice('There is no survey called "pulse" here.', Tone.ERROR)

OUTSIDERS = [
    pytest.param(admin(OTHER), id="admin-of-another-workspace"),
    pytest.param(
        Person(platform="discord", tenant=HOME, user_id="U0ADMIN01", is_admin=True),
        id="admin-of-a-guild-with-the-same-id",
    ),
]


async def stored(services: Services) -> tuple[list[Survey], list[Wave]]:
    async with services.database.transaction() as session:
        surveys = list((await session.execute(select(Survey))).scalars())
        waves = list((await session.execute(select(Wave))).scalars())
    return surveys, waves


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_another_tenants_admin_cannot_list_see_change_run_or_delete_a_survey(
    services: Services, reach: Reach, outsider: Person
) -> None:
    await services.admin.create(admin(HOME), PULSE)
    before = await stored(services)
    # Their own connection, speaking for their own tenant...
    own = dataclasses.replace(reach, tenant=outsider.tenant)

    listed = await services.admin.list(outsider)
    assert isinstance(listed, ReportView) and listed.sections == ()
    assert await services.admin.status(outsider, "pulse") == UNKNOWN
    assert await services.admin.form(outsider, "pulse") == UNKNOWN
    assert await services.admin.edit(outsider, "pulse", {Setting.K_MIN: "9"}) == UNKNOWN
    assert await services.admin.confirm_delete(outsider, "pulse") == UNKNOWN
    assert await services.admin.delete(outsider, "pulse") == UNKNOWN
    if outsider.platform == reach.platform.name:
        assert await services.admin.start(outsider, own, "pulse") == UNKNOWN
        assert await services.admin.close(outsider, own, "pulse") == UNKNOWN
    # ...and never through a connection that speaks for the survey's tenant.
    other_tenant = Notice("This connection speaks for another workspace.", Tone.ERROR)
    assert await services.admin.start(outsider, reach, "pulse") == other_tenant
    assert await services.admin.close(outsider, reach, "pulse") == other_tenant

    assert await stored(services) == before
    [survey] = before[0]
    assert survey.k_min == 5 and before[1] == []


async def test_the_same_name_in_two_workspaces_is_two_surveys(services: Services) -> None:
    assert isinstance(await services.admin.create(admin(HOME), PULSE), Notice)
    assert isinstance(await services.admin.create(admin(OTHER), PULSE), Notice)
    taken = await services.admin.create(admin(OTHER), PULSE)
    assert isinstance(taken, FormErrors)
    await services.admin.delete(admin(OTHER), "pulse")
    [survey], _ = await stored(services)
    home = await services.admin.list(admin(HOME))
    assert isinstance(home, ReportView) and home.sections[0].rows[0].label == survey.name
