"""The structure behind an NPS: composition shares and the "NPS map".

The map splits an NPS into two readings:

* functional satisfaction ``S = (Pa + P)/n``: the share not disappointed;
* emotional connection ``E = P/(Pa + P)``: of the satisfied, the share who are promoters.

They rebuild the score exactly: ``NPS = 100·(S·(1 + E) - 1)``, because
``S·(1 + E) = (Pa + P)/n + P/n`` and ``(Pa + 2P - n)/n = (P - D)/n``. Two surveys with the
same NPS can therefore need opposite work, which :func:`read_phase` names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.nps import Composition, validate_histogram


@dataclass(frozen=True)
class Structure:
    """Shares (0..1) and map coordinates of one composition.

    Every field is ``None`` when nobody answered; ``connection`` is also ``None`` when
    nobody is satisfied (all detractors).
    """

    detractor_share: float | None
    passive_share: float | None
    promoter_share: float | None
    satisfaction: float | None
    connection: float | None


def structure(composition: Composition) -> Structure:
    """Return the shares, ``S`` and ``E`` of ``composition``."""
    n = composition.n
    if n == 0:
        return Structure(None, None, None, None, None)
    satisfied = composition.passives + composition.promoters
    return Structure(
        detractor_share=composition.detractors / n,
        passive_share=composition.passives / n,
        promoter_share=composition.promoters / n,
        satisfaction=satisfied / n,
        connection=composition.promoters / satisfied if satisfied else None,
    )


def nps_from_map(*, satisfaction: float, connection: float) -> float:
    """NPS in points rebuilt from ``S`` and ``E``: ``100·(S·(1 + E) - 1)``."""
    return 100.0 * (satisfaction * (1.0 + connection) - 1.0)


def score_distribution(histogram: Sequence[int]) -> tuple[float, ...] | None:
    """Share (0..1) of each score 0..10; ``None`` when the histogram is empty."""
    validate_histogram(histogram)
    total = sum(histogram)
    if total == 0:
        return None
    return tuple(count / total for count in histogram)


class Phase(StrEnum):
    """Where effort pays off most, read from the latest period's ``S`` and ``E``."""

    REDUCE_DETRACTORS = "reduce_detractors"
    """Functional phase: too many are disappointed; fix what lets them down first."""
    GROW_PROMOTERS = "grow_promoters"
    """Emotional phase: most are satisfied but few are enthusiastic; give them a reason."""
    SUSTAIN = "sustain"
    """Both readings are healthy; protect what works."""


class Direction(StrEnum):
    RISING = "rising"
    FLAT = "flat"
    FALLING = "falling"


class Progress(StrEnum):
    """How the lever of the current phase moved across the periods given."""

    ADVANCING = "advancing"
    """The lever rose (for SUSTAIN: one reading rose and neither fell)."""
    STALLED = "stalled"
    """The lever stayed flat, e.g. S rising but E flat while growing promoters
    (for SUSTAIN: both readings flat)."""
    SLIPPING = "slipping"
    """The lever fell (for SUSTAIN: either reading fell)."""


@dataclass(frozen=True)
class PhaseThresholds:
    """Cut-offs of the phase reading, as shares 0..1.

    ``S < satisfaction`` (by default more than 30 % detractors) reads REDUCE_DETRACTORS;
    otherwise ``E < connection`` (by default fewer than half of the satisfied are
    promoters) reads GROW_PROMOTERS; otherwise SUSTAIN. With the defaults SUSTAIN implies
    an NPS of at least ``100·(0.7·1.5 - 1) = 5``.
    """

    satisfaction: float = 0.7
    connection: float = 0.5
    flat_tolerance: float = 0.03
    """A reading moving less than this across the periods counts as flat."""


@dataclass(frozen=True)
class PhaseReading:
    """The phase of the latest period and, with two or more periods, how it is moving.

    The directions and progress are ``None`` when fewer than two periods have answers.
    """

    phase: Phase
    satisfaction: Direction | None
    connection: Direction | None
    progress: Progress | None


def read_phase(
    periods: Sequence[Composition], *, thresholds: PhaseThresholds | None = None
) -> PhaseReading | None:
    """Read the phase of ``periods`` (oldest first); ``None`` if the last one is empty.

    Periods without answers are skipped for the trend. A reading's direction comes from
    the least-squares slope over the remaining periods times their span (for two periods,
    simply last minus first), compared with ``thresholds.flat_tolerance``. A missing ``E``
    (nobody satisfied) counts as 0, where the connection has nowhere lower to go.
    """
    limits = thresholds or PhaseThresholds()
    if not periods or periods[-1].n == 0:
        return None
    answered = [c for c in periods if c.n > 0]
    satisfactions = [(c.passives + c.promoters) / c.n for c in answered]
    # with nobody satisfied there are no promoters either, so "or 1" yields E = 0
    connections = [c.promoters / (c.passives + c.promoters or 1) for c in answered]
    latest_s, latest_e = satisfactions[-1], connections[-1]
    if latest_s < limits.satisfaction:
        phase = Phase.REDUCE_DETRACTORS
    elif latest_e < limits.connection:
        phase = Phase.GROW_PROMOTERS
    else:
        phase = Phase.SUSTAIN
    if len(answered) < 2:
        return PhaseReading(phase=phase, satisfaction=None, connection=None, progress=None)
    s_dir = _direction(satisfactions, tolerance=limits.flat_tolerance)
    e_dir = _direction(connections, tolerance=limits.flat_tolerance)
    return PhaseReading(
        phase=phase,
        satisfaction=s_dir,
        connection=e_dir,
        progress=_progress(phase, satisfaction=s_dir, connection=e_dir),
    )


def _direction(values: Sequence[float], *, tolerance: float) -> Direction:
    count = len(values)
    mean_x = (count - 1) / 2.0
    mean_y = sum(values) / count
    spread = sum((x - mean_x) ** 2 for x in range(count))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread
    movement = slope * (count - 1)
    if movement >= tolerance:
        return Direction.RISING
    if movement <= -tolerance:
        return Direction.FALLING
    return Direction.FLAT


def _progress(phase: Phase, *, satisfaction: Direction, connection: Direction) -> Progress:
    if phase is Phase.SUSTAIN:
        moves = {satisfaction, connection}
        if Direction.FALLING in moves:
            return Progress.SLIPPING
        return Progress.ADVANCING if Direction.RISING in moves else Progress.STALLED
    lever = satisfaction if phase is Phase.REDUCE_DETRACTORS else connection
    return {
        Direction.RISING: Progress.ADVANCING,
        Direction.FLAT: Progress.STALLED,
        Direction.FALLING: Progress.SLIPPING,
    }[lever]
