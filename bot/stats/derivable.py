"""Which small unions of parts a reader can compute from released sums (pure).

The reader knows, for every released group, the sum of its parts' histograms: one 0/1 row
over the parts per group. Whatever they can compute exactly is a linear combination of
those rows; the histogram of a set ``S`` of parts is computable exactly when the 0/1
vector of ``S`` lies in the rows' span. :func:`new_small_derivable` answers whether adding
one row to a set of rows makes a *small* set computable (a union of parts holding more than
0 and fewer than ``k`` answers) that was not computable before.

The arithmetic is exact modulo a large prime (2**31 − 1). A vector in the rational span is
in the modular span unless the prime divides one of the rational coefficients' denominators,
which for 0/1 matrices of the sizes reports produce does not happen in practice; the search
for small sets is bounded, and running out of budget answers "computable" (refuse rather
than guess).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

PRIME = 2_147_483_647
"""Small enough that a product of two residues fits in a signed 64-bit integer."""
SEARCH_BUDGET = 20_000
"""How many candidate small sets are examined before the answer becomes "computable"."""
MAX_PARTS = 800
"""Above this many parts the elimination is not attempted (answer "computable")."""

Matrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Span:
    """A reduced row echelon basis of the span's vectors that vanish on the large parts,
    restricted to the small parts: ``rows[i]`` has a 1 at column ``pivots[i]``."""

    rows: Matrix
    pivots: tuple[int, ...]

    def contains(self, vector: Matrix) -> bool:
        residual = vector.copy()
        for row, pivot in zip(self.rows, self.pivots, strict=True):
            factor = int(residual[pivot])
            if factor:
                residual = (residual - (factor * row) % PRIME) % PRIME
        return not residual.any()


def new_small_derivable(
    before: npt.NDArray[np.bool_],
    added: npt.NDArray[np.bool_],
    counts: npt.NDArray[np.int64],
    *,
    k: int,
) -> bool:
    """True if the 0/1 row ``added`` makes a small set computable that ``before`` did not.

    ``before`` is a (rows × parts) boolean matrix of what was released, ``added`` one more
    row and ``counts`` the answers in each part (every part holds at least one). A set is
    small with more than 0 and fewer than ``k`` answers. Parts that no row touches are left
    out by the caller or harmlessly ignored (no combination reaches them).
    """
    small = counts < k
    if not small.any():
        return False
    if counts.size > MAX_PARTS:
        return True
    # Large parts first: in reduced echelon form the rows whose pivot lies among the small
    # parts are exactly the combinations that vanish on every large part.
    order = np.concatenate([np.flatnonzero(~small), np.flatnonzero(small)])
    large_count = int((~small).sum())
    small_counts = counts[order[large_count:]]
    full = _small_span(np.vstack([before, added[None, :]])[:, order], large_count)
    if full.rows.shape[0] == 0:
        return False
    previous = _small_span(before[:, order], large_count) if before.shape[0] else _empty(full)
    if previous.rows.shape[0] == full.rows.shape[0]:
        return False  # the new row adds nothing computable among the small parts
    return _search(full, previous, small_counts, k=k)


def _empty(like: _Span) -> _Span:
    return _Span(rows=np.zeros((0, like.rows.shape[1]), dtype=np.int64), pivots=())


def _small_span(rows: npt.NDArray[np.bool_], large_count: int) -> _Span:
    unique = np.unique(rows.astype(np.int64), axis=0)
    reduced, pivots = _rref(unique)
    keep = [i for i, pivot in enumerate(pivots) if pivot >= large_count]
    return _Span(
        rows=reduced[keep][:, large_count:],
        pivots=tuple(pivots[i] - large_count for i in keep),
    )


def _rref(matrix: Matrix) -> tuple[Matrix, list[int]]:
    """Reduced row echelon form modulo :data:`PRIME`, and the pivot columns."""
    m = matrix % PRIME
    height, width = m.shape
    pivots: list[int] = []
    top = 0
    for column in range(width):
        if top == height:
            break
        candidates = np.flatnonzero(m[top:, column])
        if candidates.size == 0:
            continue
        chosen = top + int(candidates[0])
        if chosen != top:
            m[[top, chosen]] = m[[chosen, top]]
        inverse = pow(int(m[top, column]), PRIME - 2, PRIME)
        m[top] = (m[top] * inverse) % PRIME
        factors = m[:, column].copy()
        factors[top] = 0
        others = np.flatnonzero(factors)
        if others.size:
            m[others] = (m[others] - (factors[others, None] * m[top][None, :]) % PRIME) % PRIME
        pivots.append(column)
        top += 1
    return m[:top], pivots


def _search(full: _Span, previous: _Span, counts: npt.NDArray[np.int64], *, k: int) -> bool:
    """Whether some 0/1 vector of ``full`` with fewer than ``k`` answers is not in
    ``previous``. A vector of the span is fixed by its values on the pivots, so the
    search runs over sets of pivots whose own answers stay under ``k``."""
    pivot_counts = [int(counts[p]) for p in full.pivots]
    examined = 0

    def visit(start: int, total: int, vector: Matrix | None) -> bool:
        nonlocal examined
        for index in range(start, len(full.pivots)):
            if total + pivot_counts[index] >= k:
                continue
            examined += 1
            if examined > SEARCH_BUDGET:
                return True
            row = full.rows[index]
            combined = row.copy() if vector is None else (vector + row) % PRIME
            if _is_small_set(combined, counts, k=k) and not previous.contains(combined):
                return True
            if visit(index + 1, total + pivot_counts[index], combined):
                return True
        return False

    return visit(0, 0, None)


def _is_small_set(vector: Matrix, counts: npt.NDArray[np.int64], *, k: int) -> bool:
    if not np.isin(vector, (0, 1)).all():
        return False
    answers = int(counts[vector == 1].sum())
    return 0 < answers < k


def rows_over_parts(
    masks: Sequence[npt.NDArray[np.bool_]], representatives: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """Each mask over atoms read at one representative atom per part (masks are constant
    on parts), as a (masks × parts) matrix."""
    if not masks:
        return np.zeros((0, representatives.size), dtype=bool)
    return np.vstack([mask[representatives] for mask in masks])
