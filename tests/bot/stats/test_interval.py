import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Composition, composition
from bot.stats.interval import (
    Z_95,
    adjusted,
    nps_interval,
    population_bounds,
    sample_size_for_margin,
    sample_size_guidance,
)

counts = st.integers(min_value=0, max_value=2_000)
compositions = st.builds(Composition, counts, counts, counts)
answered = compositions.filter(lambda c: c.n > 0)


def test_hand_computed_interval() -> None:
    # D=2, Pa=3, P=5: n' = 13, p'D = 2.75/13, p'P = 5.75/13, c' = 3/13
    # V' = 8.5/13 - (3/13)^2 = 101.5/169;  SE = sqrt(101.5/169/13) = sqrt(101.5/2197)
    # c' ± 1.959964·SE = 0.2307692 ± 0.4212757 -> [-19.05065, 65.20450] points
    result = nps_interval(composition([0, 0, 1, 0, 0, 0, 1, 2, 1, 3, 2]))
    half = 1.959964 * math.sqrt(101.5 / 2197)
    assert result.n == 10
    assert result.nps == pytest.approx(30.0, abs=1e-9)
    assert result.low == pytest.approx(100 * (3 / 13 - half), abs=1e-9)
    assert result.high == pytest.approx(100 * (3 / 13 + half), abs=1e-9)
    assert result.margin == pytest.approx(100 * half, abs=1e-9)
    assert result.low == pytest.approx(-19.05065, abs=1e-4)
    assert result.high == pytest.approx(65.20450, abs=1e-4)


def test_clipped_at_plus_100_and_margin_is_half_the_clipped_width() -> None:
    # ten promoters: n' = 13, c' = 10/13, V' = 11.5/13 - 100/169 = 49.5/169
    # c' + 1.959964·sqrt(49.5/2197) = 1.0634 > 1 -> high clipped to 100
    result = nps_interval(Composition(detractors=0, passives=0, promoters=10))
    low = 100 * (10 / 13 - 1.959964 * math.sqrt(49.5 / 2197))
    assert result.nps == 100.0
    assert result.high == 100.0
    assert result.low == pytest.approx(low, abs=1e-9)
    assert result.margin == pytest.approx((100.0 - low) / 2, abs=1e-9)


def test_no_answers_gives_all_none() -> None:
    result = nps_interval(Composition(0, 0, 0))
    assert (result.n, result.nps, result.low, result.high, result.margin) == (
        0,
        None,
        None,
        None,
        None,
    )


@given(answered)
def test_interval_is_ordered_clipped_and_holds_the_adjusted_centre(c: Composition) -> None:
    result = nps_interval(c)
    assert result.low is not None and result.high is not None and result.margin is not None
    assert -100.0 <= result.low <= result.high <= 100.0
    assert result.low <= 100 * adjusted(c).centre <= result.high
    assert result.margin == pytest.approx((result.high - result.low) / 2)


@given(answered)
def test_swapping_detractors_and_promoters_mirrors_the_interval(c: Composition) -> None:
    result = nps_interval(c)
    mirrored = nps_interval(Composition(c.promoters, c.passives, c.detractors))
    assert result.nps is not None and mirrored.nps is not None
    assert result.low is not None and mirrored.high is not None
    assert result.high is not None and mirrored.low is not None
    assert mirrored.nps == pytest.approx(-result.nps, abs=1e-9)
    assert mirrored.low == pytest.approx(-result.high, abs=1e-9)
    assert mirrored.high == pytest.approx(-result.low, abs=1e-9)


@given(answered)
def test_wider_confidence_gives_a_wider_interval(c: Composition) -> None:
    narrow, wide = nps_interval(c, z=1.0), nps_interval(c)
    assert narrow.low is not None and wide.low is not None
    assert narrow.high is not None and wide.high is not None
    assert wide.low <= narrow.low and narrow.high <= wide.high


def test_population_bounds_hand_computed() -> None:
    # 50 invited, 30 answered (D=5, P=15): net 10, silent 20
    # low = 100·(10 - 20)/50 = -20, high = 100·(10 + 20)/50 = 60, rate 30/50
    bounds = population_bounds(Composition(5, 10, 15), invited=50)
    assert bounds.low == pytest.approx(-20.0)
    assert bounds.high == pytest.approx(60.0)
    assert bounds.response_rate == pytest.approx(0.6)
    assert bounds.low_response is False


@pytest.mark.parametrize(
    ("invited", "low_response"),
    [(30, False), (59, False), (60, False), (61, True), (100, True)],
)
def test_low_response_flag_below_half(invited: int, low_response: bool) -> None:
    assert population_bounds(Composition(5, 10, 15), invited=invited).low_response is low_response


def test_population_bounds_reject_more_answers_than_invitations() -> None:
    with pytest.raises(ValueError):
        population_bounds(Composition(5, 10, 15), invited=29)


def test_population_bounds_of_an_empty_wave() -> None:
    bounds = population_bounds(Composition(0, 0, 0), invited=0)
    assert (bounds.low, bounds.high, bounds.response_rate) == (None, None, None)


@given(answered, compositions)
def test_population_nps_lies_within_the_bounds(seen: Composition, silent: Composition) -> None:
    everyone = Composition(
        seen.detractors + silent.detractors,
        seen.passives + silent.passives,
        seen.promoters + silent.promoters,
    )
    bounds = population_bounds(seen, invited=everyone.n)
    assert bounds.low is not None and bounds.high is not None and everyone.nps is not None
    assert bounds.low - 1e-9 <= everyone.nps <= bounds.high + 1e-9


def test_sample_size_without_answers_uses_the_worst_case() -> None:
    # V' = 1: n' >= 1.959964² / 0.1² = 384.146 -> 385, minus the 3 pseudo-counts = 382
    # ±5: 1.959964² / 0.05² = 1536.58 -> 1537 - 3 = 1534
    ten, five = sample_size_guidance(Composition(0, 0, 0))
    assert (ten.margin, ten.needed, ten.additional) == (10.0, 382, 382)
    assert (five.margin, five.needed, five.additional) == (5.0, 1534, 1534)


def test_sample_size_hand_computed() -> None:
    # D=2, Pa=3, P=5: V' = 101.5/169 = 0.600592; 1.959964²·0.600592/0.01 = 230.71 -> 231 - 3
    guidance = sample_size_for_margin(Composition(2, 3, 5), margin=10.0)
    assert (guidance.needed, guidance.additional) == (228, 218)


def test_sample_size_rejects_a_non_positive_margin() -> None:
    with pytest.raises(ValueError):
        sample_size_for_margin(Composition(2, 3, 5), margin=0.0)


@given(compositions, st.floats(min_value=0.5, max_value=50.0))
def test_sample_size_is_the_smallest_that_reaches_the_margin(c: Composition, margin: float) -> None:
    variance = 1.0 if c.n == 0 else adjusted(c).variance
    needed = sample_size_for_margin(c, margin=margin).needed

    def half_width(n: int) -> float:
        return 100 * Z_95 * math.sqrt(variance / (n + 3))

    assert half_width(needed) <= margin * (1 + 1e-12)
    if needed > 0:
        assert half_width(needed - 1) > margin
