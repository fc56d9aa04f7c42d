"""Net Promoter Score arithmetic over score histograms.

Every statistic in nps-bot is derived from a histogram: eleven counts, one per score
0..10. These functions are pure and take plain values.

Rounding rule (stated once, used everywhere): values are kept unrounded in data and
JSON; for display, :func:`display_round` rounds half away from zero to an integer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SCORES = range(11)
"""The valid scores, 0..10 inclusive."""


class Category(StrEnum):
    """Where a score falls on the NPS scale."""

    DETRACTOR = "detractor"  # 0-6
    PASSIVE = "passive"  # 7-8
    PROMOTER = "promoter"  # 9-10


def category(score: int) -> Category:
    """Return the category of a valid score; raise ``ValueError`` outside 0..10."""
    if score not in SCORES:
        raise ValueError(f"score must be an integer from 0 to 10, got {score!r}")
    if score >= 9:
        return Category.PROMOTER
    if score >= 7:
        return Category.PASSIVE
    return Category.DETRACTOR


@dataclass(frozen=True)
class Composition:
    """Counts of detractors, passives and promoters."""

    detractors: int
    passives: int
    promoters: int

    @property
    def n(self) -> int:
        return self.detractors + self.passives + self.promoters

    @property
    def nps(self) -> float | None:
        """NPS in points (-100..100), unrounded; ``None`` when nobody answered."""
        if self.n == 0:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n

    def share(self, which: Category) -> float | None:
        """Share (0..1) of one category; ``None`` when nobody answered."""
        if self.n == 0:
            return None
        count = {
            Category.DETRACTOR: self.detractors,
            Category.PASSIVE: self.passives,
            Category.PROMOTER: self.promoters,
        }[which]
        return count / self.n


def validate_histogram(histogram: Sequence[int]) -> None:
    """Raise ``ValueError`` unless ``histogram`` is eleven non-negative counts."""
    if len(histogram) != len(SCORES):
        raise ValueError(f"a histogram has 11 counts, got {len(histogram)}")
    if any(count < 0 for count in histogram):
        raise ValueError("histogram counts cannot be negative")


def composition(histogram: Sequence[int]) -> Composition:
    """Collapse an 11-bin score histogram into detractor/passive/promoter counts."""
    validate_histogram(histogram)
    return Composition(
        detractors=sum(histogram[0:7]),
        passives=sum(histogram[7:9]),
        promoters=sum(histogram[9:11]),
    )


def histogram_of(scores: Sequence[int]) -> tuple[int, ...]:
    """Build a histogram from individual scores (for tests and small inputs)."""
    counts = [0] * len(SCORES)
    for score in scores:
        category(score)  # validates
        counts[score] += 1
    return tuple(counts)


def display_round(value: float) -> int:
    """Round half away from zero: 12.5 -> 13, -12.5 -> -13, 12.4 -> 12."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))
