import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nps import Composition, histogram_of
from bot.stats.structure import (
    Direction,
    Phase,
    PhaseThresholds,
    Progress,
    nps_from_map,
    read_phase,
    score_distribution,
    structure,
)

counts = st.integers(min_value=0, max_value=1_000)
compositions = st.builds(Composition, counts, counts, counts)


def test_hand_computed_structure() -> None:
    # D=2 Pa=3 P=5: S = 8/10, E = 5/8; 100·(0.8·1.625 - 1) = 30 = NPS
    result = structure(Composition(2, 3, 5))
    assert result.detractor_share == pytest.approx(0.2)
    assert result.passive_share == pytest.approx(0.3)
    assert result.promoter_share == pytest.approx(0.5)
    assert result.satisfaction == pytest.approx(0.8)
    assert result.connection == pytest.approx(0.625)


def test_empty_and_all_detractor_structures() -> None:
    assert structure(Composition(0, 0, 0)).satisfaction is None
    everyone_unhappy = structure(Composition(4, 0, 0))
    assert everyone_unhappy.satisfaction == 0.0
    assert everyone_unhappy.connection is None


@given(compositions.filter(lambda c: c.passives + c.promoters > 0))
def test_the_map_rebuilds_the_nps(c: Composition) -> None:
    result = structure(c)
    assert result.satisfaction is not None and result.connection is not None
    assert c.nps is not None
    rebuilt = nps_from_map(satisfaction=result.satisfaction, connection=result.connection)
    assert rebuilt == pytest.approx(c.nps, abs=1e-9)


@given(compositions.filter(lambda c: c.n > 0))
def test_shares_add_up_to_one(c: Composition) -> None:
    result = structure(c)
    shares = (result.detractor_share, result.passive_share, result.promoter_share)
    assert sum(s for s in shares if s is not None) == pytest.approx(1.0)


def test_score_distribution() -> None:
    shares = score_distribution(histogram_of([0, 10, 10, 7]))
    assert shares == (0.25, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0.5)
    assert score_distribution([0] * 11) is None
    with pytest.raises(ValueError):
        score_distribution([1, 2, 3])


@pytest.mark.parametrize(
    ("latest", "phase"),
    [
        (Composition(4, 5, 1), Phase.REDUCE_DETRACTORS),  # S = 0.6 < 0.7
        (Composition(3, 5, 2), Phase.GROW_PROMOTERS),  # S = 0.7, E = 2/7 < 0.5
        (Composition(3, 4, 3), Phase.GROW_PROMOTERS),  # S = 0.7, E = 3/7
        (Composition(3, 3, 4), Phase.SUSTAIN),  # S = 0.7, E = 4/7
        (Composition(0, 0, 10), Phase.SUSTAIN),
        (Composition(10, 0, 0), Phase.REDUCE_DETRACTORS),  # no E at all
    ],
)
def test_phase_of_a_single_period(latest: Composition, phase: Phase) -> None:
    reading = read_phase([latest])
    assert reading is not None
    assert reading.phase is phase
    assert (reading.satisfaction, reading.connection, reading.progress) == (None, None, None)


def test_no_reading_without_answers_in_the_latest_period() -> None:
    assert read_phase([]) is None
    assert read_phase([Composition(1, 1, 1), Composition(0, 0, 0)]) is None


def test_thresholds_are_parameters() -> None:
    reading = read_phase([Composition(3, 5, 2)], thresholds=PhaseThresholds(satisfaction=0.8))
    assert reading is not None and reading.phase is Phase.REDUCE_DETRACTORS


@pytest.mark.parametrize(
    ("periods", "phase", "s", "e", "progress"),
    [
        # S 0.5 -> 0.6 rising, E 0.4 -> 0.5 rising: fixes pay off
        ([Composition(5, 3, 2), Composition(4, 3, 3)], Phase.REDUCE_DETRACTORS,
         Direction.RISING, Direction.RISING, Progress.ADVANCING),
        # S 0.8 -> 0.9 rising but E 0.25 -> 2/9 (flat within 0.03): satisfied, not delighted
        ([Composition(2, 6, 2), Composition(1, 7, 2)], Phase.GROW_PROMOTERS,
         Direction.RISING, Direction.FLAT, Progress.STALLED),
        # E 0.5 -> 0.25 while S stays 0.8: the lever of the emotional phase falls
        ([Composition(2, 4, 4), Composition(2, 6, 2)], Phase.GROW_PROMOTERS,
         Direction.FLAT, Direction.FALLING, Progress.SLIPPING),
        # SUSTAIN with S falling 1.0 -> 0.9
        ([Composition(0, 2, 8), Composition(1, 1, 8)], Phase.SUSTAIN,
         Direction.FALLING, Direction.RISING, Progress.SLIPPING),
        # SUSTAIN with both flat; the empty middle period is skipped
        ([Composition(0, 2, 8), Composition(0, 0, 0), Composition(0, 2, 8)], Phase.SUSTAIN,
         Direction.FLAT, Direction.FLAT, Progress.STALLED),
        # the least-squares line over S = 0.5, 0.9, 0.6 rises by 0.1 across the span
        ([Composition(5, 3, 2), Composition(1, 7, 2), Composition(4, 4, 2)],
         Phase.REDUCE_DETRACTORS, Direction.RISING, Direction.FALLING, Progress.ADVANCING),
    ],
)  # fmt: skip
def test_trend_refines_the_reading(
    periods: list[Composition], phase: Phase, s: Direction, e: Direction, progress: Progress
) -> None:
    reading = read_phase(periods)
    assert reading is not None
    assert (reading.phase, reading.satisfaction, reading.connection, reading.progress) == (
        phase,
        s,
        e,
        progress,
    )


@given(st.lists(compositions.filter(lambda c: c.n > 0), min_size=2, max_size=6))
def test_reversing_time_reverses_directions(periods: list[Composition]) -> None:
    forward, backward = read_phase(periods), read_phase(periods[::-1])
    assert forward is not None and backward is not None
    opposite = {
        Direction.RISING: Direction.FALLING,
        Direction.FALLING: Direction.RISING,
        Direction.FLAT: Direction.FLAT,
    }
    assert forward.satisfaction is not None and forward.connection is not None
    assert backward.satisfaction is opposite[forward.satisfaction]
    assert backward.connection is opposite[forward.connection]
