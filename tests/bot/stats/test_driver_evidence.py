"""A driver without effect can be told apart: its interval reaches 0 and it carries no
evidence; a driver with an effect keeps an interval that covers its true share.
Seeded simulations with few resamples keep this fast."""

from __future__ import annotations

from collections import Counter

import numpy as np

from bot.stats.drivers import Method, RatingCell, analyse_drivers
from bot.stats.importance import lmg_shares

EFFECTS = (1.2, 0.0)  # one driver that moves the score, one that does not


def sample(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    ratings = rng.integers(1, 6, size=(n, len(EFFECTS))).astype(float)
    noise = rng.normal(0.0, 1.5, size=n)
    scores = np.clip(np.rint(6.0 + (ratings - 3.0) @ np.array(EFFECTS) + noise), 0, 10)
    return ratings, scores


def cells_of(ratings: np.ndarray, scores: np.ndarray) -> list[RatingCell]:
    counted = Counter(
        (int(s), tuple(int(r) for r in row)) for row, s in zip(ratings, scores, strict=True)
    )
    return [RatingCell(score=s, ratings=r, count=c) for (s, r), c in counted.items()]


def test_coverage_at_zero_and_non_zero_effects() -> None:
    rng = np.random.default_rng(99)
    truth = lmg_shares(*sample(np.random.default_rng(1), 200_000))
    assert truth is not None and truth[1] < 0.001
    runs = 120
    covered = [0, 0]
    evident = [0, 0]
    for _ in range(runs):
        analysis = analyse_drivers(
            ["pay", "desk"], cells_of(*sample(rng, 150)), rng=rng, resamples=200
        )
        assert analysis.method is Method.SHAPLEY
        for index, driver in enumerate(analysis.drivers):
            assert driver.low is not None and driver.high is not None
            covered[index] += driver.low <= truth[index] <= driver.high
            evident[index] += bool(driver.evidence)
    assert covered[1] / runs >= 0.93  # the old percentile interval: 0 %
    assert evident[1] / runs <= 0.07
    assert covered[0] / runs >= 0.85
    assert evident[0] / runs >= 0.95
