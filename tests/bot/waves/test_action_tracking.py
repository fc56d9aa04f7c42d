"""The report follows each action's theme across the last two waves: its share with
intervals and a test, worded only as far as the test goes; withheld while it cannot be
shown."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.actions import ActionDraft
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.runtime.services import Services
from storage import answers
from storage import ratings as ratings_store
from storage import waves as wave_store
from storage.models import Survey
from tests.bot.waves.conftest import OPENING, TENANT
from tests.support.recording_platform import NAME

FIRST = OPENING - timedelta(days=120)
SLOW = [(2, "onboarding was slow and confusing")] * 12
CALM = [(10, "great colleagues and a calm pace")] * 12
MEETINGS = [(3, "too many long meetings")] * 12
FEW = [(6, "onboarding"), (9, "fine"), (4, "pay")]
SECOND = OPENING - timedelta(days=10)


async def seed_wave(
    services: Services, survey: Survey, *, opens: datetime, written: list[tuple[int, str]]
) -> None:
    async with services.database.transaction() as session:
        wave = await wave_store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=opens,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        for score, reason in written:
            answer = await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave.id,
                score=score,
                segments={},
                answered_on=opens.date() + timedelta(days=1),
            )
            await answers.set_reason(
                session, tenant_id=survey.tenant_id, response_id=answer, reason=reason
            )
        await wave_store.close_wave(session, wave_id=wave.id)


async def report_of(services: Services, survey: Survey) -> SurveyReport:
    async with services.database.transaction() as session:
        return await services.reports.survey_report(
            session, survey=survey, request=ReportRequest(), today=OPENING.date()
        )


async def add_theme_action(services: Services) -> None:
    await services.actions.add(
        platform=NAME,
        tenant=TENANT,
        name="pulse",
        draft=ActionDraft(
            title="Onboarding buddies",
            owner="U0ADMIN01",
            due=(OPENING + timedelta(days=5)).date().isoformat(),
            theme="onboarding",
        ),
    )


async def test_the_report_shows_a_theme_falling_between_two_waves(
    services: Services, survey: Survey
) -> None:
    slow = [(2, "onboarding was slow and confusing")] * 12
    calm = [(10, "great colleagues and a calm pace")] * 12
    await seed_wave(services, survey, opens=FIRST, written=slow + calm)
    await add_theme_action(services)
    before = await report_of(services, survey)
    [waiting] = before.to_json()["actions"]
    assert waiting["tracking"] is None and waiting["tracking_withheld"] == "waves"

    meetings = [(3, "too many long meetings")] * 12
    await seed_wave(services, survey, opens=SECOND, written=meetings + calm)
    report = await report_of(services, survey)
    [action] = report.to_json()["actions"]
    assert (action["number"], action["title"], action["status"]) == (
        1,
        "Onboarding buddies",
        "planned",
    )
    tracking = action["tracking"]
    assert tracking["measure"] == "theme_share"
    assert (tracking["previous_wave"], tracking["current_wave"]) == (
        FIRST.date().isoformat(),
        SECOND.date().isoformat(),
    )
    assert tracking["previous"]["value"] == 0.5 and tracking["previous"]["n"] == 24
    assert tracking["current"]["value"] == 0.0 and tracking["current"]["n"] == 24
    assert tracking["previous"]["ci_low"] < 0.5 < tracking["previous"]["ci_high"]
    assert tracking["direction"] == "falling" and tracking["p_value"] < 0.001

    t = services.catalogs.translator("en")
    view = render_report(report, t, charts=False)
    [section] = [s for s in view.sections if s.title == t("report.actions")]
    [note] = section.notes
    assert "“onboarding”" in note and t("report.action.theme_falling", p="0.000") in note


async def test_too_few_reasons_in_a_wave_withhold_the_movement(
    services: Services, survey: Survey
) -> None:
    slow = [(2, "onboarding was slow and confusing")] * 12
    calm = [(10, "great colleagues and a calm pace")] * 12
    await seed_wave(services, survey, opens=FIRST, written=slow + calm)
    # The second wave has answers but only a few reasons: too few texts to count in.
    await seed_wave(services, survey, opens=SECOND, written=[(9, "fine")] * 3)
    async with services.database.transaction() as session:
        latest = await wave_store.latest_wave(session, survey_id=survey.id)
        assert latest is not None
        for _ in range(10):
            await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=latest.id,
                score=8,
                segments={},
                answered_on=SECOND.date() + timedelta(days=2),
            )
    await add_theme_action(services)
    report = await report_of(services, survey)
    [action] = report.to_json()["actions"]
    assert action["tracking"] is None and action["tracking_withheld"] == "texts"


async def test_a_few_reasons_outside_the_two_waves_withhold_the_movement(
    services: Services, survey: Survey
) -> None:
    # Three reasons in an older wave: the survey's themes count them with the two last
    # waves', so the two waves' counts would isolate those three by subtraction.
    await seed_wave(services, survey, opens=FIRST - timedelta(days=120), written=FEW)
    await seed_wave(services, survey, opens=FIRST, written=SLOW + CALM)
    await seed_wave(services, survey, opens=SECOND, written=MEETINGS + CALM)
    await add_theme_action(services)
    [action] = (await report_of(services, survey)).to_json()["actions"]
    assert action["tracking"] is None and action["tracking_withheld"] == "rest"


async def test_enough_reasons_outside_the_two_waves_leave_the_movement_shown(
    services: Services, survey: Survey
) -> None:
    await seed_wave(services, survey, opens=FIRST - timedelta(days=120), written=FEW * 4)
    await seed_wave(services, survey, opens=FIRST, written=SLOW + CALM)
    await seed_wave(services, survey, opens=SECOND, written=MEETINGS + CALM)
    await add_theme_action(services)
    [action] = (await report_of(services, survey)).to_json()["actions"]
    assert action["tracking"]["direction"] == "falling"


async def seed_rated_wave(
    services: Services, survey: Survey, *, opens: datetime, ratings: list[int]
) -> None:
    """A closed wave with one answer per rating of the driver ``growth``."""
    async with services.database.transaction() as session:
        wave = await wave_store.open_wave(
            session,
            survey_id=survey.id,
            scheduled_for=opens,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        for number, rating in enumerate(ratings):
            answer = await answers.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave.id,
                score=number % 11,
                segments={},
                answered_on=opens.date() + timedelta(days=1),
            )
            await ratings_store.set_rating(
                session, response_id=answer, driver="growth", rating=rating
            )
        await wave_store.close_wave(session, wave_id=wave.id)


async def test_the_report_shows_a_drivers_rating_rising_between_two_waves(
    services: Services, survey: Survey
) -> None:
    async with services.database.transaction() as session:
        stored = await session.get(Survey, survey.id)
        assert stored is not None
        stored.drivers = [{"key": "growth", "label": "Growth"}]
        session.add(stored)
    survey.drivers = [{"key": "growth", "label": "Growth"}]
    await seed_rated_wave(services, survey, opens=FIRST, ratings=[2, 2, 3, 2, 3] * 6)
    await seed_rated_wave(services, survey, opens=SECOND, ratings=[4, 4, 5, 4, 3] * 6)
    await services.actions.add(
        platform=NAME,
        tenant=TENANT,
        name="pulse",
        draft=ActionDraft(
            title="Growth plans",
            owner="U0ADMIN01",
            due=(OPENING + timedelta(days=5)).date().isoformat(),
            driver="growth",
        ),
    )
    report = await report_of(services, survey)
    [action] = report.to_json()["actions"]
    tracking = action["tracking"]
    assert tracking is not None, action["tracking_withheld"]
    assert tracking["measure"] == "driver_mean" and tracking["direction"] == "rising"
    assert tracking["previous"]["value"] == 2.4 and tracking["current"]["value"] == 4.0
    assert tracking["previous"]["n"] == tracking["current"]["n"] == 30
    t = services.catalogs.translator("en")
    [section] = [
        s for s in render_report(report, t, charts=False).sections if s.title == t("report.actions")
    ]
    assert "“growth” was rated 2.4 on average" in section.notes[0]
    assert "rated higher, a clear change" in section.notes[0]
