"""Heatmap: the NPS of each group (rows) in each period (columns).

The colour runs over the whole scale (−100..100) from the detractors' colour through the
passives' grey to the promoters', so the same NPS has the same colour in every report;
the rounded value is written in each cell too, so nothing depends on telling colours
apart (or on colour at all, in greyscale). A cell the disclosure gate withheld is
hatched grey and marked with a symbol; the legend says what each symbol means, in the
words the caller passes for the gate's reason. A withheld cell shows neither its value
nor its count. A cell nobody answered stays blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from bot.charts.canvas import (
    GRID,
    INK,
    MUTED,
    NOTE_SIZE,
    TICK_SIZE,
    add_legend,
    new_figure,
    render_png,
    set_titles,
    tick_labels_touch,
)
from bot.charts.fonts import font, font_families
from bot.charts.palette import CATEGORY_COLOURS, text_colour_on
from bot.charts.text import format_nps, require_template
from bot.domain.nps import Category

NPS_MIN = -100.0
NPS_MAX = 100.0
MARKS = ("*", "†", "‡", "§")
"""The symbols of withheld cells, one per reason in the order the labels give them."""
HATCH = "///"
_SCALE_TICKS = (-100, -50, 0, 50, 100)
_MAX_COUNTED_CELLS = 48  # beyond this, a count under each value no longer fits its cell

NPS_COLOURS = LinearSegmentedColormap.from_list(
    "nps",
    [
        CATEGORY_COLOURS[Category.DETRACTOR],
        CATEGORY_COLOURS[Category.PASSIVE],
        CATEGORY_COLOURS[Category.PROMOTER],
    ],
)
"""−100 (detractors' colour) through 0 (passives' grey) to +100 (promoters')."""


@dataclass(frozen=True)
class HeatmapCell:
    """One group in one period. ``nps`` and ``n`` are the shown figures; a withheld cell
    has ``nps`` ``None`` and ``withheld`` naming its reason (a key of
    :attr:`HeatmapLabels.reasons`)."""

    row: str
    column: str
    nps: float | None
    n: int = 0
    withheld: str | None = None

    def __post_init__(self) -> None:
        if (self.nps is None) == (self.withheld is None):
            raise ValueError(f"cell {self.row!r}/{self.column!r}: a value or a reason, not both")
        if self.nps is not None and not NPS_MIN <= self.nps <= NPS_MAX:
            raise ValueError(f"cell {self.row!r}/{self.column!r}: NPS must lie in -100..100")
        if self.nps is None and self.n:
            raise ValueError(f"cell {self.row!r}/{self.column!r}: a withheld cell has no count")


@dataclass(frozen=True)
class HeatmapLabels:
    """Translated strings of the heatmap.

    ``reasons`` maps each reason a cell may be withheld for to its explanation, in the
    order their marks are assigned (:data:`MARKS`); ``count`` is a template with an
    ``{n}`` field written under a value; ``empty`` explains a blank cell.
    """

    title: str
    x_axis: str
    y_axis: str
    scale: str
    count: str
    empty: str
    reasons: Mapping[str, str]

    def __post_init__(self) -> None:
        require_template("count", self.count, {"n": 0})
        if len(self.reasons) > len(MARKS):
            raise ValueError(f"at most {len(MARKS)} reasons can be marked")

    def mark(self, reason: str) -> str:
        """The symbol of ``reason``'s cells."""
        return MARKS[list(self.reasons).index(reason)]


def heatmap_chart(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[HeatmapCell],
    labels: HeatmapLabels,
) -> bytes:
    """Return a PNG of the heatmap: ``rows`` top to bottom, ``columns`` left to right,
    in the order given (the caller sorts)."""
    return render_png(heatmap_figure(rows, columns, cells, labels))


def heatmap_figure(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[HeatmapCell],
    labels: HeatmapLabels,
) -> Figure:
    """Draw the heatmap on a new figure (see :func:`heatmap_chart`)."""
    if not rows or not columns:
        raise ValueError("a heatmap needs at least one row and one column")
    where = {(cell.row, cell.column): cell for cell in cells}
    unknown = [key for key in where if key[0] not in rows or key[1] not in columns]
    if unknown or len(where) != len(cells):
        raise ValueError(f"cells outside the rows and columns, or given twice: {unknown}")
    figure, axes = new_figure()
    values = np.full((len(rows), len(columns)), np.nan)
    for (row, column), given in where.items():
        if given.nps is not None:
            values[rows.index(row), columns.index(column)] = given.nps
    norm = Normalize(vmin=NPS_MIN, vmax=NPS_MAX)
    image = axes.imshow(np.ma.masked_invalid(values), cmap=NPS_COLOURS, norm=norm, aspect="auto")
    _draw_axes(axes, rows=rows, columns=columns, labels=labels)
    counted = len(rows) * len(columns) <= _MAX_COUNTED_CELLS
    used: list[str] = []
    blank = False
    for y, row in enumerate(rows):
        for x, column in enumerate(columns):
            cell = where.get((row, column))
            if cell is None:
                blank = True
            elif cell.nps is None:
                reason = cell.withheld or ""
                if reason not in used:
                    used.append(reason)
                _mark_withheld(axes, x=x, y=y, mark=labels.mark(reason))
            else:
                fill = to_hex(NPS_COLOURS(norm(cell.nps)))
                count = labels.count.format(n=cell.n) if counted else None
                _write_value(axes, x=x, y=y, nps=cell.nps, count=count, fill=fill)
    bar = figure.colorbar(image, ax=axes, ticks=list(_SCALE_TICKS), fraction=0.04, pad=0.02)
    bar.ax.set_yticklabels([format_nps(tick) for tick in _SCALE_TICKS])
    bar.ax.tick_params(labelfontfamily=list(font_families()), labelsize=TICK_SIZE, colors=INK)
    bar.set_label(labels.scale, fontproperties=font(NOTE_SIZE), color=INK)
    bar.outline.set_visible(False)
    handles = [
        Patch(
            facecolor=GRID,
            edgecolor=MUTED,
            hatch=HATCH,
            label=f"{labels.mark(reason)} {labels.reasons[reason]}",
        )
        for reason in labels.reasons
        if reason in used
    ]
    if blank:
        handles.append(Patch(facecolor="white", edgecolor=MUTED, label=labels.empty))
    if handles:
        add_legend(axes, columns=1, handles=handles)
    return figure


def _draw_axes(
    axes: Axes, *, rows: Sequence[str], columns: Sequence[str], labels: HeatmapLabels
) -> None:
    set_titles(axes, title=labels.title, x_label=labels.x_axis, y_label=labels.y_axis)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_yticks(range(len(rows)), labels=list(rows))
    axes.set_xticks(range(len(columns)), labels=list(columns))
    axes.tick_params(length=0, pad=6)
    if tick_labels_touch(axes):
        axes.set_xticks(range(len(columns)), labels=list(columns), rotation=90)
    # White lines between cells, so neighbours of one colour still read as two.
    axes.set_xticks(np.arange(-0.5, len(columns), 1.0), minor=True)
    axes.set_yticks(np.arange(-0.5, len(rows), 1.0), minor=True)
    axes.grid(which="minor", color="white", linewidth=2)
    axes.tick_params(which="minor", length=0)


def _mark_withheld(axes: Axes, *, x: int, y: int, mark: str) -> None:
    """Hatch a withheld cell and write its mark in the middle."""
    axes.add_patch(
        Rectangle(
            (x - 0.5, y - 0.5), 1.0, 1.0, facecolor=GRID, edgecolor=MUTED, hatch=HATCH, linewidth=0
        )
    )
    axes.text(
        x,
        y,
        mark,
        ha="center",
        va="center",
        fontproperties=font(TICK_SIZE + 3),
        color=INK,
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
    )


def _write_value(axes: Axes, *, x: int, y: int, nps: float, count: str | None, fill: str) -> None:
    """Write the rounded NPS in its cell (and the count under it when there is room)."""
    colour = text_colour_on(fill)
    text = format_nps(nps) if count is None else f"{format_nps(nps)}\n{count}"
    axes.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontproperties=font(NOTE_SIZE),
        color=colour,
        linespacing=1.3,
    )
