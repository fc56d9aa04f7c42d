"""How much a rating moves a score: R² and its Shapley (LMG) split among the ratings,
and Spearman's rank correlation with its Fisher-z interval.

Plain functions over numpy arrays with one row per answer (for
:func:`weighted_lmg_shares`, one row per distinct answer and a count per resample). A
value that is undefined (scores that do not vary, too few answers) is ``None``, or NaN
in a weighted resample. :mod:`bot.stats.drivers` chooses among them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bot.stats.interval import Z_95

FloatArray = NDArray[np.float64]


def r_squared(ratings: FloatArray, scores: FloatArray) -> float | None:
    """R² of the least-squares fit (with intercept) of ``scores`` on the columns given.

    ``None`` when the scores do not vary. Collinear columns are handled by the
    pseudo-inverse (the fit is the same whichever of them carries the weight).
    """
    centred_y = scores - scores.mean()
    total = float(centred_y @ centred_y)
    if total == 0.0:
        return None
    if ratings.shape[1] == 0:
        return 0.0
    centred_x = ratings - ratings.mean(axis=0)
    cross = centred_x.T @ centred_y
    explained = float(cross @ np.linalg.pinv(centred_x.T @ centred_x) @ cross)
    return min(1.0, max(0.0, explained / total))


def lmg_shares(ratings: FloatArray, scores: FloatArray) -> FloatArray | None:
    """Shapley (LMG) share of R² for each column of ``ratings``; ``None`` if R² is undefined.

    ``share_j = Σ_S |S|!(p-|S|-1)!/p! · (R²(S ∪ {j}) - R²(S))`` over the subsets ``S`` of
    the other columns; the shares add up to the R² of all columns.
    """
    width = ratings.shape[1]
    centred_y = scores - scores.mean()
    total = float(centred_y @ centred_y)
    if total == 0.0:
        return None
    # Every subset's fit reads the same centred cross-products, so they are formed once
    # (a sub-block of X'X is the X'X of those columns): one pass over the answers instead
    # of one per subset, which is what makes the bootstrap affordable.
    centred_x = ratings - ratings.mean(axis=0)
    gram = centred_x.T @ centred_x
    cross = centred_x.T @ centred_y
    fits: dict[int, float] = {0: 0.0}
    for mask in range(1, 1 << width):
        columns = [j for j in range(width) if mask >> j & 1]
        explained = float(
            cross[columns] @ np.linalg.pinv(gram[np.ix_(columns, columns)]) @ cross[columns]
        )
        fits[mask] = min(1.0, max(0.0, explained / total))
    shares = np.zeros(width)
    for j in range(width):
        for mask, fit in fits.items():
            if mask >> j & 1:
                continue
            size = mask.bit_count()
            weight = math.factorial(size) * math.factorial(width - size - 1)
            shares[j] += weight * (fits[mask | 1 << j] - fit)
    return shares / math.factorial(width)


_COLLINEAR = 1e-10


def weighted_lmg_shares(rows: FloatArray, scores: FloatArray, weights: FloatArray) -> FloatArray:
    """LMG shares for each weight vector (one per row of ``weights``), as in
    :func:`lmg_shares` over the answers those weights count; NaN where R² is undefined."""
    # Cross-products from weighted sums lose precision to cancellation; shifting the
    # data first (covariances do not move) keeps it, and singular values below
    # _COLLINEAR of the largest count as zero, as exact arithmetic would make them.
    rows = rows - rows.mean(axis=0)
    scores = scores - scores.mean()
    n = weights.sum(axis=1)
    mean_x = weights @ rows / n[:, None]
    mean_y = weights @ scores / n
    width = rows.shape[1]
    outer = (rows[:, :, None] * rows[:, None, :]).reshape(len(rows), width * width)
    gram = (weights @ outer).reshape(-1, width, width) - n[:, None, None] * (
        mean_x[:, :, None] * mean_x[:, None, :]
    )
    cross = weights @ (rows * scores[:, None]) - n[:, None] * mean_x * mean_y[:, None]
    total = weights @ (scores * scores) - n * mean_y**2
    varies = total > 1e-9 * np.maximum(1.0, n)
    safe_total = np.where(varies, total, 1.0)
    fits: dict[int, FloatArray] = {0: np.zeros(len(n))}
    for mask in range(1, 1 << width):
        columns = [j for j in range(width) if mask >> j & 1]
        inverse = np.linalg.pinv(gram[:, columns][:, :, columns], rtol=_COLLINEAR, hermitian=True)
        part = cross[:, columns]
        explained = np.einsum("bi,bij,bj->b", part, inverse, part)
        fits[mask] = np.clip(explained / safe_total, 0.0, 1.0)
    shares = np.zeros((len(n), width))
    for j in range(width):
        for mask, fit in fits.items():
            if mask >> j & 1:
                continue
            size = mask.bit_count()
            weight = math.factorial(size) * math.factorial(width - size - 1)
            shares[:, j] += weight * (fits[mask | 1 << j] - fit)
    shares /= math.factorial(width)
    shares[~varies] = np.nan
    return shares


def spearman(x: FloatArray, y: FloatArray) -> float | None:
    """Spearman rank correlation (average ranks for ties); ``None`` if either is constant."""
    if len(x) < 2:
        return None
    rank_x, rank_y = _average_ranks(x), _average_ranks(y)
    dx, dy = rank_x - rank_x.mean(), rank_y - rank_y.mean()
    spread = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if spread == 0.0:
        return None
    return max(-1.0, min(1.0, float(dx @ dy) / spread))


def fisher_interval(r: float, *, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """95 % interval of a correlation by Fisher's z: ``tanh(atanh r ± z/sqrt(n - 3))``.

    ``None`` for ``n <= 3``; a perfect correlation (``|r| = 1``) gives ``(r, r)``.
    """
    if n <= 3:
        return None
    if abs(r) >= 1.0:
        return (r, r)
    centre, half = math.atanh(r), z / math.sqrt(n - 3)
    return (math.tanh(centre - half), math.tanh(centre + half))


def _average_ranks(values: FloatArray) -> FloatArray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    _, groups = np.unique(values, return_inverse=True)
    tied_sum = np.bincount(groups, weights=ranks)
    tied_count = np.bincount(groups)
    averaged: FloatArray = (tied_sum / tied_count)[groups]
    return averaged
