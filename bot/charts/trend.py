"""Trend chart: NPS per period with its 95 % interval.

The y axis always spans the whole scale (−100..100) with a zero line, so a small change
never looks like a cliff. A period without a shown value (suppressed because too few
people answered, or nobody answered) is a gap in the line and the band, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.charts.canvas import (
    GRID,
    HALO,
    INK,
    MUTED,
    NOTE_SIZE,
    add_legend,
    new_figure,
    render_png,
    set_titles,
    tick_labels_touch,
)
from bot.charts.fonts import font
from bot.charts.palette import ACCENT
from bot.charts.text import format_nps, require_template

NPS_MIN = -100.0
NPS_MAX = 100.0
_Y_TICKS = (-100, -50, 0, 50, 100)
_BAND_ALPHA = 0.2
_LONE_INTERVAL_WIDTH = 0.3  # x units; an interval with no neighbour has no band to join
_MAX_VALUE_LABELS = 12  # beyond this, values written at each point run into each other
_LABEL_BELOW_FROM = 85.0  # a value label above a higher marker would leave the axes


@dataclass(frozen=True)
class TrendPoint:
    """One period of the trend.

    ``period`` is the already formatted period name drawn on the x axis. ``nps`` is
    ``None`` when the period has no value to show (suppressed or empty); such a point
    carries no interval. Otherwise ``ci_low``/``ci_high`` are the 95 % interval in NPS
    points, both given or both ``None``, with ``ci_low <= nps <= ci_high``.
    """

    period: str
    n: int
    nps: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    gap: str | None = None
    """Why a period without a value has none, written in its gap (the labels' general
    ``suppressed`` when ``None``)."""

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError(f"n cannot be negative, got {self.n} for {self.period!r}")
        if self.nps is None:
            if self.ci_low is not None or self.ci_high is not None:
                raise ValueError(f"period {self.period!r} has an interval but no NPS")
            return
        values = [self.nps]
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValueError(f"period {self.period!r} needs both interval bounds or neither")
        if self.ci_low is not None and self.ci_high is not None:
            if not self.ci_low <= self.nps <= self.ci_high:
                raise ValueError(
                    f"period {self.period!r}: interval [{self.ci_low}, {self.ci_high}] "
                    f"does not contain the NPS {self.nps}"
                )
            values += [self.ci_low, self.ci_high]
        if not all(math.isfinite(value) and NPS_MIN <= value <= NPS_MAX for value in values):
            raise ValueError(f"period {self.period!r}: NPS values must lie in -100..100")


@dataclass(frozen=True)
class TrendLabels:
    """Translated strings of the trend chart.

    ``count`` is a template with an ``{n}`` field written under each period (``"n = {n}"``);
    ``suppressed`` is written inside the gap of a period whose value is not shown.
    """

    title: str
    x_axis: str
    y_axis: str
    estimate: str
    interval: str
    count: str
    suppressed: str

    def __post_init__(self) -> None:
        require_template("count", self.count, {"n": 0})


def trend_chart(points: Sequence[TrendPoint], labels: TrendLabels) -> bytes:
    """Return a PNG of the trend, periods left to right in the order given.

    Each point's rounded NPS is written next to it for up to twelve periods; longer trends
    rely on the axis. Period names turn upright when they would otherwise touch.
    """
    return render_png(trend_figure(points, labels))


def trend_figure(points: Sequence[TrendPoint], labels: TrendLabels) -> Figure:
    """Draw the trend chart on a new figure (see :func:`trend_chart`)."""
    if not points:
        raise ValueError("a trend needs at least one period")
    figure, axes = new_figure()
    x = np.arange(len(points), dtype=float)
    nps = _series([point.nps for point in points])
    low = _series([point.ci_low for point in points])
    high = _series([point.ci_high for point in points])

    _draw_axes(axes, points=points, labels=labels)
    axes.fill_between(
        x, low, high, color=ACCENT, alpha=_BAND_ALPHA, linewidth=0, label=labels.interval
    )
    for index in _lone_intervals(low):
        axes.bar(
            x[index],
            high[index] - low[index],
            bottom=low[index],
            width=_LONE_INTERVAL_WIDTH,
            color=ACCENT,
            alpha=_BAND_ALPHA,
            linewidth=0,
        )
    axes.plot(x, nps, color=ACCENT, linewidth=2.2, marker="o", markersize=7, label=labels.estimate)
    label_values = len(points) <= _MAX_VALUE_LABELS
    for index, point in enumerate(points):
        if point.nps is None:
            _mark_gap(axes, x=index, reason=point.gap or labels.suppressed)
        elif label_values:
            _label_value(axes, x=index, value=point.nps)
    add_legend(axes, columns=2)
    return figure


def _series(values: Sequence[float | None]) -> np.ndarray:
    """Turn optional values into floats with NaN for gaps (matplotlib breaks lines at NaN)."""
    return np.array([math.nan if value is None else value for value in values], dtype=float)


def _lone_intervals(low: np.ndarray) -> list[int]:
    """Indexes of intervals without a neighbouring interval, which a band cannot show."""
    present = ~np.isnan(low)
    lone = []
    for index, here in enumerate(present):
        before = index > 0 and present[index - 1]
        after = index + 1 < len(present) and present[index + 1]
        if here and not before and not after:
            lone.append(index)
    return lone


def _draw_axes(axes: Axes, *, points: Sequence[TrendPoint], labels: TrendLabels) -> None:
    set_titles(axes, title=labels.title, x_label=labels.x_axis, y_label=labels.y_axis)
    axes.set_ylim(NPS_MIN, NPS_MAX)
    axes.set_yticks(_Y_TICKS, labels=[format_nps(tick) for tick in _Y_TICKS])
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.axhline(0, color=INK, linewidth=1.0)
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_xticks(range(len(points)), labels=_tick_labels(points, labels, separator="\n"))
    axes.tick_params(axis="x", length=0, pad=6)
    if tick_labels_touch(axes):
        # Many periods: one line each, turned upright, so they cannot run into each other.
        axes.set_xticks(
            range(len(points)), labels=_tick_labels(points, labels, separator="  "), rotation=90
        )


def _tick_labels(points: Sequence[TrendPoint], labels: TrendLabels, *, separator: str) -> list[str]:
    # A suppressed period shows no count either: its size is part of what is withheld.
    return [
        point.period
        if point.nps is None
        else f"{point.period}{separator}{labels.count.format(n=point.n)}"
        for point in points
    ]


def _mark_gap(axes: Axes, *, x: int, reason: str) -> None:
    """Shade a period without a value and say why, upright inside the shading.

    Written vertically, the reason never runs into the neighbouring periods.
    """
    axes.axvspan(x - 0.4, x + 0.4, color=GRID, alpha=0.5, linewidth=0)
    axes.text(
        x,
        0,
        reason,
        rotation=90,
        ha="center",
        va="center",
        fontproperties=font(NOTE_SIZE),
        color=MUTED,
        path_effects=[HALO],
    )


def _label_value(axes: Axes, *, x: int, value: float) -> None:
    """Write the rounded NPS next to its marker, below it when the marker is near the top."""
    above = value <= _LABEL_BELOW_FROM
    axes.annotate(
        format_nps(value),
        (x, value),
        xytext=(0, 10 if above else -10),
        textcoords="offset points",
        ha="center",
        va="bottom" if above else "top",
        fontproperties=font(NOTE_SIZE),
        color=INK,
        path_effects=[HALO],
    )
