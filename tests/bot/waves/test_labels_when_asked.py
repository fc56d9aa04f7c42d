"""The labels an answer carries: those of its ask, from the roster and the platform,
on SQLite and PostgreSQL. A re-organisation after the wave moves no answer, and the
wave's response rate per group goes through the disclosure gate."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from bot.domain.people import Person
from bot.domain.roster_rows import RosterRow
from bot.ports.reach import Reach
from bot.report.model import ReportRequest
from bot.runtime.services import Services
from bot.stats.disclosure import Verdict
from bot.usecases.people import store_roster
from bot.usecases.waves.opening import open_wave
from bot.views.common import ReasonPrompt
from storage import tenants
from storage.models import Contact, Response, Survey
from tests.bot.waves.conftest import OPENING
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

ENG = [f"U0ENG{n:04d}" for n in range(6)]
OPS = [f"U0OPS{n:04d}" for n in range(4)]
NEW = ["U0NEW0001", "U0NEW0002"]  # on the roster of a team nobody of which answers


async def give_roster(
    services: Services, platform: RecordingPlatform, teams: dict[str, str], *, started: date
) -> None:
    async with services.database.transaction() as session:
        tenant = await tenants.find_tenant(
            session, platform=platform.name, external_id=platform.tenant
        )
        assert tenant is not None
        await store_roster(
            session,
            pepper=services.waves.pepper,
            platform=platform.name,
            tenant=platform.tenant,
            tenant_id=tenant.id,
            rows=[
                RosterRow(
                    line=n + 2, user=user, email=None, labels={"team": team}, started_on=started
                )
                for n, (user, team) in enumerate(teams.items())
            ],
            users=list(teams),
        )


async def answers(services: Services) -> list[dict[str, str]]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(col(Response.segments)))).scalars())


async def test_answers_keep_the_groups_of_the_wave_opening_after_a_reorganisation(
    services: Services, reach: Reach, platform: RecordingPlatform, survey: Survey, clock: Clock
) -> None:
    people = [*ENG, *OPS, *NEW]
    for user in people:
        # The platform says "platform" for team; the roster wins. Role comes only from it.
        platform.join(user, timezone="UTC", segments={"team": "platform", "role": "dev"})
    teams = {**dict.fromkeys(ENG, "eng"), **dict.fromkeys(OPS, "ops"), **dict.fromkeys(NEW, "new")}
    await give_roster(services, platform, teams, started=date(2024, 9, 1))

    opened = await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert opened is not None and opened.invited == len(people) + 4  # and the fixture's four

    # The re-organisation: everyone moves to "merged" on the roster, and the platform
    # now says "later" at the click. Neither reaches the answers to the wave's asks.
    await give_roster(services, platform, dict.fromkeys(people, "merged"), started=date(2020, 1, 1))
    for user in [*ENG[:5], *OPS[:3]]:
        clicked = Person(
            platform=platform.name,
            tenant=platform.tenant,
            user_id=user,
            segments={"team": "later", "role": "lead"},
        )
        reply = await services.engine.record_score(clicked, survey_id=str(survey.id), score=9)
        assert isinstance(reply, ReasonPrompt)

    stored = await answers(services)
    assert Counter(labels["team"] for labels in stored) == {"eng": 5, "ops": 3}
    # 18 months of tenure on the day of the opening (2026-03-10): band 1–2y, not 5y+.
    assert {(labels["role"], labels["tenure"]) for labels in stored} == {("dev", "1–2y")}

    async with services.database.transaction() as session:
        report = await services.reports.survey_report(
            session, survey=survey, request=ReportRequest(by="team"), today=clock().date()
        )
    groups = {group.label: group for group in report.wave_groups}
    assert set(groups) == {"eng", "ops", "new"}
    assert (groups["eng"].invited, groups["eng"].answered) == (6, 5)
    assert (groups["ops"].invited, groups["ops"].answered) == (4, 3)
    assert groups["new"].invited is None and groups["new"].withheld is Verdict.TOO_FEW
    assert report.to_json()["wave_segments"][0] == {
        "label": "eng",
        "suppressed": False,
        "invited": 6,
        "answered": 5,
        "response_rate": 5 / 6,
    }


async def test_a_wave_group_the_gate_refuses_shows_neither_count(
    services: Services, reach: Reach, platform: RecordingPlatform, survey: Survey, clock: Clock
) -> None:
    # k = 3: "eng" has 3 answers in the wave, "ops" 2; the report's team breakdown and
    # the wave's groups must not let "ops" be computed from the overall figures.
    for user in [*ENG[:3], *OPS[:2]]:
        platform.join(user, timezone="UTC")
    await give_roster(
        services,
        platform,
        {**dict.fromkeys(ENG[:3], "eng"), **dict.fromkeys(OPS[:2], "ops")},
        started=date(2025, 1, 1),
    )
    await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    for user in [*ENG[:3], *OPS[:2]]:
        who = Person(platform=platform.name, tenant=platform.tenant, user_id=user)
        assert isinstance(
            await services.engine.record_score(who, survey_id=str(survey.id), score=3),
            ReasonPrompt,
        )
    async with services.database.transaction() as session:
        report = await services.reports.survey_report(
            session, survey=survey, request=ReportRequest(by="team"), today=clock().date()
        )
    groups = {group.label: group for group in report.wave_groups}
    assert groups["ops"].withheld is Verdict.TOO_FEW and groups["ops"].answered is None
    # eng alone would give ops away (overall − eng): withheld too, without its counts.
    assert groups["eng"].withheld is Verdict.REVEALS and groups["eng"].invited is None


async def test_an_ask_keeps_the_labels_it_was_made_with_until_answered(
    services: Services, reach: Reach, platform: RecordingPlatform, survey: Survey
) -> None:
    platform.join(ENG[0], timezone="UTC", segments={"location": "Tokyo"})
    await give_roster(services, platform, {ENG[0]: "eng"}, started=date(2026, 3, 1))
    await open_wave(services.waves, reach, survey_id=survey.id, scheduled_for=OPENING)
    async with services.database.transaction() as session:
        kept = (await session.execute(select(col(Contact.labels)))).scalars().all()
    assert {"team": "eng", "location": "Tokyo", "tenure": "<1y"} in kept
