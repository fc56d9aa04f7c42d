"""The NPS-map reading a report may state: a phase and its progress, only when tested.

:func:`bot.stats.structure.read_phase` describes the point values. A report says more
than numbers, so here each sentence needs evidence about the quantity it is about:

* the **phase** of the latest period is named only with at least ``min_answers``
  answers and when the Wilson 95 % interval of each share it hinges on lies wholly on
  one side of its threshold (``S`` for REDUCE_DETRACTORS; ``S`` and ``E`` for the
  others);
* its **progress** is named only when a linear trend test over the periods shown
  (Cochran–Armitage for a share, the same test on the -1/0/+1 answer for the NPS) has
  ``p < alpha`` for the phase's *lever*, and the NPS does not trend the other way.

The lever is a share of all answers, never ``E``: when detractors turn passive, ``E``
falls although nothing got worse, so "slipping" would call a success a slip. The lever
of REDUCE_DETRACTORS is the detractor share (falling advances), of GROW_PROMOTERS the
promoter share (rising advances), of SUSTAIN the NPS itself. A flat lever is not named
at all: no test shows that something did not move.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.nps import Composition
from bot.stats.change import ALPHA, two_sided_p
from bot.stats.interval import Z_95
from bot.stats.structure import Direction, Phase, PhaseThresholds, Progress

MIN_ANSWERS = 30
"""Fewest answers in the latest period for a phase, and in each period for progress."""


@dataclass(frozen=True)
class LinearTrend:
    """A linear trend over periods: its statistic and two-sided p-value (``None`` when
    the quantity does not vary at all)."""

    z: float | None
    p_value: float | None

    def direction(self, *, alpha: float = ALPHA) -> Direction:
        """RISING or FALLING when ``p < alpha``, else FLAT (no clear movement)."""
        if self.z is None or self.p_value is None or self.p_value >= alpha:
            return Direction.FLAT
        return Direction.RISING if self.z > 0 else Direction.FALLING


@dataclass(frozen=True)
class SupportedReading:
    """The phase of the latest period and, when a test supports it, its progress.

    ``satisfaction``/``connection`` are the trend tests' directions (FLAT: no clear
    movement), ``None`` with fewer than two usable periods.
    """

    phase: Phase
    satisfaction: Direction | None
    connection: Direction | None
    progress: Progress | None


def wilson_interval(successes: int, total: int, *, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a share ``successes/total`` (0..1); ``total > 0``."""
    if total <= 0:
        raise ValueError(f"total must be positive, got {total!r}")
    share = successes / total
    denominator = 1.0 + z * z / total
    centre = (share + z * z / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def linear_trend(groups: Sequence[tuple[int, float, float]]) -> LinearTrend:
    """Linear trend of a per-answer value over ordered groups (scores 0, 1, 2, …).

    Each group is ``(answers, sum of values, sum of squared values)``. Under "the same
    distribution in every group" the slope's ``z = Σ nᵢ(tᵢ - t̄)(ȳᵢ - ȳ) / sqrt(σ²·Σ nᵢ(tᵢ - t̄)²)``
    with the pooled variance ``σ²`` is standard normal; for a 0/1 value it is the
    Cochran–Armitage test.
    """
    used = [(index, n, total, squares) for index, (n, total, squares) in enumerate(groups) if n]
    answers = sum(n for _, n, _, _ in used)
    if len(used) < 2:
        return LinearTrend(z=None, p_value=None)
    mean_t = sum(index * n for index, n, _, _ in used) / answers
    mean_y = sum(total for _, _, total, _ in used) / answers
    variance = sum(squares for _, _, _, squares in used) / answers - mean_y * mean_y
    spread = sum(n * (index - mean_t) ** 2 for index, n, _, _ in used)
    if variance <= 1e-12 or spread == 0:
        return LinearTrend(z=None, p_value=None)
    statistic = sum((index - mean_t) * (total - n * mean_y) for index, n, total, _ in used)
    z = statistic / math.sqrt(variance * spread)
    return LinearTrend(z=z, p_value=two_sided_p(z))


def share_trend(periods: Sequence[Composition], count: Callable[[Composition], int]) -> LinearTrend:
    """Trend of the share ``count(c)/c.n`` over ``periods``."""
    return linear_trend([(c.n, float(count(c)), float(count(c))) for c in periods])


def nps_trend(periods: Sequence[Composition]) -> LinearTrend:
    """Trend of the NPS, as the mean of answers scored -1/0/+1."""
    return linear_trend(
        [
            (c.n, float(c.promoters - c.detractors), float(c.promoters + c.detractors))
            for c in periods
        ]
    )


def supported_reading(
    periods: Sequence[Composition],
    *,
    thresholds: PhaseThresholds | None = None,
    min_answers: int = MIN_ANSWERS,
    alpha: float = ALPHA,
) -> SupportedReading | None:
    """The reading of ``periods`` (oldest first) a report may state; ``None`` when the
    phase of the latest period is not supported (too few answers, or an interval
    straddling a threshold)."""
    limits = thresholds or PhaseThresholds()
    if not periods:
        return None
    latest = periods[-1]
    phase = _phase(latest, limits=limits, min_answers=min_answers)
    if phase is None:
        return None
    used = [c for c in periods if c.n >= min_answers]
    if len(used) < 2:
        return SupportedReading(phase=phase, satisfaction=None, connection=None, progress=None)
    satisfied = share_trend(used, lambda c: c.passives + c.promoters)
    connection = linear_trend(
        [(c.passives + c.promoters, float(c.promoters), float(c.promoters)) for c in used]
    )
    return SupportedReading(
        phase=phase,
        satisfaction=satisfied.direction(alpha=alpha),
        connection=connection.direction(alpha=alpha),
        progress=_progress(phase, used, alpha=alpha),
    )


def _phase(latest: Composition, *, limits: PhaseThresholds, min_answers: int) -> Phase | None:
    if latest.n < min_answers:
        return None
    satisfied = latest.passives + latest.promoters
    s_low, s_high = wilson_interval(satisfied, latest.n)
    if s_high < limits.satisfaction:
        return Phase.REDUCE_DETRACTORS
    if s_low < limits.satisfaction or satisfied == 0:
        return None
    e_low, e_high = wilson_interval(latest.promoters, satisfied)
    if e_high < limits.connection:
        return Phase.GROW_PROMOTERS
    if e_low >= limits.connection:
        return Phase.SUSTAIN
    return None


def _progress(phase: Phase, periods: Sequence[Composition], *, alpha: float) -> Progress | None:
    nps = nps_trend(periods)
    if phase is Phase.REDUCE_DETRACTORS:
        lever = share_trend(periods, lambda c: c.detractors)
        better = Direction.FALLING
    elif phase is Phase.GROW_PROMOTERS:
        lever = share_trend(periods, lambda c: c.promoters)
        better = Direction.RISING
    else:
        lever, better = nps, Direction.RISING
    moved = lever.direction(alpha=alpha)
    if moved is Direction.FLAT:
        return None
    # A lever that moves against the NPS is not named: the sentence would contradict it.
    nps_z = nps.z or 0.0
    if moved is better:
        return Progress.ADVANCING if nps_z >= 0 else None
    return Progress.SLIPPING if nps_z <= 0 else None
