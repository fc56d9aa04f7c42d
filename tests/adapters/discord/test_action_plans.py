"""The outer loop through discord.py's real command tree on the gateway double: an admin
turns a report theme into an action with ``/nps actions add``, the next wave's DM says
"you said, we did", the owner is reminded, and the following report shows the theme's
movement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.surveys import DEFAULT_SURVEY
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.usecases.waves.action_reminders import remind_owners
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage import waves as wave_store
from tests.adapters.discord.test_reach import next_reach, serving
from tests.adapters.discord.world import ADMIN, ALICE, BOB, GUILD, MEMBERS
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import UserSpec, member_payload, user_payload
from tests.support.action_world import CALM, ELSEWHERE, seed_reasons, seed_wave
from tests.support.clock import Clock

USER_OPTION = 6
OPENING = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    # The first report loads matplotlib and draws its charts: seconds on a loaded
    # machine, so only a hang reaches this wait limit.
    async with DiscordDouble(guilds=[GUILD]) as dc:
        yield dc


def with_member(payload: dict[str, Any], option: str, member: UserSpec) -> dict[str, Any]:
    """``payload`` with its ``option`` typed as a user option, resolved as Discord sends it."""
    [group] = payload["data"]["options"]
    [verb] = group["options"]
    for entry in verb["options"]:
        if entry["name"] == option:
            entry["type"] = USER_OPTION
    spec = GUILD.member(member.id)
    assert spec is not None
    resolved = member_payload(spec, joined_at=datetime(2026, 1, 1, tzinfo=UTC))
    del resolved["user"]
    payload["data"]["resolved"] = {
        "users": {str(member.id): user_payload(member)},
        "members": {str(member.id): {**resolved, "permissions": "0"}},
    }
    return payload


def said(record: Any) -> str:
    return f"{record.body.content} {record.body.embeds}"


async def test_an_action_from_a_theme_comes_back_in_the_next_wave_and_report(
    double: DiscordDouble, services: Services, clock: Clock
) -> None:
    clock.now = OPENING
    survey = await create_survey(
        services.database,
        platform="discord",
        tenant=str(GUILD.id),
        spec=SurveySpec(
            name=DEFAULT_SURVEY, k_min=3, timezone="UTC", audience={"role": str(MEMBERS.id)}
        ),
        now=clock(),
        default_locale="en",
    )
    await seed_wave(services, survey, opens=OPENING - timedelta(days=120))
    t = services.catalogs.translator("en")
    # The text analyzers load once, slowly on a busy machine: not while a reply is awaited.
    services.reports.tokenizers.terms("warm up")
    due = (OPENING + timedelta(days=10)).date().isoformat()
    options = {"title": "An onboarding buddy", "owner": str(ALICE.id), "due": due}

    async with serving(services, double, members_intent=True) as announced:
        reach = replace(await next_reach(announced), per_second=100)

        async def slash(command: str, user: UserSpec, **given: Any) -> Any:
            payload = double.payloads.slash_command(command, user=user, guild=GUILD, options=given)
            if "owner" in given:
                payload = with_member(payload, "owner", ALICE)
            record = await double.dispatch_interaction(payload)
            return await record.followups.wait_for(0)

        report = await slash("nps report", ADMIN)
        assert "onboarding" in said(report)
        refused = await slash("nps actions add", BOB, **options, theme="onboarding")
        assert t("admin.not_allowed") in said(refused)
        added = await slash("nps actions add", ADMIN, **options, theme="onboarding")
        assert t("actions.added", number=1, survey="default", title="An onboarding buddy") in said(
            added
        )
        moved = await slash("nps actions update", ADMIN, number=1, status="in_progress")
        assert added.body.ephemeral and t("actions.status.in_progress") in said(moved)
        past = await slash("nps actions update", ADMIN, number=1, due="2020-01-01")
        assert t("actions.error.due_past") in said(past)

        opened = await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
        assert opened is not None and opened.invited >= 1
        await deliver_due(services.waves, reach)
        [invitation] = double.messages_to(ALICE.id)
        assert "onboarding" in str(invitation.body.embeds)
        assert "An onboarding buddy" in str(invitation.body.embeds)

        clock.advance(days=7)
        assert await remind_owners(services.waves, reach, lead_days=3) == 1
        reminder = double.messages_to(ALICE.id)[-1]
        assert "Reminder: action #1 of default" in str(reminder.body.content)

        async with services.database.transaction() as session:
            wave = await wave_store.latest_wave(session, survey_id=survey.id)
        assert wave is not None
        await seed_reasons(
            services, survey, wave_id=wave.id, day=clock().date(), written=ELSEWHERE + CALM
        )
        followed = await slash("nps report", ADMIN)
    assert t("report.actions") in said(followed)
    assert "named less often, a clear change" in said(followed)
