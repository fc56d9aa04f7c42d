"""Movement of a share or a mean between two waves: intervals and the test, against an
independent computation (hypothesis) and known cases."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.stats.movement import Moments, mean_movement, share_estimate, share_movement
from bot.stats.structure import Direction

counts = st.integers(min_value=1, max_value=400)


def two_proportion_p(h1: int, n1: int, h2: int, n2: int) -> float | None:
    pooled = (h1 + h2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 1e-12:
        return None
    z = (h2 / n2 - h1 / n1) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


@given(counts, counts, st.data())
def test_a_share_movement_is_the_two_proportion_test(n1: int, n2: int, data: st.DataObject) -> None:
    h1 = data.draw(st.integers(min_value=0, max_value=n1))
    h2 = data.draw(st.integers(min_value=0, max_value=n2))
    moved = share_movement((h1, n1), (h2, n2))
    expected = two_proportion_p(h1, n1, h2, n2)
    if expected is None:
        assert moved.p_value is None and moved.direction is Direction.FLAT
    else:
        assert moved.p_value == pytest.approx(expected, rel=1e-9, abs=1e-12)
        if expected >= 0.05:
            assert moved.direction is Direction.FLAT
    for estimate, (hits, total) in ((moved.previous, (h1, n1)), (moved.current, (h2, n2))):
        assert estimate.low <= hits / total <= estimate.high and estimate.n == total


def test_a_clear_fall_is_named_and_a_small_one_is_not() -> None:
    clear = share_movement((12, 24), (2, 24))
    assert clear.direction is Direction.FALLING and clear.p_value is not None
    assert clear.p_value < 0.01
    unclear = share_movement((6, 24), (4, 24))
    assert unclear.direction is Direction.FLAT


def test_the_wilson_interval_of_nothing_found_starts_at_zero() -> None:
    estimate = share_estimate(0, 20)
    assert estimate.low == 0.0 and 0.1 < estimate.high < 0.2


ratings = st.lists(st.integers(min_value=1, max_value=5), min_size=2, max_size=60)


def moments(values: list[int]) -> Moments:
    return Moments(len(values), float(sum(values)), float(sum(v * v for v in values)))


@given(ratings, ratings)
def test_a_mean_movement_keeps_each_mean_inside_its_interval_and_the_scale(
    before: list[int], after: list[int]
) -> None:
    moved = mean_movement(moments(before), moments(after))
    for estimate, values in ((moved.previous, before), (moved.current, after)):
        mean = statistics.fmean(values)
        assert estimate.value == pytest.approx(mean)
        assert 1.0 <= estimate.low <= mean + 1e-9 and mean - 1e-9 <= estimate.high <= 5.0
        half = 1.959963984540054 * statistics.stdev(values) / math.sqrt(len(values))
        assert estimate.low == pytest.approx(max(1.0, mean - half), abs=1e-6)
    if moved.direction is not Direction.FLAT:
        assert moved.p_value is not None and moved.p_value < 0.05
        rising = statistics.fmean(after) > statistics.fmean(before)
        assert moved.direction is (Direction.RISING if rising else Direction.FALLING)


def test_a_rating_that_rose_clearly_is_named() -> None:
    moved = mean_movement(moments([2, 2, 3, 2, 3] * 6), moments([4, 4, 5, 4, 3] * 6))
    assert moved.direction is Direction.RISING
