"""The drivers part of a report: withheld under k, Spearman or Shapley as the counts
allow, its JSON, its words and its chart."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.drivers import DriverQuestion
from bot.i18n import Catalogs
from bot.report.build import SurveyFacts, build_report
from bot.report.drivers import driver_report
from bot.report.model import ReportRequest, SurveyReport
from bot.report.render import render_report
from bot.stats.drivers import Method
from bot.stats.terms import Tokenizers, english_terms
from storage.ratings import RatedAnswers
from tests.bot.report.cube import cube, verdicts

GROWTH = DriverQuestion("growth", "Growth")
MANAGER = DriverQuestion("manager", "My manager")
PNG = b"\x89PNG\r\n\x1a\n"


def rows(*answers: tuple[int, tuple[int | None, ...]]) -> list[RatedAnswers]:
    return [RatedAnswers(score=score, ratings=ratings, count=1) for score, ratings in answers]


def test_no_driver_questions_means_no_drivers_part() -> None:
    assert driver_report((), (), k=5) is None


def test_spearman_below_the_floor_matches_the_hand_computed_value() -> None:
    # Ranks of the scores 5, 6, 7, 8, 7 are 1, 2, 3.5, 5, 3.5: rho = 8 / sqrt(10 · 9.5).
    rated = rows((5, (1,)), (6, (2,)), (7, (3,)), (8, (4,)), (7, (5,)))
    found = driver_report([GROWTH], rated, k=3)
    assert found is not None and found.method is Method.SPEARMAN
    [line] = found.lines
    assert line.answers == 5 and line.mean_rating == 3.0
    assert line.importance == pytest.approx(8 / math.sqrt(95), abs=1e-12)
    z = math.atanh(8 / math.sqrt(95))
    half = 1.959964 / math.sqrt(5 - 3)
    assert (line.low, line.high) == (
        pytest.approx(math.tanh(z - half), abs=1e-9),
        pytest.approx(math.tanh(z + half), abs=1e-9),
    )


def test_a_driver_under_k_ratings_is_withheld_and_left_out_of_the_analysis() -> None:
    growth_only = [(score, (1 + score % 5, None)) for score in range(2, 10)]
    manager_only = [(9, (None, 5)), (3, (None, 1)), (7, (None, 4)), (6, (None, 2))]
    found = driver_report([GROWTH, MANAGER], rows(*growth_only, *manager_only), k=5)
    assert found is not None and found.method is Method.SPEARMAN
    growth, manager = found.lines
    assert growth.answers == 8 and growth.importance is not None
    assert manager.suppressed
    assert (manager.answers, manager.mean_rating, manager.importance) == (None, None, None)
    assert found.to_json()[1] == {
        "key": "manager",
        "label": "My manager",
        "suppressed": True,
        "method": None,
    }


def test_every_driver_withheld_shows_no_method() -> None:
    found = driver_report([GROWTH], rows((9, (5,)), (1, (1,))), k=5)
    assert found is not None and found.method is None and found.lines[0].suppressed


def correlated(count: int, *, seed: int) -> list[RatedAnswers]:
    pick = random.Random(seed)
    answers = []
    for _ in range(count):
        growth, manager = pick.randint(1, 5), pick.randint(1, 5)
        score = max(0, min(10, round(2 * growth + 0.3 * manager - 2 + pick.gauss(0, 1))))
        answers.append((score, (growth, manager)))
    return rows(*answers)


def test_shapley_with_enough_complete_answers_shares_out_r_squared() -> None:
    found = driver_report([GROWTH, MANAGER], correlated(60, seed=1), k=5, resamples=200)
    assert found is not None and found.method is Method.SHAPLEY
    growth, manager = found.lines
    assert found.r_squared is not None
    assert growth.importance is not None and manager.importance is not None
    assert growth.importance + manager.importance == pytest.approx(found.r_squared)
    assert growth.importance > manager.importance
    assert growth.low is not None and growth.high is not None
    assert growth.low <= growth.importance <= growth.high
    as_json = found.to_json()[0]
    assert as_json["method"] == "shapley" and as_json["n"] == 60
    assert as_json["r_squared"] == found.r_squared


def test_shapley_also_needs_k_complete_answers() -> None:
    found = driver_report([GROWTH, MANAGER], correlated(35, seed=2), k=40)
    assert found is not None and found.method is None  # each driver has only 35 < 40
    found = driver_report([GROWTH, MANAGER], correlated(45, seed=2), k=40, resamples=50)
    assert found is not None and found.method is Method.SHAPLEY


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(
        st.tuples(
            st.integers(0, 10),
            st.tuples(*[st.one_of(st.none(), st.integers(1, 5)) for _ in range(3)]),
        ),
        max_size=40,
    ),
    k=st.integers(3, 12),
)
def test_no_number_is_drawn_from_fewer_than_k_ratings(
    answers: list[tuple[int, tuple[int | None, ...]]], k: int
) -> None:
    questions = [GROWTH, MANAGER, DriverQuestion("workload", "Workload")]
    found = driver_report(questions, rows(*answers), k=k, resamples=20)
    assert found is not None
    for index, line in enumerate(found.lines):
        rated = sum(1 for _, ratings in answers if ratings[index] is not None)
        if rated < k:
            assert line.suppressed and line.mean_rating is None and line.importance is None
        else:
            assert line.answers == rated


def report_with_drivers(rated: list[RatedAnswers], *, k: int = 5) -> SurveyReport:
    scores = [row.score for row in rated for _ in range(row.count)]
    return build_report(
        SurveyFacts(name="eng", kind="enps", k=k, k_comments=8, drivers=(GROWTH, MANAGER)),
        request=ReportRequest(),
        cells=(cells := cube([(None, None, score) for score in scores])),
        verdicts=verdicts(cells, k=k),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
        rated=rated,
    )


def test_the_report_json_carries_the_drivers() -> None:
    report = report_with_drivers(correlated(12, seed=3))
    drivers = report.to_json()["drivers"]
    assert [d["key"] for d in drivers] == ["growth", "manager"]
    assert all(d["method"] == "spearman" and d["n"] == 12 for d in drivers)


def test_a_withheld_report_has_no_drivers() -> None:
    report = report_with_drivers(correlated(4, seed=3))
    assert report.to_json()["drivers"] is None


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_chat_view_has_a_drivers_section_and_the_quadrant_chart(language: str) -> None:
    t = Catalogs().translator(language)
    report = report_with_drivers(correlated(40, seed=4))
    assert report.drivers is not None and report.drivers.r_squared is not None
    with_drivers = render_report(report, t)
    title = t("drivers.report.title")
    [section] = [s for s in with_drivers.sections if s.title == title]
    assert [row.label for row in section.rows] == ["Growth", "My manager"]
    r2 = f"{report.drivers.r_squared:.2f}"
    assert section.notes[0] == t("drivers.report.shapley", r2=r2, n=40)
    assert all(chart.startswith(PNG) for chart in with_drivers.charts)

    without = build_report(
        SurveyFacts(name="eng", kind="enps", k=5, k_comments=8),
        request=ReportRequest(),
        cells=(cells := cube([(None, None, 9)] * 40)),
        verdicts=verdicts(cells, k=5),
        wave=None,
        reasons=(),
        tokenizers=lambda: Tokenizers(japanese=english_terms),
    )
    plain = render_report(without, t)
    assert title not in [s.title for s in plain.sections]
    assert len(with_drivers.charts) == len(plain.charts) + 1


def test_withheld_drivers_read_as_withheld_in_the_chat_view() -> None:
    t = Catalogs().translator("en")
    growth_only = [RatedAnswers(r.score, (r.ratings[0], None), 1) for r in correlated(9, seed=5)]
    rated = growth_only + rows((9, (3, 5)), (2, (1, 1)))
    view = render_report(report_with_drivers(rated), t, charts=False)
    [section] = [s for s in view.sections if s.title == "Key drivers"]
    growth, manager = section.rows
    assert growth.value.startswith("mean ") and growth.value.endswith("· 11 ratings")
    assert manager.value == "withheld: fewer than 5 ratings"
