"""NPS arithmetic over histograms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Category, category, composition, display_round, histogram_of


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, Category.DETRACTOR),
        (6, Category.DETRACTOR),
        (7, Category.PASSIVE),
        (8, Category.PASSIVE),
        (9, Category.PROMOTER),
        (10, Category.PROMOTER),
    ],
)
def test_categories(score: int, expected: Category) -> None:
    assert category(score) is expected


@pytest.mark.parametrize("bad", [-1, 11, 100])
def test_out_of_range_scores_are_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        category(bad)


def test_nps_of_nobody_is_none_not_zero() -> None:
    empty = composition((0,) * 11)
    assert empty.n == 0 and empty.nps is None and empty.share(Category.PROMOTER) is None


def test_nps_by_hand() -> None:
    # 3 promoters, 1 passive, 2 detractors: (3 - 2) / 6 = 16.666… points
    counts = composition(histogram_of([10, 9, 9, 7, 3, 0]))
    assert (counts.detractors, counts.passives, counts.promoters) == (2, 1, 3)
    assert counts.nps == pytest.approx(100 / 6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.5, 13),
        (-12.5, -13),
        (12.49, 12),
        (-12.49, -12),
        (0.5, 1),
        (-0.5, -1),
        (0.0, 0),
        (99.5, 100),
        (16.666, 17),
    ],
)
def test_display_rounds_half_away_from_zero(value: float, expected: int) -> None:
    assert display_round(value) == expected


@pytest.mark.parametrize("histogram", [(1,) * 10, (1,) * 12, (0,) * 10 + (-1,)])
def test_malformed_histograms_are_refused(histogram: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        composition(histogram)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_is_bounded_and_matches_the_definition(scores: list[int]) -> None:
    counts = composition(histogram_of(scores))
    promoters = sum(score >= 9 for score in scores)
    detractors = sum(score <= 6 for score in scores)
    assert counts.n == len(scores)
    assert counts.nps == pytest.approx(100 * (promoters - detractors) / len(scores))
    assert counts.nps is not None and -100 <= counts.nps <= 100


@given(st.floats(-1000, 1000, allow_nan=False))
def test_display_round_is_symmetric_and_close(value: float) -> None:
    assert display_round(-value) == -display_round(value)
    assert abs(display_round(value) - value) <= 0.5
