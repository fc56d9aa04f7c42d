"""The bootstrap's weighted fits agree with the plain LMG shares of the answers the
weights count (a resample is held as how often each distinct cell was drawn)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.stats.importance import lmg_shares, weighted_lmg_shares

cells = st.lists(
    st.tuples(
        st.integers(0, 10), st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
    ),
    min_size=1,
    max_size=12,
    unique=True,
)


@settings(max_examples=80, deadline=None)
@given(
    cells=cells,
    weights=st.lists(st.lists(st.integers(0, 6), min_size=12, max_size=12), min_size=1, max_size=4),
)
def test_weighted_shares_equal_the_shares_of_the_repeated_answers(
    cells: list[tuple[int, tuple[int, int, int]]], weights: list[list[int]]
) -> None:
    rows = np.array([ratings for _, ratings in cells], dtype=np.float64)
    scores = np.array([score for score, _ in cells], dtype=np.float64)
    counts = np.array([w[: len(cells)] for w in weights], dtype=np.float64)
    counts[:, 0] += 1  # every resample holds at least one answer
    found = weighted_lmg_shares(rows, scores, counts)
    for row, weight in zip(found, counts, strict=True):
        repeat = weight.astype(int)
        expected = lmg_shares(np.repeat(rows, repeat, axis=0), np.repeat(scores, repeat))
        if expected is None:
            assert np.isnan(row).all()
        else:
            np.testing.assert_allclose(row, expected, atol=1e-7)
