"""Distribution chart: eleven bars coloured by category, counts on top, y from zero."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from bot.charts.distribution import distribution_chart, distribution_figure
from bot.charts.palette import CATEGORY_COLOURS
from bot.domain.nps import category
from tests.bot.charts.chart_samples import ENGLISH, assert_chart_png

LABELS = ENGLISH.distribution
HISTOGRAM = (1, 0, 2, 3, 0, 4, 5, 9, 7, 11, 6)


def test_one_bar_per_score_with_its_count_and_category_colour() -> None:
    axes = distribution_figure(HISTOGRAM, LABELS).axes[0]
    bars = [patch for patch in axes.patches if isinstance(patch, Rectangle)]
    assert [bar.get_height() for bar in bars] == list(HISTOGRAM)
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [
        CATEGORY_COLOURS[category(score)] for score in range(11)
    ]
    assert [text.get_text() for text in axes.texts] == [str(count) for count in HISTOGRAM]


def test_the_count_axis_starts_at_zero_and_clears_the_tallest_bar() -> None:
    axes = distribution_figure((50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60), LABELS).axes[0]
    low, high = axes.get_ylim()
    assert low == 0
    assert high > 60


def test_legend_names_the_three_categories() -> None:
    axes = distribution_figure(HISTOGRAM, LABELS).axes[0]
    legend = axes.get_legend()
    assert legend is not None
    names = LABELS.categories
    assert [text.get_text() for text in legend.get_texts()] == [
        names.detractors,
        names.passives,
        names.promoters,
    ]


def test_an_empty_histogram_still_renders_with_a_positive_axis() -> None:
    data = distribution_chart((0,) * 11, LABELS)
    assert_chart_png(data)
    assert distribution_figure((0,) * 11, LABELS).axes[0].get_ylim()[1] > 0


@pytest.mark.parametrize(
    ("histogram", "message"),
    [((1,) * 10, "11 counts"), ((1,) * 12, "11 counts"), ((1,) * 10 + (-1,), "negative")],
)
def test_invalid_histograms_are_refused(histogram: tuple[int, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        distribution_chart(histogram, LABELS)
