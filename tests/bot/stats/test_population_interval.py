"""The interval of a wave with a known audience: finite-population correction, never
wider than the worst-case bounds, a single value once everyone answered."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Composition
from bot.stats.interval import (
    Z_95,
    IntervalMethod,
    adjusted,
    nps_interval,
    population_bounds,
    population_interval,
)

counts = st.integers(min_value=0, max_value=300)


@st.composite
def waves(draw: st.DrawFn) -> tuple[Composition, int]:
    answered = draw(st.builds(Composition, counts, counts, counts).filter(lambda c: c.n > 0))
    return answered, answered.n + draw(st.integers(min_value=0, max_value=2_000))


def test_twelve_of_twelve_is_the_nps_itself() -> None:
    # 5 promoters, 5 passives, 2 detractors: +25, and every invited person answered.
    result = population_interval(Composition(2, 5, 5), invited=12)
    assert result.low == result.high == pytest.approx(25.0)
    assert result.margin == 0.0
    assert result.method is IntervalMethod.FINITE_POPULATION and result.population == 12


def test_forty_of_fifty_stays_inside_what_the_bounds_prove() -> None:
    answered = Composition(detractors=8, passives=12, promoters=20)  # +30
    bounds = population_bounds(answered, invited=50)
    open_audience = nps_interval(answered)
    known = population_interval(answered, invited=50)
    assert open_audience.high is not None and bounds.high is not None
    assert open_audience.high > bounds.high  # the open-audience interval reaches the impossible
    assert known.low is not None and known.high is not None and bounds.low is not None
    assert bounds.low <= known.low < known.high <= bounds.high


def test_hand_computed_half_width() -> None:
    answered = Composition(detractors=8, passives=12, promoters=20)
    adj = adjusted(answered)
    half = Z_95 * math.sqrt(adj.variance * (1 / adj.n + 1 / 10))
    share = 40 / 50
    result = population_interval(answered, invited=50)
    assert result.low == pytest.approx(100 * (share * 0.3 + (1 - share) * (adj.centre - half)))
    assert result.high == pytest.approx(100 * (share * 0.3 + (1 - share) * (adj.centre + half)))


def test_more_answers_than_invitations_is_refused() -> None:
    with pytest.raises(ValueError):
        population_interval(Composition(1, 1, 1), invited=2)


@given(waves())
def test_never_wider_than_the_bounds(wave: tuple[Composition, int]) -> None:
    answered, invited = wave
    bounds = population_bounds(answered, invited=invited)
    result = population_interval(answered, invited=invited)
    assert result.low is not None and result.high is not None
    assert bounds.low is not None and bounds.high is not None
    assert bounds.low - 1e-9 <= result.low <= result.high <= bounds.high + 1e-9
    assert result.margin == pytest.approx((result.high - result.low) / 2)


@given(st.builds(Composition, counts, counts, counts).filter(lambda c: c.n > 0))
def test_zero_width_when_everyone_answered(answered: Composition) -> None:
    result = population_interval(answered, invited=answered.n)
    assert answered.nps is not None
    assert result.low == result.high == pytest.approx(answered.nps)


@given(waves())
def test_one_more_invitation_never_narrows_it(wave: tuple[Composition, int]) -> None:
    answered, invited = wave
    narrow = population_interval(answered, invited=invited)
    wide = population_interval(answered, invited=invited + 1)
    assert narrow.margin is not None and wide.margin is not None
    assert wide.margin >= narrow.margin - 1e-9


@pytest.mark.parametrize(("invited", "answered"), [(50, 40), (60, 20), (30, 29)])
def test_coverage_for_answers_drawn_without_replacement(invited: int, answered: int) -> None:
    rng = np.random.default_rng(invited * 1000 + answered)
    runs, covered = 2_000, 0
    for _ in range(runs):
        people = rng.choice([-1, 0, 1], size=invited, p=[0.3, 0.3, 0.4])
        truth = 100.0 * people.mean()
        picked = rng.choice(people, size=answered, replace=False)
        sample = Composition(
            detractors=int((picked == -1).sum()),
            passives=int((picked == 0).sum()),
            promoters=int((picked == 1).sum()),
        )
        result = population_interval(sample, invited=invited)
        assert result.low is not None and result.high is not None
        covered += result.low - 1e-9 <= truth <= result.high + 1e-9
    assert covered / runs >= 0.93
