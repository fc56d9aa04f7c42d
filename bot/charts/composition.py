"""Composition chart: detractor / passive / promoter shares as 100 % stacked bars.

One horizontal bar per row (a period or a segment), drawn top to bottom in the order the
caller gives: the caller sorts (reports sort segments by NPS), the chart never reorders.
Each bar reads left to right detractors → passives → promoters, so categories are told
apart by position as well as colour; the NPS and the number of answers close each bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from bot.charts.canvas import (
    INK,
    NOTE_SIZE,
    TICK_SIZE,
    add_legend,
    new_figure,
    render_png,
    set_titles,
)
from bot.charts.fonts import font, font_families
from bot.charts.palette import CATEGORY_COLOURS, CATEGORY_ORDER, text_colour_on
from bot.charts.text import CategoryNames, format_nps, require_template
from bot.domain.nps import Category, Composition, display_round

_BAR_HEIGHT = 0.62
_MIN_SHARE_FOR_LABEL = 0.06  # narrower segments cannot hold "100%" at the note size
_X_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class CompositionRow:
    """Answer counts of one bar; ``label`` is its already translated name."""

    label: str
    detractors: int
    passives: int
    promoters: int
    interval: tuple[float, float] | None = None
    """The 95 % interval of the row's NPS in points, written beside it when given."""
    withheld: str | None = None
    """Why the row's figures are withheld: the row is marked, with no bar and no count."""

    def __post_init__(self) -> None:
        if min(self.detractors, self.passives, self.promoters) < 0:
            raise ValueError(f"row {self.label!r}: counts cannot be negative")
        if self.withheld is not None:
            if self.composition.n or self.interval is not None:
                raise ValueError(f"withheld row {self.label!r} cannot carry figures")
        elif self.composition.n == 0:
            raise ValueError(f"row {self.label!r} has no answers; leave it out")

    @property
    def composition(self) -> Composition:
        return Composition(
            detractors=self.detractors, passives=self.passives, promoters=self.promoters
        )

    def share(self, which: Category) -> float:
        """Share (0..1) of ``which`` among this row's answers (0 for a withheld row)."""
        return self.composition.share(which) or 0.0

    def summary(self, labels: CompositionLabels) -> str:
        """What closes the bar: NPS (with its interval) and count; nothing when withheld."""
        if self.withheld is not None:
            return ""
        if self.interval is None:
            return labels.summary.format(nps=format_nps(self.nps), n=self.composition.n)
        return labels.interval_summary.format(
            nps=format_nps(self.nps),
            low=format_nps(self.interval[0]),
            high=format_nps(self.interval[1]),
            n=self.composition.n,
        )

    @property
    def nps(self) -> float:
        """NPS of this row in points."""
        return self.composition.nps or 0.0  # never None: a row has answers


@dataclass(frozen=True)
class CompositionLabels:
    """Translated strings of the composition chart.

    ``percent`` formats a share and has a ``{value}`` field (``"{value}%"``); ``summary``
    closes each bar and has ``{nps}`` and ``{n}`` fields (``"NPS {nps} · n = {n}"``);
    ``interval_summary`` closes a bar with an interval and adds ``{low}`` and ``{high}``.
    """

    title: str
    x_axis: str
    categories: CategoryNames
    percent: str
    summary: str
    interval_summary: str = "NPS {nps} ({low} to {high}) · n = {n}"

    def __post_init__(self) -> None:
        require_template("percent", self.percent, {"value": 0})
        require_template("summary", self.summary, {"nps": "+0", "n": 0})
        require_template(
            "interval_summary",
            self.interval_summary,
            {"nps": "+0", "low": "0", "high": "0", "n": 0},
        )


def composition_chart(rows: Sequence[CompositionRow], labels: CompositionLabels) -> bytes:
    """Return a PNG of the rows' compositions, first row at the top (order kept as given)."""
    return render_png(composition_figure(rows, labels))


def composition_figure(rows: Sequence[CompositionRow], labels: CompositionLabels) -> Figure:
    """Draw the composition chart on a new figure (see :func:`composition_chart`)."""
    if not rows:
        raise ValueError("a composition chart needs at least one row")
    figure, axes = new_figure()
    set_titles(axes, title=labels.title, x_label=labels.x_axis, y_label="")
    positions = list(range(len(rows)))

    left = [0.0] * len(rows)
    for which in CATEGORY_ORDER:
        fill = CATEGORY_COLOURS[which]
        shares = [row.share(which) for row in rows]
        axes.barh(
            positions,
            shares,
            left=left,
            height=_BAR_HEIGHT,
            color=fill,
            edgecolor="white",
            linewidth=1.0,
            label=labels.categories.of(which),
        )
        for position, start, share in zip(positions, left, shares, strict=True):
            if share >= _MIN_SHARE_FOR_LABEL:
                axes.text(
                    start + share / 2,
                    position,
                    labels.percent.format(value=display_round(100 * share)),
                    ha="center",
                    va="center",
                    color=text_colour_on(fill),
                    fontproperties=font(NOTE_SIZE),
                )
        left = [start + share for start, share in zip(left, shares, strict=True)]

    for position, row in zip(positions, rows, strict=True):
        if row.withheld is not None:
            axes.text(
                0.5,
                position,
                row.withheld,
                ha="center",
                va="center",
                color=INK,
                fontproperties=font(NOTE_SIZE),
            )
    axes.set_xlim(0, 1)
    axes.set_xticks(
        _X_TICKS, labels=[labels.percent.format(value=round(100 * tick)) for tick in _X_TICKS]
    )
    axes.set_ylim(len(rows) - 0.5, -0.5)  # first row on top
    axes.set_yticks(positions, labels=[row.label for row in rows])
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)

    summaries = axes.secondary_yaxis("right")
    summaries.set_yticks(
        positions,
        labels=[row.summary(labels) for row in rows],
    )
    summaries.tick_params(
        length=0, labelsize=TICK_SIZE, labelfontfamily=list(font_families()), colors=INK
    )
    summaries.spines["right"].set_visible(False)

    add_legend(axes, columns=len(CATEGORY_ORDER))
    return figure
