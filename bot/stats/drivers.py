"""Key-driver analysis: which 1-5 ratings move the 0-10 score.

With enough complete answers (every driver rated) the score is regressed on the
ratings and R² is split among the drivers by Shapley values, also known as LMG: a
driver's share is its gain in R² when added to a subset of the others, averaged over
all orderings. With at most five drivers every subset is enumerated, and the shares add
up to the full model's R². Percentile bootstrap intervals come from a
``numpy.random.Generator`` the caller passes in, so a seeded generator gives the same
result every time. A share is never below 0, so its percentile interval never reaches 0
even for a driver with no effect; a driver is therefore said to matter (``evidence``)
only when the Fisher-z 95 % interval of its Pearson correlation with the score excludes
0, and without that evidence its interval starts at 0.

"Enough" means at least ``min_answers`` (30) complete answers and at least
``answers_per_driver`` (10) of them per driver in the model. Below that each driver gets
its Spearman rank correlation with the score, over the answers that rated it, with a
Fisher-z 95 % interval.

Answers arrive aggregated: one :class:`RatingCell` per distinct combination of score
and ratings, with its count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.domain.nps import SCORES
from bot.stats.driver_kinds import Method as Method  # named here too, as the analysis's
from bot.stats.driver_kinds import Quadrant as Quadrant
from bot.stats.importance import (
    FloatArray,
    fisher_interval,
    lmg_shares,
    spearman,
    weighted_lmg_shares,
)

MAX_DRIVERS = 5
RATINGS = range(1, 6)


@dataclass(frozen=True)
class RatingCell:
    """``count`` answers with this score and these ratings (``None``: driver skipped)."""

    score: int
    ratings: tuple[int | None, ...]
    count: int = 1


@dataclass(frozen=True)
class DriverResult:
    """One driver: its answers, mean rating, importance with 95 % interval and quadrant.

    ``importance``/``low``/``high`` are ``None`` when they cannot be estimated (too few
    answers, or no variation); ``quadrant`` is ``None`` unless at least two drivers have
    both a mean rating and an importance.
    """

    name: str
    answers: int
    mean_rating: float | None
    importance: float | None
    low: float | None
    high: float | None
    quadrant: Quadrant | None
    evidence: bool | None = None
    """Whether the data show the driver moves the score at all (95 %): its correlation
    with the score is not 0. Without evidence the interval starts at 0. ``None`` when
    unknown."""


@dataclass(frozen=True)
class DriverAnalysis:
    method: Method
    n: int
    """Complete answers used (SHAPLEY) or all answers given (SPEARMAN)."""
    r_squared: float | None
    """R² of the full model (SHAPLEY only)."""
    drivers: tuple[DriverResult, ...]


def analyse_drivers(
    names: Sequence[str],
    cells: Sequence[RatingCell],
    *,
    rng: np.random.Generator,
    resamples: int = 1000,
    min_answers: int = 30,
    answers_per_driver: int = 10,
) -> DriverAnalysis:
    """Analyse up to five drivers called ``names``; ratings in cells follow that order.

    Raise ``ValueError`` on no drivers, more than :data:`MAX_DRIVERS`, repeated names, a
    cell of the wrong width, a score outside 0..10, a rating outside 1..5, a negative
    count, or fewer than one resample.
    """
    _validate(names, cells)
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples!r}")
    width = len(names)
    means = [_mean_rating(cells, index=i) for i in range(width)]
    answered = [sum(c.count for c in cells if c.ratings[i] is not None) for i in range(width)]
    complete = [c for c in cells if c.count and all(r is not None for r in c.ratings)]
    n_complete = sum(c.count for c in complete)
    if n_complete >= max(min_answers, answers_per_driver * width):
        ratings, scores = _expand(complete)
        shares = lmg_shares(ratings, scores)
        if shares is not None:
            lows, highs = _bootstrap(complete, rng=rng, resamples=resamples)
            evidence = [_correlated(ratings[:, i], scores) for i in range(width)]
            lows = [low if shown else 0.0 for low, shown in zip(lows, evidence, strict=True)]
            estimates = list(zip(map(float, shares), lows, highs, strict=True))
            return DriverAnalysis(
                method=Method.SHAPLEY,
                n=n_complete,
                r_squared=float(shares.sum()),
                drivers=_results(
                    names,
                    answered=answered,
                    means=means,
                    estimates=estimates,
                ),
            )
    return DriverAnalysis(
        method=Method.SPEARMAN,
        n=sum(c.count for c in cells),
        r_squared=None,
        drivers=_results(
            names,
            answered=answered,
            means=means,
            estimates=[_spearman_estimate(cells, index=i) for i in range(width)],
        ),
    )


def quadrants(
    means: Sequence[float | None], importances: Sequence[float | None]
) -> tuple[Quadrant | None, ...]:
    """Place each driver against the averages of the drivers that have both values.

    A value equal to the average counts as high. Needs two such drivers, else all ``None``.
    """
    known = [
        (m, i) for m, i in zip(means, importances, strict=True) if m is not None and i is not None
    ]
    if len(known) < 2:
        return tuple(None for _ in means)
    mean_cut = sum(m for m, _ in known) / len(known)
    importance_cut = sum(i for _, i in known) / len(known)
    placed: list[Quadrant | None] = []
    for mean, importance in zip(means, importances, strict=True):
        if mean is None or importance is None:
            placed.append(None)
        elif importance >= importance_cut:
            placed.append(Quadrant.STRENGTH if mean >= mean_cut else Quadrant.PRIORITY)
        else:
            placed.append(Quadrant.MAINTAIN if mean >= mean_cut else Quadrant.LOW_PRIORITY)
    return tuple(placed)


def _validate(names: Sequence[str], cells: Sequence[RatingCell]) -> None:
    if not 1 <= len(names) <= MAX_DRIVERS:
        raise ValueError(f"between 1 and {MAX_DRIVERS} drivers are supported, got {len(names)}")
    if len(set(names)) != len(names):
        raise ValueError("driver names must be unique")
    for cell in cells:
        if len(cell.ratings) != len(names):
            raise ValueError(f"a cell holds {len(cell.ratings)} ratings for {len(names)} drivers")
        if cell.score not in SCORES:
            raise ValueError(f"score must be from 0 to 10, got {cell.score!r}")
        if any(r is not None and r not in RATINGS for r in cell.ratings):
            raise ValueError(f"ratings must be from 1 to 5, got {cell.ratings!r}")
        if cell.count < 0:
            raise ValueError("cell counts cannot be negative")


def _correlated(ratings: FloatArray, scores: FloatArray) -> bool:
    """Whether the 95 % Fisher-z interval of the Pearson correlation excludes 0."""
    if ratings.std() == 0.0 or scores.std() == 0.0:
        return False
    r = float(np.corrcoef(ratings, scores)[0, 1])
    interval = fisher_interval(max(-1.0, min(1.0, r)), n=len(scores))
    return interval is not None and (interval[0] > 0.0 or interval[1] < 0.0)


def _rating(cell: RatingCell, index: int) -> int:
    rating = cell.ratings[index]
    if rating is None:
        raise ValueError("the driver was not rated in this cell")
    return rating


def _mean_rating(cells: Sequence[RatingCell], *, index: int) -> float | None:
    rated = [(_rating(c, index), c.count) for c in cells if c.ratings[index] is not None]
    total = sum(count for _, count in rated)
    return sum(r * count for r, count in rated) / total if total else None


def _expand(cells: Sequence[RatingCell]) -> tuple[FloatArray, FloatArray]:
    """One row per answer: the ratings matrix and the score vector of complete cells."""
    counts = [c.count for c in cells]
    rows = np.array([[float(_rating(c, i)) for i in range(len(c.ratings))] for c in cells])
    scores = np.array([float(c.score) for c in cells])
    return np.repeat(rows, counts, axis=0), np.repeat(scores, counts)


def _bootstrap(
    cells: Sequence[RatingCell], *, rng: np.random.Generator, resamples: int
) -> tuple[list[float | None], list[float | None]]:
    """2.5th and 97.5th percentiles of each share over resampled answers.

    A resample of the n answers is held as how often it drew each distinct cell, so
    every subset's fit is solved from weighted cross-products for a block of resamples
    at once. Resamples whose scores do not vary have no
    R² and are left out.
    """
    kept = [c for c in cells if c.count]
    rows = np.array([[float(_rating(c, i)) for i in range(len(c.ratings))] for c in kept])
    scores = np.array([float(c.score) for c in kept])
    cell_of = np.repeat(np.arange(len(kept)), [c.count for c in kept])
    n, cells_count, width = len(cell_of), len(kept), rows.shape[1]
    block = max(1, _BOOTSTRAP_BLOCK // max(n, cells_count))
    draws: list[FloatArray] = []
    for start in range(0, resamples, block):
        size = min(block, resamples - start)
        # n answers drawn with replacement, counted per cell: one weight row per resample.
        picked = cell_of[rng.integers(0, n, size=(size, n))]
        picked += (np.arange(size) * cells_count)[:, None]
        weights = np.bincount(picked.ravel(), minlength=size * cells_count)
        shares = weighted_lmg_shares(
            rows, scores, weights.reshape(size, cells_count).astype(np.float64)
        )
        draws.extend(shares[~np.isnan(shares).any(axis=1)])
    if not draws:
        return [None] * width, [None] * width
    low, high = np.percentile(np.array(draws), [2.5, 97.5], axis=0)
    return [float(v) for v in low], [float(v) for v in high]


_BOOTSTRAP_BLOCK = 2_000_000
"""Draws held at once (resamples × answers, or × distinct cells), about 16 MB."""


Estimate = tuple[float | None, float | None, float | None]
"""An importance with the low and high ends of its interval."""


def _spearman_estimate(cells: Sequence[RatingCell], *, index: int) -> Estimate:
    rated = [c for c in cells if c.count and c.ratings[index] is not None]
    counts = [c.count for c in rated]
    rho = spearman(
        np.repeat([float(_rating(c, index)) for c in rated], counts),
        np.repeat([float(c.score) for c in rated], counts),
    )
    interval = None if rho is None else fisher_interval(rho, n=sum(counts))
    if interval is None:
        return (rho, None, None)
    return (rho, *interval)


def _excludes_zero(estimate: Estimate) -> bool | None:
    _, low, high = estimate
    if low is None or high is None:
        return None
    return low > 0.0 or high < 0.0


def _results(
    names: Sequence[str],
    *,
    answered: Sequence[int],
    means: Sequence[float | None],
    estimates: Sequence[Estimate],
) -> tuple[DriverResult, ...]:
    placed = quadrants(means, [importance for importance, _, _ in estimates])
    return tuple(
        DriverResult(
            name=names[i],
            answers=answered[i],
            mean_rating=means[i],
            importance=estimates[i][0],
            low=estimates[i][1],
            high=estimates[i][2],
            quadrant=placed[i],
            evidence=_excludes_zero(estimates[i]),
        )
        for i in range(len(names))
    )
