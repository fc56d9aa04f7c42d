"""Action plans and wave notes in storage: migration 0014 both ways, running numbers,
updates, one reminder per action, overdue actions and notes per wave number."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from bot.runtime.services import Services
from storage import actions, tenants
from storage.database import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Survey
from storage.plan_models import ActionPlan, ActionPlanBase

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


async def survey_of(services: Services, name: str = "pulse") -> Survey:
    async with services.database.transaction() as session:
        tenant = await tenants.get_or_create_tenant(
            session, platform="slack", external_id="T1", locale="en", now=NOW
        )
        survey = Survey(tenant_id=tenant.id, name=name, created_at=NOW)
        session.add(survey)
    return survey


def item(title: str = "Write an onboarding guide", **values: object) -> ActionPlanBase:
    fields: dict[str, object] = {"owner": "U0ADMIN", "due_on": TODAY + timedelta(days=10)}
    fields.update(values)
    return ActionPlanBase(title=title, **fields)  # type: ignore[arg-type]


async def tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        return await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))


async def test_migration_0014_goes_down_and_up_again(database_url: str) -> None:
    await upgrade(database_url)
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0013")
    database = Database(database_url)
    try:
        assert not {"action_plan", "wave_note"} & await tables(database)
        await upgrade(database_url)
        assert {"action_plan", "wave_note"} <= await tables(database)
    finally:
        await database.dispose()


async def test_actions_take_running_numbers_per_survey(services: Services) -> None:
    first, other = await survey_of(services), await survey_of(services, "other")
    async with services.database.transaction() as session:
        one = await actions.add_action(session, survey=first, item=item("a"), now=NOW)
        two = await actions.add_action(
            session, survey=first, item=item("b", theme="onboarding"), now=NOW
        )
        elsewhere = await actions.add_action(session, survey=other, item=item("c"), now=NOW)
    assert (one.number, two.number, elsewhere.number) == (1, 2, 1)
    async with services.database.transaction() as session:
        listed = await actions.actions_of_survey(session, survey_id=first.id)
        found = await actions.find_action(session, survey_id=first.id, number=2)
        missing = await actions.find_action(session, survey_id=first.id, number=3)
    assert [(a.number, a.title, a.theme, a.status) for a in listed] == [
        (1, "a", None, "planned"),
        (2, "b", "onboarding", "planned"),
    ]
    assert found is not None and found.id == two.id and missing is None


async def test_scoped_actions_are_listed_for_their_group_only(services: Services) -> None:
    survey = await survey_of(services)
    async with services.database.transaction() as session:
        await actions.add_action(session, survey=survey, item=item("admin's"), now=NOW)
        await actions.add_action(
            session,
            survey=survey,
            item=item("team's", scope_label="team", scope_value="eng"),
            now=NOW,
        )
        scoped = await actions.actions_of_survey(
            session, survey_id=survey.id, scope=("team", "eng")
        )
        others = await actions.actions_of_survey(
            session, survey_id=survey.id, scope=("team", "ops")
        )
    assert [a.title for a in scoped] == ["team's"] and others == []


async def test_an_update_keeps_the_scope_and_a_new_due_date_rearms_the_reminder(
    services: Services,
) -> None:
    survey = await survey_of(services)
    later = NOW + timedelta(hours=2)
    async with services.database.transaction() as session:
        row = await actions.add_action(
            session, survey=survey, item=item(scope_label="team", scope_value="eng"), now=NOW
        )
        assert await actions.claim_reminder(session, action_id=row.id, today=TODAY)
        changed = item("Guide, second edition", status="in_progress", note="half written")
        await actions.update_action(session, action=row, item=changed, now=later)
        assert row.reminded_on == TODAY  # same due date: reminded already
        moved = item("Guide", due_on=TODAY + timedelta(days=20))
        await actions.update_action(session, action=row, item=moved, now=later)
    async with services.database.transaction() as session:
        stored = await actions.find_action(session, survey_id=survey.id, number=1)
    assert stored is not None
    assert (stored.title, stored.status, stored.note) == ("Guide", "planned", None)
    assert (stored.scope_label, stored.scope_value, stored.reminded_on) == ("team", "eng", None)
    assert stored.updated_at.replace(tzinfo=UTC) == later


async def test_a_reminder_is_due_once_within_its_lead_and_claimed_once(
    services: Services,
) -> None:
    survey = await survey_of(services)
    async with services.database.transaction() as session:
        soon = await actions.add_action(
            session, survey=survey, item=item("soon", due_on=TODAY + timedelta(days=2)), now=NOW
        )
        await actions.add_action(
            session, survey=survey, item=item("later", due_on=TODAY + timedelta(days=9)), now=NOW
        )
        await actions.add_action(
            session,
            survey=survey,
            item=item("finished", due_on=TODAY + timedelta(days=1), status="done"),
            now=NOW,
        )
        due = await actions.reminders_due(session, today=TODAY, until=TODAY + timedelta(days=3))
        assert [(a.title, s.name, t.external_id) for a, s, t in due] == [("soon", "pulse", "T1")]
        claims = [await actions.claim_reminder(session, action_id=soon.id, today=TODAY)]
        claims.append(await actions.claim_reminder(session, action_id=soon.id, today=TODAY))
        assert claims == [True, False]
        again = await actions.reminders_due(session, today=TODAY, until=TODAY + timedelta(days=3))
    assert again == []


async def test_overdue_actions_are_the_open_ones_past_their_date(services: Services) -> None:
    survey = await survey_of(services)
    past = TODAY - timedelta(days=1)
    async with services.database.transaction() as session:
        for title, status, due in (
            ("late", "in_progress", past),
            ("dropped", "dropped", past),
            ("today", "planned", TODAY),
        ):
            await actions.add_action(
                session, survey=survey, item=item(title, status=status, due_on=due), now=NOW
            )
        overdue = await actions.overdue_actions(session, survey_id=survey.id, today=TODAY)
    assert [a.title for a in overdue] == ["late"]


async def test_the_database_refuses_an_action_about_a_theme_and_a_driver(
    services: Services,
) -> None:
    survey = await survey_of(services)
    with pytest.raises(IntegrityError):
        async with services.database.transaction() as session:
            session.add(
                ActionPlan(
                    **item(theme="pay", driver="growth").model_dump(),
                    tenant_id=survey.tenant_id,
                    survey_id=survey.id,
                    number=1,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


async def test_a_note_is_kept_per_wave_number_and_written_again_replaces_it(
    services: Services,
) -> None:
    survey = await survey_of(services)
    async with services.database.transaction() as session:
        assert await actions.wave_count(session, survey_id=survey.id) == 0
        await actions.write_note(session, survey=survey, wave_number=1, text="first", now=NOW)
        await actions.write_note(session, survey=survey, wave_number=1, text="second", now=NOW)
        await actions.write_note(session, survey=survey, wave_number=2, text="next", now=NOW)
    async with services.database.transaction() as session:
        texts = [
            await actions.note_for(session, survey_id=survey.id, wave_number=number)
            for number in (1, 2, 3)
        ]
    assert texts == ["second", "next", None]
