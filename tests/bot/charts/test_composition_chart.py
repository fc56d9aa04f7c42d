"""Composition chart: 100 % bars in the order given, shares, percentages and summaries."""

from __future__ import annotations

import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from bot.charts.composition import (
    CompositionLabels,
    CompositionRow,
    composition_chart,
    composition_figure,
)
from bot.charts.palette import CATEGORY_COLOURS, CATEGORY_ORDER
from bot.charts.text import format_nps
from tests.bot.charts.chart_samples import ENGLISH, assert_chart_png

LABELS = ENGLISH.composition


def _bars(axes: Axes) -> list[Rectangle]:
    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def test_rows_keep_the_given_order_top_to_bottom() -> None:
    rows = [CompositionRow("Zeta", 1, 1, 8), CompositionRow("Alpha", 8, 1, 1)]
    figure = composition_figure(rows, LABELS)
    figure.canvas.draw()
    ticks = figure.axes[0].get_yticklabels()
    heights = {tick.get_text(): tick.get_window_extent().y0 for tick in ticks}
    assert heights["Zeta"] > heights["Alpha"]  # display y grows upwards


def test_each_bar_splits_into_the_category_shares_in_fixed_order() -> None:
    row = CompositionRow("Team", 3, 5, 12)
    axes = composition_figure([row], LABELS).axes[0]
    bars = _bars(axes)
    assert [to_hex(bar.get_facecolor()) for bar in bars] == [
        CATEGORY_COLOURS[which] for which in CATEGORY_ORDER
    ]
    assert [bar.get_width() for bar in bars] == pytest.approx([3 / 20, 5 / 20, 12 / 20])
    assert [bar.get_x() for bar in bars] == pytest.approx([0, 3 / 20, 8 / 20])
    assert axes.get_xlim() == (0.0, 1.0)


def test_percentages_are_written_only_where_they_fit() -> None:
    row = CompositionRow("Team", 1, 49, 50)  # a 1 % sliver cannot hold its label
    axes = composition_figure([row], LABELS).axes[0]
    written = [text.get_text() for text in axes.texts]
    assert written == [LABELS.percent.format(value=49), LABELS.percent.format(value=50)]


def test_each_bar_ends_with_its_nps_and_count() -> None:
    rows = [CompositionRow("A", 2, 3, 15), CompositionRow("B", 10, 0, 2)]
    figure = composition_figure(rows, LABELS)
    figure.canvas.draw()
    right_labels = [
        tick.get_text()
        for child in figure.axes[0].child_axes
        for tick in child.get_yticklabels()
        if tick.get_text()
    ]
    assert right_labels == [
        LABELS.summary.format(nps=format_nps(100 * (15 - 2) / 20), n=20),
        LABELS.summary.format(nps=format_nps(100 * (2 - 10) / 12), n=12),
    ]


def test_many_rows_render() -> None:
    rows = [CompositionRow(f"Segment {i}", i, 10, 20 - i) for i in range(12)]
    assert_chart_png(composition_chart(rows, LABELS))


@pytest.mark.parametrize(
    ("counts", "message"),
    [((0, 0, 0), "no answers"), ((-1, 2, 3), "negative")],
)
def test_invalid_rows_are_refused(counts: tuple[int, int, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CompositionRow("Team", *counts)


def test_an_empty_chart_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        composition_chart([], LABELS)


@pytest.mark.parametrize(
    ("percent", "summary"),
    [("{value}%", "NPS {nps}"), ("%", "NPS {nps} n={n}"), ("{value:d}%", "{nps} {n} {k}")],
)
def test_templates_missing_or_adding_fields_are_refused(percent: str, summary: str) -> None:
    with pytest.raises(ValueError, match="template"):
        CompositionLabels("t", "x", LABELS.categories, percent, summary)
