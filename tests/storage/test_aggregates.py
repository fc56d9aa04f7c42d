"""Aggregation in SQL, on SQLite and PostgreSQL: the cube matches the stored answers."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bot.runtime.services import Services
from storage import aggregates, disclosure, tenants
from storage import answers as answer_store
from storage import surveys as survey_store
from storage.models import Invitation, ReleaseState, Survey, Wave
from storage.periods import PeriodKind
from storage.transfer import label_counts
from tests.support.release import release_waiting

NOW = datetime(2026, 3, 10, tzinfo=UTC)


async def make_survey(services: Services, name: str = "eng") -> Survey:
    async with services.database.transaction() as session:
        tenant = await tenants.get_or_create_tenant(
            session, platform="console", external_id="local", locale="en", now=NOW
        )
        return await survey_store.get_or_create_survey(
            session, tenant_id=tenant.id, name=name, kind="enps", subject="", now=NOW
        )


async def add_answers(
    services: Services,
    survey: Survey,
    answers: list[tuple[date, dict[str, str], int]],
    *,
    wave_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> None:
    async with services.database.transaction() as session:
        for day, segments, score in answers:
            answer = await answer_store.insert_response(
                session,
                tenant_id=survey.tenant_id,
                survey_id=survey.id,
                wave_id=wave_id,
                score=score,
                segments=segments,
                answered_on=day,
            )
            if reason is not None:
                await answer_store.set_reason(
                    session, tenant_id=survey.tenant_id, response_id=answer, reason=reason
                )


def random_answers(count: int, *, seed: int) -> list[tuple[date, dict[str, str], int]]:
    pick = random.Random(seed)
    answers = []
    for _ in range(count):
        day = date(2025, 11, 1) + timedelta(days=pick.randrange(150))
        labels = pick.choice([{}, {"team": "A"}, {"team": "B", "role": "dev"}, {"role": "ops"}])
        answers.append((day, labels, pick.randrange(11)))
    return answers


def as_counter(cells: tuple[aggregates.Cell, ...]) -> Counter[tuple[str | None, str | None, int]]:
    return Counter({(c.period, c.group, c.score): c.count for c in cells})


async def test_cube_by_month_and_team_matches_the_answers(services: Services) -> None:
    survey = await make_survey(services)
    answers = random_answers(120, seed=1)
    await add_answers(services, survey, answers)
    other = await make_survey(services, "other")
    await add_answers(services, other, random_answers(10, seed=2))
    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
        cells = await aggregates.score_cube(
            session, survey_id=survey.id, period=PeriodKind.MONTH, by="team", through_step=step
        )
    expected = Counter(
        (f"{day:%Y-%m}", labels.get("team"), score) for day, labels, score in answers
    )
    assert as_counter(cells) == expected
    assert [c.period for c in cells] == sorted(c.period or "" for c in cells)


async def test_cube_by_quarter_without_label(services: Services) -> None:
    survey = await make_survey(services)
    answers = random_answers(80, seed=3)
    await add_answers(services, survey, answers)
    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
        cells = await aggregates.score_cube(
            session, survey_id=survey.id, period=PeriodKind.QUARTER, through_step=step
        )
        overall = await aggregates.score_cube(session, survey_id=survey.id, through_step=step)
    expected = Counter(
        (f"{day.year}-Q{(day.month + 2) // 3}", None, score) for day, _, score in answers
    )
    assert as_counter(cells) == expected
    assert as_counter(overall) == Counter((None, None, score) for _, _, score in answers)


async def test_cube_by_wave_and_latest_invited_wave(services: Services) -> None:
    survey = await make_survey(services)
    async with services.database.transaction() as session:
        waves = []
        for days in (0, 30):
            opens = NOW + timedelta(days=days)
            wave = Wave(
                survey_id=survey.id,
                scheduled_for=opens,
                opens_at=opens,
                closes_at=opens + timedelta(days=14),
            )
            session.add(wave)
            waves.append(wave)
        await session.flush()
        for i in range(12):
            session.add(Invitation(wave_id=waves[1].id, respondent_key=f"key{i}", deliver_at=NOW))
    first = [(date(2026, 3, 11), {}, 9)] * 4
    second = [(date(2026, 4, 10), {}, 3)] * 5 + [(date(2026, 4, 11), {}, 10)] * 2
    await add_answers(services, survey, first, wave_id=waves[0].id)
    await add_answers(services, survey, second, wave_id=waves[1].id)
    await add_answers(services, survey, [(date(2026, 4, 12), {}, 8)])  # outside any wave
    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
        cells = await aggregates.score_cube(
            session, survey_id=survey.id, period=PeriodKind.WAVE, through_step=step
        )
        latest = await aggregates.latest_invited_wave(
            session, survey_id=survey.id, through_step=step
        )
    assert as_counter(cells) == Counter(
        {
            ("2026-03-10", None, 9): 4,
            ("2026-04-09", None, 3): 5,
            ("2026-04-09", None, 10): 2,
            (None, None, 8): 1,  # outside any wave: no period, still counted
        }
    )
    assert latest is not None and latest.wave_id == waves[1].id
    assert latest.invited == 12 and latest.label == "2026-04-09"
    assert latest.histogram == (0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 2)


async def test_no_invitations_means_no_wave(services: Services) -> None:
    survey = await make_survey(services)
    async with services.database.transaction() as session:
        assert (
            await aggregates.latest_invited_wave(session, survey_id=survey.id, through_step=1)
            is None
        )


async def test_reasons_skip_blank_and_missing(services: Services) -> None:
    survey = await make_survey(services)
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 2)] * 3, reason="too slow")
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 9)] * 2, reason="   ")
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 9)] * 2)
    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
        found = await aggregates.reasons(session, survey_id=survey.id, through_step=step)
    assert [(r.score, r.text) for r in found] == [(2, "too slow")] * 3


async def test_answers_outside_the_release_step_are_not_counted(services: Services) -> None:
    survey = await make_survey(services)
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 9)] * 6, reason="fine")
    async with services.database.transaction() as session:
        step = await release_waiting(session, survey_id=survey.id)
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 0)] * 2, reason="bad")
    async with services.database.transaction() as session:
        cells = await aggregates.score_cube(session, survey_id=survey.id, through_step=step)
        found = await aggregates.reasons(session, survey_id=survey.id, through_step=step)
        nothing = await aggregates.score_cube(session, survey_id=survey.id, through_step=0)
    assert as_counter(cells) == Counter({(None, None, 9): 6})
    assert {r.text for r in found} == {"fine"}
    assert nothing == ()


async def test_label_counts_group_equal_label_sets(services: Services) -> None:
    survey = await make_survey(services)
    answers = random_answers(40, seed=4)
    await add_answers(services, survey, answers)
    async with services.database.transaction() as session:
        counts = await label_counts(session, survey_id=survey.id)
    expected = Counter(tuple(sorted(labels.items())) for _, labels, _ in answers)
    assert Counter({tuple(sorted(labels.items())): n for labels, n in counts}) == expected


async def test_a_release_with_no_step_to_cut_writes_nothing(services: Services) -> None:
    survey = await make_survey(services)
    async with services.database.transaction() as session:
        state = await disclosure.lock_release(session, survey_id=survey.id, k=2)
        assert state.step == 0
    async with services.database.transaction() as session:
        assert await session.get(ReleaseState, survey.id) is None
    await add_answers(services, survey, [(date(2026, 3, 1), {}, 9)])
    async with services.database.transaction() as session:
        await disclosure.lock_release(session, survey_id=survey.id, k=2)
    async with services.database.transaction() as session:
        assert await session.get(ReleaseState, survey.id) is None, "one answer of k = 2"
    await add_answers(services, survey, [(date(2026, 3, 2), {}, 3)])
    async with services.database.transaction() as session:
        await disclosure.lock_release(session, survey_id=survey.id, k=2)
    async with services.database.transaction() as session:
        assert await session.get(ReleaseState, survey.id) is not None


async def test_released_atoms_and_reason_sides_match_the_answers(services: Services) -> None:
    """The two-step count of released answers per (step, day, wave, labels), and both
    sides' reasons counted in one statement, give what counting the answers gives."""
    survey = await make_survey(services)
    first, second = random_answers(60, seed=5), random_answers(40, seed=6)
    await add_answers(services, survey, first, reason="because")
    async with services.database.transaction() as session:
        step_one = await release_waiting(session, survey_id=survey.id)
    await add_answers(services, survey, second)
    async with services.database.transaction() as session:
        step_two = await release_waiting(session, survey_id=survey.id)
        atoms = await disclosure.atoms(session, survey_id=survey.id, through_step=step_two)
        sides = await disclosure.reasons_by_side(
            session, survey_id=survey.id, after_step=0, through_step=step_two
        )
        later_sides = await disclosure.reasons_by_side(
            session, survey_id=survey.id, after_step=step_one, through_step=step_two
        )
    expected: Counter[tuple[int, date, tuple[tuple[str, str], ...]]] = Counter()
    for step, answers in ((step_one, first), (step_two, second)):
        for day, labels, _score in answers:
            expected[(step, day, tuple(sorted(labels.items())))] += 1
    counted = Counter(
        {(atom.step, atom.day, tuple(sorted(atom.labels.items()))): atom.count for atom in atoms}
    )
    assert counted == expected
    assert all(atom.wave is None for atom in atoms)
    assert sides == (
        sum(score <= 6 for _, _, score in first),
        sum(score >= 9 for _, _, score in first),
    )
    assert later_sides == (0, 0)  # the second step's answers have no reason
