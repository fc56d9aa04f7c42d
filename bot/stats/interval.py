"""Uncertainty of an NPS: the adjusted-Wald interval, known-population bounds, sample size.

The interval follows the adjusted-Wald method for NPS (Rocks, 2016): add 0.75 pseudo
detractors, 1.5 pseudo passives and 0.75 pseudo promoters, so ``n' = n + 3``; with the
adjusted shares ``p'D`` and ``p'P`` the centre is ``c' = p'P - p'D`` and the variance of
one answer (scored -1, 0, +1) is ``V' = p'P + p'D - (p'P - p'D)**2``. The 95 % interval is
``c' ± z·sqrt(V'/n')`` clipped to [-1, 1] and reported in points (×100).

The raw NPS stays the point estimate; the interval is centred on ``c'``, which is pulled
towards 0 for small samples, so with very few answers the raw NPS may lie just outside it.

When the audience is known (a wave's ``N`` invitations), :func:`population_interval`
applies the finite-population correction: the ``N - n`` silent people's mean is
predicted from the answers, and the NPS of everyone invited is ``f·x + (1 - f)·m`` with
``f = n/N``. Its variance is the textbook ``(1 - f)·V/n``; written this way the interval
can never leave the worst-case bounds of :func:`population_bounds`, and it has zero width
at ``n = N``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.nps import Composition

Z_95 = 1.959964
"""Two-sided 95 % quantile of the standard normal distribution."""

PSEUDO_DETRACTORS = 0.75
PSEUDO_PASSIVES = 1.5
PSEUDO_PROMOTERS = 0.75
PSEUDO_TOTAL = PSEUDO_DETRACTORS + PSEUDO_PASSIVES + PSEUDO_PROMOTERS

LOW_RESPONSE_RATE = 0.5
"""Below this response rate a wave's NPS may differ a lot from its population's."""

WORST_CASE_VARIANCE = 1.0
"""Largest variance of one answer scored -1/0/+1 (half detractors, half promoters)."""


@dataclass(frozen=True)
class Adjusted:
    """Adjusted-Wald quantities of one composition (shares 0..1, not points)."""

    n: float
    """``n + 3``: answers plus pseudo-counts."""
    detractor_share: float
    promoter_share: float

    @property
    def centre(self) -> float:
        return self.promoter_share - self.detractor_share

    @property
    def variance(self) -> float:
        """Variance of one answer scored -1/0/+1; always > 0 thanks to the pseudo-counts."""
        return self.promoter_share + self.detractor_share - self.centre**2

    @property
    def standard_error(self) -> float:
        return math.sqrt(self.variance / self.n)


def adjusted(composition: Composition) -> Adjusted:
    """Add the adjusted-Wald pseudo-counts to ``composition`` (valid for ``n = 0`` too)."""
    n_adjusted = composition.n + PSEUDO_TOTAL
    return Adjusted(
        n=n_adjusted,
        detractor_share=(composition.detractors + PSEUDO_DETRACTORS) / n_adjusted,
        promoter_share=(composition.promoters + PSEUDO_PROMOTERS) / n_adjusted,
    )


class IntervalMethod(StrEnum):
    """Which interval a figure carries (``interval_method`` in the JSON)."""

    ADJUSTED_WALD = "adjusted_wald"
    """An open audience: the answers stand for a population much larger than them."""
    FINITE_POPULATION = "finite_population"
    """A known audience of ``population`` people: the NPS of everyone invited."""


@dataclass(frozen=True)
class NpsInterval:
    """NPS with its 95 % interval, all in points (-100..100), unrounded.

    Every number is ``None`` when nobody answered. ``margin`` is half the width of the
    clipped interval, so ``low``/``high`` need not be ``nps ± margin``.
    """

    n: int
    nps: float | None
    low: float | None
    high: float | None
    margin: float | None
    method: IntervalMethod = IntervalMethod.ADJUSTED_WALD
    population: int | None = None
    """The audience size ``N`` of a finite-population interval, else ``None``."""


def nps_interval(composition: Composition, *, z: float = Z_95) -> NpsInterval:
    """Return the raw NPS and its adjusted-Wald interval (``z`` sets the confidence)."""
    if composition.n == 0:
        return NpsInterval(n=0, nps=None, low=None, high=None, margin=None)
    adj = adjusted(composition)
    half_width = z * adj.standard_error
    low = max(-1.0, adj.centre - half_width)
    high = min(1.0, adj.centre + half_width)
    return NpsInterval(
        n=composition.n,
        nps=composition.nps,
        low=100.0 * low,
        high=100.0 * high,
        margin=100.0 * (high - low) / 2.0,
    )


@dataclass(frozen=True)
class PopulationBounds:
    """What a wave's answers prove about everyone invited, whatever the silent would say.

    ``low`` assumes every non-respondent is a detractor, ``high`` that every one is a
    promoter (points). All numbers are ``None`` for a wave that invited nobody.
    """

    invited: int
    answered: int
    low: float | None
    high: float | None
    response_rate: float | None
    low_response: bool
    """True when the response rate is under :data:`LOW_RESPONSE_RATE`."""


def population_bounds(composition: Composition, *, invited: int) -> PopulationBounds:
    """Bound the NPS of all ``invited`` people from the answers in ``composition``.

    ``100·(P - D - (N - n))/N`` and ``100·(P - D + (N - n))/N`` for ``N`` invited and
    ``n`` answered. Raise ``ValueError`` when more people answered than were invited.
    """
    answered = composition.n
    if invited < answered:
        raise ValueError(f"{answered} answers cannot come from {invited} invitations")
    if invited == 0:
        return PopulationBounds(
            invited=0, answered=0, low=None, high=None, response_rate=None, low_response=False
        )
    silent = invited - answered
    net = composition.promoters - composition.detractors
    rate = answered / invited
    return PopulationBounds(
        invited=invited,
        answered=answered,
        low=100.0 * (net - silent) / invited,
        high=100.0 * (net + silent) / invited,
        response_rate=rate,
        low_response=rate < LOW_RESPONSE_RATE,
    )


def population_interval(composition: Composition, *, invited: int, z: float = Z_95) -> NpsInterval:
    """The 95 % interval of the NPS of all ``invited`` people, from their answers.

    The silent ``s = N - n`` are predicted from the answers: their mean lies in
    ``c' ± z·sqrt(V'·(1/n' + 1/s))`` (clipped to [-1, 1], as any mean of -1/0/+1 is),
    and the NPS of everyone is ``f·x + (1 - f)·m`` for ``f = n/N`` and the raw NPS ``x``.
    Its half-width ``(1 - f)·z·sqrt(V'(1/n' + 1/s))`` is ``z·sqrt((1 - f)·V'/n)`` up to
    the pseudo-counts, the finite-population correction; the result is intersected
    with :func:`population_bounds` and is a point at ``n = N``. Raise ``ValueError``
    when more people answered than were invited.
    """
    bounds = population_bounds(composition, invited=invited)
    if composition.n == 0 or bounds.low is None or bounds.high is None:
        return NpsInterval(
            n=composition.n,
            nps=None,
            low=None,
            high=None,
            margin=None,
            method=IntervalMethod.FINITE_POPULATION,
            population=invited,
        )
    raw = (composition.promoters - composition.detractors) / composition.n
    silent = invited - composition.n
    answered_share = composition.n / invited
    if silent == 0:
        silent_low = silent_high = 0.0
    else:
        adj = adjusted(composition)
        half = z * math.sqrt(adj.variance * (1.0 / adj.n + 1.0 / silent))
        silent_low = max(-1.0, adj.centre - half)
        silent_high = min(1.0, adj.centre + half)
    low = 100.0 * (answered_share * raw + (1.0 - answered_share) * silent_low)
    high = 100.0 * (answered_share * raw + (1.0 - answered_share) * silent_high)
    low, high = max(low, bounds.low), min(high, bounds.high)
    if silent == 0:  # everyone answered: the NPS of everyone is known exactly
        low = high = bounds.low
    return NpsInterval(
        n=composition.n,
        nps=composition.nps,
        low=low,
        high=high,
        margin=(high - low) / 2.0,
        method=IntervalMethod.FINITE_POPULATION,
        population=invited,
    )


@dataclass(frozen=True)
class SampleSizeGuidance:
    """How many answers in total would bring the margin down to ``margin`` points."""

    margin: float
    needed: int
    additional: int
    """``needed`` minus the answers already in hand, never negative."""


def sample_size_for_margin(
    composition: Composition, *, margin: float, z: float = Z_95
) -> SampleSizeGuidance:
    """Answers needed for an adjusted-Wald margin of ``margin`` points, composition unchanged.

    The half-width is ``z·sqrt(V'/n')`` with ``n' = n + 3``, so it falls to ``h = margin/100``
    once ``n' >= z²·V'/h²``, i.e. ``n = ceil(z²·V'/h²) - 3``. ``V'`` is the adjusted
    variance of the current answers; with no answers yet the worst case ``V' = 1`` is used.
    Clipping at ±100 can only narrow an interval, so the figure is conservative.
    Raise ``ValueError`` unless ``margin`` is positive.
    """
    if margin <= 0:
        raise ValueError(f"margin must be positive, got {margin!r}")
    variance = WORST_CASE_VARIANCE if composition.n == 0 else adjusted(composition).variance
    half_width = margin / 100.0
    needed = max(0, math.ceil(z * z * variance / (half_width * half_width) - PSEUDO_TOTAL))
    return SampleSizeGuidance(
        margin=margin, needed=needed, additional=max(0, needed - composition.n)
    )


def sample_size_guidance(
    composition: Composition, *, margins: tuple[float, ...] = (10.0, 5.0)
) -> tuple[SampleSizeGuidance, ...]:
    """Guidance for each margin in ``margins`` (by default ±10 and ±5 points)."""
    return tuple(sample_size_for_margin(composition, margin=m) for m in margins)
