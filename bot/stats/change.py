"""Change of the NPS against a previous period, with a two-sided adjusted-Wald z test.

Each period gets its own adjusted-Wald pseudo-counts (see :mod:`bot.stats.interval`);
``SE = sqrt(V'1/n'1 + V'2/n'2)``, ``z = (c'1 - c'2)/SE`` and the two-sided p-value is
``erfc(|z|/sqrt 2)``. A change is called only when ``p < alpha`` (0.05 by default); its
direction follows the sign of ``z``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.nps import Composition
from bot.stats.interval import adjusted

ALPHA = 0.05


class Verdict(StrEnum):
    """What a report may say about the change."""

    UP = "up"
    DOWN = "down"
    NO_CLEAR_CHANGE = "no_clear_change"


@dataclass(frozen=True)
class Change:
    """Current minus previous NPS in points, with its test.

    ``difference``, ``z`` and ``p_value`` are ``None`` when either period has no answers;
    the verdict is then :attr:`Verdict.NO_CLEAR_CHANGE`.
    """

    difference: float | None
    z: float | None
    p_value: float | None
    verdict: Verdict


def two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic ``z``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def change(current: Composition, previous: Composition, *, alpha: float = ALPHA) -> Change:
    """Compare ``current`` with ``previous``; raise ``ValueError`` unless 0 < alpha < 1."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    if current.nps is None or previous.nps is None:
        return Change(difference=None, z=None, p_value=None, verdict=Verdict.NO_CLEAR_CHANGE)
    now, before = adjusted(current), adjusted(previous)
    standard_error = math.sqrt(now.variance / now.n + before.variance / before.n)
    z = (now.centre - before.centre) / standard_error
    p_value = two_sided_p(z)
    verdict = Verdict.NO_CLEAR_CHANGE
    if p_value < alpha:
        verdict = Verdict.UP if z > 0 else Verdict.DOWN
    return Change(difference=current.nps - previous.nps, z=z, p_value=p_value, verdict=verdict)
