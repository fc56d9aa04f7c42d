"""Distribution chart: how many people gave each score 0..10.

Bars are coloured by category and stay in score order, so the detractor, passive and
promoter ranges are also told apart by position. The count axis starts at zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.charts.canvas import (
    GRID,
    HALO,
    INK,
    NOTE_SIZE,
    add_legend,
    new_figure,
    render_png,
    set_titles,
)
from bot.charts.fonts import font
from bot.charts.palette import CATEGORY_COLOURS, CATEGORY_ORDER
from bot.charts.text import CategoryNames
from bot.domain.nps import SCORES, category, validate_histogram

_BAR_WIDTH = 0.72
_HEADROOM = 1.12  # room above the tallest bar for its count


@dataclass(frozen=True)
class DistributionLabels:
    """Translated strings of the distribution chart."""

    title: str
    x_axis: str
    y_axis: str
    categories: CategoryNames


def distribution_chart(histogram: Sequence[int], labels: DistributionLabels) -> bytes:
    """Return a PNG of an 11-count histogram (counts of scores 0..10)."""
    return render_png(distribution_figure(histogram, labels))


def distribution_figure(histogram: Sequence[int], labels: DistributionLabels) -> Figure:
    """Draw the distribution chart on a new figure (see :func:`distribution_chart`).

    Raises ``ValueError`` unless ``histogram`` is eleven non-negative counts.
    """
    validate_histogram(histogram)
    figure, axes = new_figure()
    set_titles(axes, title=labels.title, x_label=labels.x_axis, y_label=labels.y_axis)
    scores = list(SCORES)
    colours = [CATEGORY_COLOURS[category(score)] for score in scores]
    bars = axes.bar(scores, histogram, width=_BAR_WIDTH, color=colours)
    axes.bar_label(
        bars,
        labels=[str(count) for count in histogram],
        padding=3,
        fontproperties=font(NOTE_SIZE),
        color=INK,
        path_effects=[HALO],
    )
    axes.set_xticks(scores, labels=[str(score) for score in scores])
    axes.set_xlim(-0.6, len(scores) - 0.4)
    axes.tick_params(axis="x", length=0)
    axes.set_ylim(0, max(1, max(histogram)) * _HEADROOM)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    add_legend(
        axes,
        columns=len(CATEGORY_ORDER),
        handles=[
            Patch(color=CATEGORY_COLOURS[which], label=labels.categories.of(which))
            for which in CATEGORY_ORDER
        ],
    )
    return figure
