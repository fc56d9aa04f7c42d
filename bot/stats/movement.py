"""Did it move? A share or a mean in one wave against the wave before, with intervals.

An action answers a theme (the share of reasons that name it) or a driver (its mean
1..5 rating). Each wave's value gets its 95 % interval: Wilson's for a share
(:func:`bot.stats.reading.wilson_interval`), the normal one of a mean for a rating. The
two waves are compared with the same linear trend test the report's progress claims
use (:func:`bot.stats.reading.linear_trend`; over two groups it is the two-proportion z
test for a share and the two-sample z test with pooled variance for a mean). A
direction is named only when ``p < alpha``; otherwise the movement is FLAT, which a
report words as "no clear change", never as "it did not work".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.stats.change import ALPHA
from bot.stats.interval import Z_95
from bot.stats.reading import linear_trend, wilson_interval
from bot.stats.structure import Direction


@dataclass(frozen=True)
class Moments:
    """A per-answer value in one group: how many, their sum and their sum of squares."""

    n: int
    total: float
    squares: float


@dataclass(frozen=True)
class Estimate:
    """One wave's value with its 95 % interval, from ``n`` answers (or reasons)."""

    value: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class Movement:
    """The previous and the current wave's estimates and the test between them."""

    previous: Estimate
    current: Estimate
    p_value: float | None
    direction: Direction


def share_estimate(hits: int, total: int, *, z: float = Z_95) -> Estimate:
    """The share ``hits/total`` with its Wilson interval; ``total > 0``."""
    low, high = wilson_interval(hits, total, z=z)
    share = hits / total
    # Rounding can leave a bound a hair past the share itself at 0 or all hits.
    return Estimate(value=share, low=min(low, share), high=max(high, share), n=total)


def mean_estimate(moments: Moments, *, bounds: tuple[float, float], z: float = Z_95) -> Estimate:
    """The mean of ``moments`` with its normal 95 % interval, kept inside ``bounds``
    (a rating cannot lie outside its scale); ``moments.n > 0``."""
    if moments.n <= 0:
        raise ValueError(f"a mean needs answers, got n={moments.n!r}")
    mean = moments.total / moments.n
    spread = moments.squares / moments.n - mean * mean
    sample_variance = max(spread, 0.0) * moments.n / (moments.n - 1) if moments.n > 1 else 0.0
    half = z * math.sqrt(sample_variance / moments.n)
    return Estimate(
        value=mean, low=max(bounds[0], mean - half), high=min(bounds[1], mean + half), n=moments.n
    )


def share_movement(
    previous: tuple[int, int], current: tuple[int, int], *, alpha: float = ALPHA
) -> Movement:
    """``(hits, total)`` of the previous and the current wave, compared; totals > 0."""
    trend = linear_trend([(total, float(hits), float(hits)) for hits, total in (previous, current)])
    return Movement(
        previous=share_estimate(*previous),
        current=share_estimate(*current),
        p_value=trend.p_value,
        direction=trend.direction(alpha=alpha),
    )


def mean_movement(
    previous: Moments,
    current: Moments,
    *,
    bounds: tuple[float, float] = (1.0, 5.0),
    alpha: float = ALPHA,
) -> Movement:
    """The mean rating of the previous and the current wave, compared; both n > 0."""
    trend = linear_trend([(m.n, m.total, m.squares) for m in (previous, current)])
    return Movement(
        previous=mean_estimate(previous, bounds=bounds),
        current=mean_estimate(current, bounds=bounds),
        p_value=trend.p_value,
        direction=trend.direction(alpha=alpha),
    )
