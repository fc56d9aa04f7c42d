"""Heatmap: a value and count in every shown cell, a mark and no number in a withheld
one, each mark explained once in the legend, blank cells left blank."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.charts.heatmap import HATCH, MARKS, HeatmapCell, HeatmapLabels, heatmap_figure
from bot.charts.text import format_nps
from tests.bot.charts.heatmap_samples import sample_heatmap


def cell_texts(figure: Figure) -> list[str]:
    return sorted(text.get_text() for text in figure.axes[0].texts)


def legend_texts(figure: Figure) -> list[str]:
    legend = figure.axes[0].get_legend()
    return [] if legend is None else [text.get_text() for text in legend.get_texts()]


@pytest.mark.parametrize("japanese", [False, True], ids=["en", "ja"])
def test_shown_cells_say_their_value_and_withheld_ones_only_their_mark(japanese: bool) -> None:
    rows, columns, cells, labels = sample_heatmap(japanese=japanese)
    figure = heatmap_figure(rows, columns, cells, labels)

    shown = [
        f"{format_nps(c.nps)}\n{labels.count.format(n=c.n)}" for c in cells if c.nps is not None
    ]
    marks = [labels.mark(c.withheld) for c in cells if c.withheld is not None]
    assert cell_texts(figure) == sorted([*shown, *marks])
    assert sorted(marks) == sorted(["*", "*", "†"])
    # Each mark is explained once, with the reason's words, and so is a blank cell.
    assert legend_texts(figure) == [
        f"* {labels.reasons['too_few']}",
        f"† {labels.reasons['reveals']}",
        labels.empty,
    ]
    hatched = [p for p in figure.axes[0].patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == 3 and {p.get_hatch() for p in hatched} == {HATCH}


def test_withheld_and_blank_cells_carry_no_colour_value() -> None:
    rows, columns, cells, labels = sample_heatmap(japanese=False)
    figure = heatmap_figure(rows, columns, cells, labels)
    [image] = figure.axes[0].get_images()
    values = image.get_array()
    assert values is not None
    data = np.ma.getmaskarray(values)
    # Sales/Jan and Support/Feb too few, Sales/Mar reveals, Support/Mar empty.
    assert data.tolist() == [
        [False, False, False],
        [True, False, True],
        [False, True, True],
    ]


def test_only_the_reasons_that_occur_are_explained() -> None:
    labels = sample_heatmap(japanese=False)[3]
    cells = [HeatmapCell("a", "Jan", 10.0, n=5), HeatmapCell("a", "Feb", None, withheld="reveals")]
    figure = heatmap_figure(["a"], ["Jan", "Feb"], cells, labels)
    assert legend_texts(figure) == [f"{MARKS[1]} {labels.reasons['reveals']}"]


def test_a_withheld_cell_cannot_carry_a_value_or_a_count() -> None:
    with pytest.raises(ValueError):
        HeatmapCell("a", "Jan", 10.0, n=5, withheld="too_few")
    with pytest.raises(ValueError):
        HeatmapCell("a", "Jan", None, n=3, withheld="too_few")
    with pytest.raises(ValueError):
        HeatmapCell("a", "Jan", None)


def test_a_broken_count_template_fails_loudly() -> None:
    with pytest.raises(ValueError):
        HeatmapLabels("t", "x", "y", "NPS", "n = {count}", "none", {"too_few": "few"})


def test_cells_outside_the_grid_are_refused() -> None:
    labels = sample_heatmap(japanese=False)[3]
    with pytest.raises(ValueError):
        heatmap_figure(["a"], ["Jan"], [HeatmapCell("b", "Jan", 1.0, n=5)], labels)
