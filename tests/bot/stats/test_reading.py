"""The phase and progress a report may state: tested, with a minimum n, and a success
never called a slip. Simulations are seeded."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Composition
from bot.stats.reading import (
    linear_trend,
    nps_trend,
    share_trend,
    supported_reading,
    wilson_interval,
)
from bot.stats.structure import Phase, Progress, read_phase

RUNS = 400


def draw(rng: np.random.Generator, shares: tuple[float, float, float], n: int) -> Composition:
    detractors, passives, promoters = rng.multinomial(n, shares)
    return Composition(int(detractors), int(passives), int(promoters))


def progress_rate(
    seed: int,
    shares: list[tuple[float, float, float]],
    *,
    n: int,
    progress: Progress | None = None,
) -> float:
    """Share of runs whose reading states ``progress`` (any progress when ``None``)."""
    rng = np.random.default_rng(seed)
    said = 0
    for _ in range(RUNS):
        reading = supported_reading([draw(rng, period, n) for period in shares])
        stated = reading.progress if reading is not None else None
        said += stated is not None if progress is None else stated is progress
    return said / RUNS


@pytest.mark.parametrize(
    "shares",
    [
        (0.4, 0.3, 0.3),  # reduce detractors
        (0.1, 0.6, 0.3),  # grow promoters
        (0.05, 0.25, 0.7),  # sustain
    ],
)
@pytest.mark.parametrize("periods", [2, 4])
def test_no_change_rarely_states_a_progress(
    shares: tuple[float, float, float], periods: int
) -> None:
    # 30 answers a period, nothing changes: the old reading spoke in 75-98 % of runs.
    assert progress_rate(periods * 7 + int(shares[0] * 100), [shares] * periods, n=30) <= 0.06


def test_detractors_turning_passive_is_never_a_slip() -> None:
    # 40 % -> 20 % detractors, promoters unchanged: E falls mechanically, NPS rises.
    shift = [(0.4, 0.3, 0.3), (0.2, 0.5, 0.3)]
    assert progress_rate(11, shift, n=200, progress=Progress.SLIPPING) == 0.0
    assert read_phase([Composition(80, 60, 60), Composition(40, 100, 60)]) is not None


def test_a_planted_rise_of_promoters_is_stated_as_advancing() -> None:
    shift = [(0.1, 0.75, 0.15), (0.1, 0.6, 0.3)]
    assert progress_rate(12, shift, n=200, progress=Progress.ADVANCING) >= 0.9
    assert progress_rate(12, shift, n=200, progress=Progress.SLIPPING) == 0.0


def test_a_planted_rise_of_detractors_is_stated_as_slipping() -> None:
    shift = [(0.35, 0.35, 0.3), (0.5, 0.25, 0.25)]
    assert progress_rate(13, shift, n=200, progress=Progress.SLIPPING) >= 0.8
    assert progress_rate(13, shift, n=200, progress=Progress.ADVANCING) == 0.0


def test_a_planted_fall_of_the_nps_in_sustain_is_slipping() -> None:
    shift = [(0.02, 0.18, 0.8), (0.1, 0.25, 0.65)]
    assert progress_rate(14, shift, n=200, progress=Progress.SLIPPING) >= 0.9


def test_no_phase_from_seven_answers() -> None:
    assert read_phase([Composition(0, 0, 7)]) is not None  # the description still exists
    assert supported_reading([Composition(0, 0, 7)]) is None


def test_no_phase_when_the_interval_straddles_the_threshold() -> None:
    # S = 0.7 exactly at 100 answers: the Wilson interval holds both sides.
    assert supported_reading([Composition(30, 40, 30)]) is None
    clear = supported_reading([Composition(60, 20, 20)])
    assert clear is not None and clear.phase is Phase.REDUCE_DETRACTORS


def test_hand_computed_cochran_armitage() -> None:
    # 10/40 then 20/40: p = 0.375, t̄ = 0.5, Σn(t - t̄)² = 20, T = 0.5·(20 - 15) - 0.5·(10 - 15)
    # = 5, var = 0.375·0.625·20 = 4.6875, z = 5/sqrt(4.6875) = 2.3094
    result = share_trend([Composition(30, 10, 0), Composition(20, 20, 0)], lambda c: c.passives)
    assert result.z == pytest.approx(5 / 4.6875**0.5)


def test_wilson_hand_computed() -> None:
    low, high = wilson_interval(7, 7)
    assert high == 1.0 and low == pytest.approx(0.6457, abs=1e-4)


periods_strategy = st.lists(
    st.builds(
        Composition,
        st.integers(0, 200),
        st.integers(0, 200),
        st.integers(0, 200),
    ),
    min_size=2,
    max_size=6,
)


@given(periods_strategy)
def test_reversing_time_negates_the_trend(periods: list[Composition]) -> None:
    forward, backward = nps_trend(periods), nps_trend(periods[::-1])
    if forward.z is None:
        assert backward.z is None
    else:
        assert backward.z == pytest.approx(-forward.z, abs=1e-9)


@given(periods_strategy)
def test_a_stated_progress_never_contradicts_the_nps(periods: list[Composition]) -> None:
    reading = supported_reading(periods)
    if reading is None or reading.progress is None:
        return
    z = nps_trend([c for c in periods if c.n >= 30]).z or 0.0
    assert (z >= 0) if reading.progress is Progress.ADVANCING else (z <= 0)


def test_a_constant_value_has_no_trend() -> None:
    assert linear_trend([(10, 10.0, 10.0), (5, 5.0, 5.0)]).z is None
    assert linear_trend([(10, 3.0, 3.0)]).z is None
