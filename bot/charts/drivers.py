"""Driver quadrant chart: how satisfied people are with each driver against how much it matters.

x is importance (any scale the caller computes, larger meaning it matters more to the
NPS), y is mean satisfaction on the fixed 1..5 scale. Lines at the thresholds (the
medians unless given) split the plane into four quadrants; the important-but-unsatisfying
one ("fix first") is tinted. Each point carries its driver's name.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from bot.charts.canvas import (
    GRID,
    HALO,
    INK,
    MUTED,
    NOTE_SIZE,
    TICK_SIZE,
    new_figure,
    render_png,
    set_titles,
)
from bot.charts.fonts import font
from bot.charts.palette import ACCENT, CATEGORY_COLOURS
from bot.charts.placement import place_labels
from bot.domain.nps import Category

SATISFACTION_MIN = 1.0
SATISFACTION_MAX = 5.0
_Y_MARGIN = 0.2  # so points at 1 or 5 are not cut by the frame
_X_PAD = 0.12  # share of the importance span added on each side
_MARKER_SIZE = 64.0  # points², scatter's unit
_CORNER_INSET = 0.012  # axes fraction between a caption and the frame


@dataclass(frozen=True)
class DriverPoint:
    """One driver: its translated ``name``, mean satisfaction (1..5) and importance."""

    name: str
    satisfaction: float
    importance: float

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a driver needs a name")
        if not (
            math.isfinite(self.satisfaction)
            and SATISFACTION_MIN <= self.satisfaction <= SATISFACTION_MAX
        ):
            raise ValueError(
                f"driver {self.name!r}: satisfaction must lie in 1..5, got {self.satisfaction}"
            )
        if not math.isfinite(self.importance):
            raise ValueError(f"driver {self.name!r}: importance must be a finite number")


@dataclass(frozen=True)
class QuadrantCaptions:
    """Translated captions of the four quadrants."""

    fix_first: str  # important, satisfaction below the threshold
    strengths: str  # important, satisfaction above the threshold
    monitor: str  # less important, satisfaction below the threshold
    maintain: str  # less important, satisfaction above the threshold


@dataclass(frozen=True)
class DriverLabels:
    """Translated strings of the driver quadrant chart."""

    title: str
    x_axis: str
    y_axis: str
    quadrants: QuadrantCaptions


def driver_quadrant_chart(
    drivers: Sequence[DriverPoint],
    labels: DriverLabels,
    *,
    importance_threshold: float | None = None,
    satisfaction_threshold: float | None = None,
) -> bytes:
    """Return a PNG of the drivers' quadrant chart.

    Thresholds default to the medians of the drivers' importance and satisfaction.
    """
    return render_png(
        driver_quadrant_figure(
            drivers,
            labels,
            importance_threshold=importance_threshold,
            satisfaction_threshold=satisfaction_threshold,
        )
    )


def driver_quadrant_figure(
    drivers: Sequence[DriverPoint],
    labels: DriverLabels,
    *,
    importance_threshold: float | None = None,
    satisfaction_threshold: float | None = None,
) -> Figure:
    """Draw the driver quadrant chart on a new figure (see :func:`driver_quadrant_chart`)."""
    if not drivers:
        raise ValueError("a driver chart needs at least one driver")
    names = [driver.name for driver in drivers]
    if len(set(names)) != len(names):
        raise ValueError("driver names must be unique")
    importance = [driver.importance for driver in drivers]
    satisfaction = [driver.satisfaction for driver in drivers]
    x_split = (
        statistics.median(importance) if importance_threshold is None else importance_threshold
    )
    y_split = (
        statistics.median(satisfaction)
        if satisfaction_threshold is None
        else satisfaction_threshold
    )
    if not math.isfinite(x_split):
        raise ValueError("the importance threshold must be a finite number")
    if not SATISFACTION_MIN <= y_split <= SATISFACTION_MAX:
        raise ValueError(f"the satisfaction threshold must lie in 1..5, got {y_split}")

    figure, axes = new_figure()
    set_titles(axes, title=labels.title, x_label=labels.x_axis, y_label=labels.y_axis)
    x_low, x_high = _importance_range([*importance, x_split])
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(SATISFACTION_MIN - _Y_MARGIN, SATISFACTION_MAX + _Y_MARGIN)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.grid(color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)

    axes.add_patch(
        Rectangle(
            (x_split, SATISFACTION_MIN - _Y_MARGIN),
            x_high - x_split,
            y_split - (SATISFACTION_MIN - _Y_MARGIN),
            color=CATEGORY_COLOURS[Category.DETRACTOR],
            alpha=0.08,
            linewidth=0,
        )
    )
    axes.axvline(x_split, color=MUTED, linewidth=1.2, linestyle="--")
    axes.axhline(y_split, color=MUTED, linewidth=1.2, linestyle="--")
    captions = _draw_captions(axes, labels.quadrants)
    axes.scatter(importance, satisfaction, s=_MARKER_SIZE, color=ACCENT, zorder=3)

    names_drawn = [
        axes.annotate(
            driver.name,
            (driver.importance, driver.satisfaction),
            textcoords="offset points",
            xytext=(0, 0),
            fontproperties=font(NOTE_SIZE),
            color=INK,
            path_effects=[HALO],
            zorder=4,
        )
        for driver in drivers
    ]
    for text in [*names_drawn, *captions]:
        text.set_in_layout(False)  # placed after the layout settles; must not move it
    place_labels(
        axes,
        names_drawn,
        marker_radius_px=math.sqrt(_MARKER_SIZE) / 2 * figure.dpi / 72,
        fixed=captions,
    )
    return figure


def _importance_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    span = high - low
    pad = _X_PAD * span if span > 0 else max(abs(high) * _X_PAD, 0.1)
    return low - pad, high + pad


def _draw_captions(axes: Axes, captions: QuadrantCaptions) -> list[Text]:
    """Write each quadrant's caption in its outer corner of the axes."""
    near, far = _CORNER_INSET, 1 - _CORNER_INSET
    corners = (
        (captions.maintain, near, far, "left", "top"),
        (captions.strengths, far, far, "right", "top"),
        (captions.monitor, near, near, "left", "bottom"),
        (captions.fix_first, far, near, "right", "bottom"),
    )
    return [
        axes.text(
            x,
            y,
            caption,
            transform=axes.transAxes,
            ha=ha,
            va=va,
            fontproperties=font(TICK_SIZE),
            color=MUTED,
            path_effects=[HALO],
        )
        for caption, x, y, ha, va in corners
    ]
