import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from bot.stats.drivers import Method, Quadrant, RatingCell, analyse_drivers, quadrants
from bot.stats.importance import fisher_interval, lmg_shares, r_squared, spearman

# Two drivers over five answers (x1, x2 -> score); every sum below is over these points.
# means: x1 3, x2 3, y 5.2; Sxx: S11 = 10, S22 = 10, S12 = 8, S1y = 21, S2y = 13,
# Syy = 254/5.
# R²(x1) = 21²/(10·254/5) = 441/508;  R²(x2) = 13²/508 = 169/508
# R²(x1, x2) = (S22·S1y² - 2·S12·S1y·S2y + S11·S2y²)/((S11·S22 - S12²)·Syy)
#            = (4410 - 4368 + 1690)/(36·254/5) = 2165/2286
# LMG(x1) = (R²(x1) + R²(x1,x2) - R²(x2))/2 = 3389/4572 = 0.741251
# LMG(x2) = (R²(x2) + R²(x1,x2) - R²(x1))/2 = 941/4572 = 0.205818
POINTS = [(1, 2, 0), (2, 1, 4), (3, 4, 5), (4, 3, 9), (5, 5, 8)]
LMG_1 = Fraction(3389, 4572)
LMG_2 = Fraction(941, 4572)
R2_FULL = Fraction(2165, 2286)


def _arrays(points: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray]:
    ratings = np.array([[float(a), float(b)] for a, b, _ in points])
    return ratings, np.array([float(y) for _, _, y in points])


def test_lmg_matches_the_hand_computed_two_driver_case() -> None:
    ratings, scores = _arrays(POINTS)
    shares = lmg_shares(ratings, scores)
    assert shares is not None
    assert shares[0] == pytest.approx(float(LMG_1), abs=1e-9)
    assert shares[1] == pytest.approx(float(LMG_2), abs=1e-9)
    assert r_squared(ratings, scores) == pytest.approx(float(R2_FULL), abs=1e-9)


def test_analysis_uses_shapley_with_enough_answers_and_is_reproducible() -> None:
    # the five points, eight answers each: 40 >= 30 and >= 10 per driver; same correlations
    cells = [RatingCell(score=y, ratings=(a, b), count=8) for a, b, y in POINTS]
    first = analyse_drivers(["speed", "price"], cells, rng=np.random.default_rng(7), resamples=200)
    again = analyse_drivers(["speed", "price"], cells, rng=np.random.default_rng(7), resamples=200)
    assert first == again
    assert first.method is Method.SHAPLEY
    assert first.n == 40
    assert first.r_squared == pytest.approx(float(R2_FULL), abs=1e-9)
    speed, price = first.drivers
    assert speed.importance == pytest.approx(float(LMG_1), abs=1e-9)
    assert price.importance == pytest.approx(float(LMG_2), abs=1e-9)
    for driver in first.drivers:
        assert driver.low is not None and driver.high is not None
        assert driver.importance is not None
        assert driver.low <= driver.high
    assert (speed.mean_rating, price.mean_rating) == (3.0, 3.0)
    # equal means count as high satisfaction; speed carries more of R²
    assert (speed.quadrant, price.quadrant) == (Quadrant.STRENGTH, Quadrant.MAINTAIN)


def test_few_answers_fall_back_to_spearman_with_fisher_intervals() -> None:
    # 29 answers: one short of 30
    cells = [RatingCell(score=y, ratings=(a, b), count=6) for a, b, y in POINTS[:4]]
    cells.append(RatingCell(score=8, ratings=(5, None), count=5))
    result = analyse_drivers(["speed", "price"], cells, rng=np.random.default_rng(0))
    assert result.method is Method.SPEARMAN
    assert result.r_squared is None
    assert result.n == 29
    speed, price = result.drivers
    assert (speed.answers, price.answers) == (29, 24)
    assert price.mean_rating == pytest.approx(2.5)
    assert speed.importance is not None and speed.low is not None and speed.high is not None
    assert speed.low < speed.importance < speed.high


def test_answers_per_driver_rule() -> None:
    # 40 complete answers cover 2 or 3 drivers (10 each) but not 5 (50 needed)
    cells = [RatingCell(score=y, ratings=(a, b, a, b, a), count=8) for a, b, y in POINTS]
    names = ["a", "b", "c", "d", "e"]
    rng = np.random.default_rng(1)
    assert analyse_drivers(names, cells, rng=rng).method is Method.SPEARMAN
    relaxed = analyse_drivers(names, cells, rng=rng, answers_per_driver=8, resamples=20)
    assert relaxed.method is Method.SHAPLEY


def test_hand_computed_spearman_and_fisher() -> None:
    # ranks of x: 1..5, of y (1, 3, 2, 5, 4): d² = 0+1+1+1+1 = 4
    # rho = 1 - 6·4/(5·24) = 0.8; Fisher: atanh 0.8 = 1.098612, ± 1.959964/sqrt(2)
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    rho = spearman(x, np.array([10.0, 30.0, 20.0, 50.0, 40.0]))
    assert rho == pytest.approx(0.8, abs=1e-12)
    interval = fisher_interval(0.8, n=5)
    assert interval is not None
    half = 1.959964 / math.sqrt(2)
    assert interval[0] == pytest.approx(math.tanh(math.atanh(0.8) - half), abs=1e-12)
    assert interval[1] == pytest.approx(math.tanh(math.atanh(0.8) + half), abs=1e-12)


def test_spearman_averages_tied_ranks() -> None:
    # x ranks (1.5, 1.5, 3, 4); y ranks (1, 2, 3, 4); Pearson of the ranks:
    # dx = (-1, -1, 0.5, 1.5), dy = (-1.5, -0.5, 0.5, 1.5): Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5
    rho = spearman(np.array([1.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0, 4.0]))
    assert rho == pytest.approx(4.5 / math.sqrt(4.5 * 5), abs=1e-12)


def test_undefined_correlations() -> None:
    assert spearman(np.array([2.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0])) is None
    assert fisher_interval(0.5, n=3) is None
    assert fisher_interval(1.0, n=10) == (1.0, 1.0)


def test_constant_scores_have_no_r_squared() -> None:
    ratings, _ = _arrays(POINTS)
    assert lmg_shares(ratings, np.full(5, 7.0)) is None


@pytest.mark.parametrize(
    ("means", "importances", "expected"),
    [
        (
            [4.0, 2.0, 4.0, 2.0],
            [0.4, 0.4, 0.1, 0.1],
            (Quadrant.STRENGTH, Quadrant.PRIORITY, Quadrant.MAINTAIN, Quadrant.LOW_PRIORITY),
        ),
        ([4.0, None, 2.0], [0.4, 0.3, None], (None, None, None)),
        ([4.0, 3.0, None], [0.1, 0.3, 0.2], (Quadrant.MAINTAIN, Quadrant.PRIORITY, None)),
    ],
)
def test_quadrants(
    means: list[float | None], importances: list[float | None], expected: tuple[Quadrant | None]
) -> None:
    assert quadrants(means, importances) == expected


@pytest.mark.parametrize(
    "cell",
    [
        RatingCell(score=11, ratings=(3,)),
        RatingCell(score=5, ratings=(0,)),
        RatingCell(score=5, ratings=(3, 3)),
        RatingCell(score=5, ratings=(3,), count=-1),
    ],
)
def test_invalid_cells_are_rejected(cell: RatingCell) -> None:
    with pytest.raises(ValueError):
        analyse_drivers(["a"], [cell], rng=np.random.default_rng(0))


def test_driver_count_limits() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        analyse_drivers([], [], rng=rng)
    with pytest.raises(ValueError):
        analyse_drivers(list("abcdef"), [], rng=rng)
    with pytest.raises(ValueError):
        analyse_drivers(["a", "a"], [], rng=rng)


designs = st.integers(min_value=1, max_value=5).flatmap(
    lambda width: st.tuples(
        hnp.arrays(np.float64, (12, width), elements=st.integers(1, 5).map(float)),
        hnp.arrays(np.float64, 12, elements=st.integers(0, 10).map(float)),
    )
)


@settings(max_examples=60)
@given(designs)
def test_shares_sum_to_r_squared_and_lie_within_it(design: tuple[np.ndarray, np.ndarray]) -> None:
    ratings, scores = design
    shares = lmg_shares(ratings, scores)
    full = r_squared(ratings, scores)
    if full is None:
        assert shares is None
        return
    assert shares is not None
    assert float(shares.sum()) == pytest.approx(full, abs=1e-9)
    assert all(-1e-9 <= share <= full + 1e-9 for share in shares)


@settings(max_examples=40)
@given(designs)
def test_shares_follow_their_columns(design: tuple[np.ndarray, np.ndarray]) -> None:
    ratings, scores = design
    order = np.arange(ratings.shape[1])[::-1]
    shares, reordered = lmg_shares(ratings, scores), lmg_shares(ratings[:, order], scores)
    if shares is None:
        assert reordered is None
        return
    assert reordered is not None
    np.testing.assert_allclose(reordered, shares[order], atol=1e-9)
