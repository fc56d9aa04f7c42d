"""Figure creation and PNG rendering shared by every chart.

Charts are drawn on a plain :class:`~matplotlib.figure.Figure` with its own Agg canvas: no
pyplot, no global figure registry, nothing to close later. Every chart has the same pixel
size, sized for a chat message: wide enough for a phone to show it full width, short enough
to sit in a conversation without scrolling.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence

from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.charts.fonts import font, font_families

WIDTH_PX = 1000
HEIGHT_PX = 560
DPI = 100

TITLE_SIZE = 16.0
LABEL_SIZE = 12.0
TICK_SIZE = 11.0
NOTE_SIZE = 10.5
_TICK_GAP_PX = 6.0
TITLE_MARGIN = 0.012  # figure fraction left of the title

INK = "#222222"
"""Colour of text and reference lines."""
MUTED = "#6b6b6b"
"""Colour of secondary text (counts, captions)."""
GRID = "#dddddd"

HALO = patheffects.withStroke(linewidth=3, foreground="white")
"""Outline that keeps a value label legible over lines and bands."""


def new_figure() -> tuple[Figure, Axes]:
    """Return a chart-sized figure on an Agg canvas with one styled axes."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.tick_params(labelfontfamily=list(font_families()), labelsize=TICK_SIZE, colors=INK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def set_titles(axes: Axes, *, title: str, x_label: str, y_label: str) -> None:
    """Write the chart title and axis labels in the chart font; empty strings draw nothing.

    The title belongs to the figure, so the layout keeps it clear of a legend above the axes.
    """
    figure = axes.get_figure(root=True)
    if figure is not None and title:
        figure.suptitle(
            title, x=TITLE_MARGIN, ha="left", fontproperties=font(TITLE_SIZE), color=INK
        )
    axes.set_xlabel(x_label, fontproperties=font(LABEL_SIZE), color=INK)
    axes.set_ylabel(y_label, fontproperties=font(LABEL_SIZE), color=INK)


def add_legend(axes: Axes, *, columns: int, handles: Sequence[Artist] = ()) -> None:
    """Put the legend in one row just above the axes, left-aligned, under the title.

    Without ``handles`` the legend lists the axes' labelled artists.
    """
    shown = list(handles) or axes.get_legend_handles_labels()[0]
    axes.legend(
        handles=shown,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        borderaxespad=0.0,
        ncols=columns,
        frameon=False,
        prop=font(NOTE_SIZE),
        labelcolor=INK,
    )


def tick_labels_touch(axes: Axes) -> bool:
    """Whether any two x tick labels, as currently laid out, touch or overlap."""
    figure = axes.get_figure(root=True)
    if figure is None:
        return False
    figure.draw_without_rendering()
    boxes = [label.get_window_extent() for label in axes.get_xticklabels() if label.get_text()]
    return any(left.x1 + _TICK_GAP_PX > right.x0 for left, right in itertools.pairwise(boxes))


def render_png(figure: Figure) -> bytes:
    """Render ``figure`` to PNG bytes at the chart size, then free its artists."""
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=DPI)
    finally:
        figure.clear()
    return buffer.getvalue()
