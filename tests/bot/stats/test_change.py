import math
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Composition
from bot.stats.change import Verdict, change

counts = st.integers(min_value=0, max_value=1_000)
answered = st.builds(Composition, counts, counts, counts).filter(lambda c: c.n > 0)


def _normal_two_sided(z: float) -> float:
    return 2 * (1 - NormalDist().cdf(abs(z)))


def test_hand_computed_small_samples_show_no_clear_change() -> None:
    # now D=2 Pa=3 P=5, before D=5 Pa=3 P=2: both n' = 13, V' = 8.5/13 - (3/13)² = 101.5/169
    # c' = +3/13 and -3/13; SE = sqrt(2·101.5/169/13) = sqrt(203/2197) = 0.303972
    # z = (6/13)/0.303972 = 1.518361; p = 0.128924
    result = change(Composition(2, 3, 5), Composition(5, 3, 2))
    z = (6 / 13) / math.sqrt(203 / 2197)
    assert result.difference == pytest.approx(60.0, abs=1e-9)
    assert result.z == pytest.approx(z, abs=1e-9)
    assert result.z == pytest.approx(1.518361, abs=1e-6)
    assert result.p_value == pytest.approx(0.128924, abs=1e-6)
    assert result.p_value == pytest.approx(_normal_two_sided(z), abs=1e-9)
    assert result.verdict is Verdict.NO_CLEAR_CHANGE


def test_hand_computed_large_samples_show_a_rise() -> None:
    # D=20 Pa=30 P=50 against 50/30/20: n' = 103, c' = ±30/103,
    # V' = 71.5/103 - (30/103)² = 6464.5/10609; SE = sqrt(2·6464.5/10609/103)
    result = change(Composition(20, 30, 50), Composition(50, 30, 20))
    z = (60 / 103) / math.sqrt(2 * 6464.5 / 10609 / 103)
    assert result.z == pytest.approx(z, abs=1e-9)
    assert result.p_value == pytest.approx(_normal_two_sided(z), abs=1e-9)
    assert result.verdict is Verdict.UP
    assert change(Composition(50, 30, 20), Composition(20, 30, 50)).verdict is Verdict.DOWN


@pytest.mark.parametrize(
    ("current", "previous"),
    [(Composition(0, 0, 0), Composition(1, 2, 3)), (Composition(1, 2, 3), Composition(0, 0, 0))],
)
def test_an_empty_period_gives_no_change(current: Composition, previous: Composition) -> None:
    result = change(current, previous)
    assert (result.difference, result.z, result.p_value) == (None, None, None)
    assert result.verdict is Verdict.NO_CLEAR_CHANGE


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1])
def test_alpha_must_be_a_probability(alpha: float) -> None:
    with pytest.raises(ValueError):
        change(Composition(1, 1, 1), Composition(1, 1, 1), alpha=alpha)


@given(answered, answered)
def test_swapping_periods_negates_and_keeps_p(a: Composition, b: Composition) -> None:
    forward, backward = change(a, b), change(b, a)
    assert forward.z is not None and backward.z is not None
    assert forward.difference is not None and backward.difference is not None
    assert backward.z == pytest.approx(-forward.z, abs=1e-9)
    assert backward.difference == pytest.approx(-forward.difference, abs=1e-9)
    assert backward.p_value == pytest.approx(forward.p_value, abs=1e-12)
    flipped = {Verdict.UP: Verdict.DOWN, Verdict.DOWN: Verdict.UP}
    assert backward.verdict is flipped.get(forward.verdict, Verdict.NO_CLEAR_CHANGE)


@given(answered, answered)
def test_verdict_follows_p_and_the_sign_of_z(a: Composition, b: Composition) -> None:
    result = change(a, b)
    assert result.p_value is not None and result.z is not None
    assert 0.0 <= result.p_value <= 1.0
    if result.p_value >= 0.05:
        assert result.verdict is Verdict.NO_CLEAR_CHANGE
    else:
        assert result.verdict is (Verdict.UP if result.z > 0 else Verdict.DOWN)


@given(answered)
def test_identical_periods_show_no_change(c: Composition) -> None:
    result = change(c, c)
    assert result.z == 0.0
    assert result.p_value == 1.0
    assert result.verdict is Verdict.NO_CLEAR_CHANGE
