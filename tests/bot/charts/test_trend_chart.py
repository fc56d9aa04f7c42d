"""Trend chart: fixed axes, intervals, and gaps where a period has no value."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from bot.charts.palette import ACCENT
from bot.charts.text import format_nps
from bot.charts.trend import TrendLabels, TrendPoint, trend_chart, trend_figure
from tests.bot.charts.chart_samples import ENGLISH, assert_chart_png

LABELS = ENGLISH.trend


def _pixels(figure: Figure) -> np.ndarray:
    figure.canvas.draw()
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)  # the charts always draw on Agg
    return np.asarray(canvas.buffer_rgba())[..., :3].astype(float) / 255


def _accent_columns(figure: Figure, x_data: float) -> int:
    """Count pixels of the line colour in the pixel column at data x."""
    pixels = _pixels(figure)
    axes = figure.axes[0]
    column = round(axes.transData.transform((x_data, 0))[0])
    height = pixels.shape[0]
    top, bottom = (height - round(v) for v in (axes.bbox.y1, axes.bbox.y0))
    strip = pixels[top:bottom, column - 2 : column + 3]
    distance = np.abs(strip - np.array(to_rgb(ACCENT))).sum(axis=-1)
    return int((distance < 0.15).sum())


def _line(figure: Figure) -> Line2D:
    (line,) = [line for line in figure.axes[0].get_lines() if line.get_marker() == "o"]
    return line


def test_a_suppressed_period_is_a_gap_not_a_zero() -> None:
    points = [
        TrendPoint("Jan", 40, 30.0, 10.0, 50.0),
        TrendPoint("Feb", 2, None),
        TrendPoint("Mar", 40, 30.0, 10.0, 50.0),
    ]
    figure = trend_figure(points, LABELS)
    y = np.asarray(_line(figure).get_ydata(), dtype=float)
    assert np.isnan(y[1]) and not np.isnan(y[[0, 2]]).any()
    # Nothing in the line's colour crosses the suppressed period's column...
    assert _accent_columns(figure, 1.0) == 0
    # ...while a period with a value does show the line there.
    assert _accent_columns(trend_figure([*points[:1], points[0], points[2]], LABELS), 1.0) > 0


def test_a_suppressed_period_says_why_and_shows_neither_value_nor_count() -> None:
    points = [TrendPoint("Jan", 40, 12.0), TrendPoint("Feb", 2, None)]
    figure = trend_figure(points, LABELS)
    ticks = [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    assert ticks == ["Jan\n" + LABELS.count.format(n=40), "Feb"]
    written = sorted(text.get_text() for text in figure.axes[0].texts)
    assert written == sorted([format_nps(12.0), LABELS.suppressed])


def test_the_band_breaks_at_gaps_and_a_lone_interval_is_still_drawn() -> None:
    points = [
        TrendPoint("1", 40, 10.0, -5.0, 25.0),
        TrendPoint("2", 2, None),
        TrendPoint("3", 40, 20.0, 5.0, 35.0),
        TrendPoint("4", 40, 25.0, 10.0, 40.0),
    ]
    figure = trend_figure(points, LABELS)
    axes = figure.axes[0]
    (band,) = [c for c in axes.collections if isinstance(c, PolyCollection)]
    xs = [np.asarray(path.vertices)[:, 0] for path in band.get_paths()]
    spans = [(float(x.min()), float(x.max())) for x in xs]
    # One band over periods 3-4, none across the gap; period 1 alone has no width to fill...
    assert [span for span in spans if span[1] > span[0]] == [(2.0, 3.0)]
    # ...so its interval is drawn as a box of its own.
    boxes = [
        patch
        for patch in axes.patches
        if isinstance(patch, Rectangle) and patch.get_facecolor()[:3] == to_rgb(ACCENT)
    ]
    assert [(box.get_y(), box.get_y() + box.get_height()) for box in boxes] == [(-5.0, 25.0)]


@pytest.mark.parametrize("values", [(10.0, 12.0, 11.0), (-90.0, 95.0, 0.0)])
def test_the_y_axis_always_spans_the_whole_scale(values: tuple[float, ...]) -> None:
    points = [TrendPoint(str(i), 50, value) for i, value in enumerate(values)]
    axes = trend_figure(points, LABELS).axes[0]
    assert axes.get_ylim() == (-100.0, 100.0)
    assert any(line.get_ydata() == [0, 0] for line in axes.get_lines())  # the zero line


def test_a_single_period_renders() -> None:
    assert_chart_png(trend_chart([TrendPoint("Jan", 12, 8.0, -20.0, 35.0)], LABELS))


@pytest.mark.parametrize("periods", [12, 36])
def test_period_labels_never_overlap(periods: int) -> None:
    points = [TrendPoint(f"Period {i}", 100 + i, 10.0) for i in range(periods)]
    figure = trend_figure(points, LABELS)
    figure.canvas.draw()
    boxes = [tick.get_window_extent() for tick in figure.axes[0].get_xticklabels()]
    assert len(boxes) == periods
    assert not any(left.overlaps(right) for left, right in itertools.pairwise(boxes))
    assert_chart_png(trend_chart(points, LABELS))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": -1, "nps": 0.0}, "negative"),
        ({"n": 5, "nps": None, "ci_low": 0.0, "ci_high": 1.0}, "interval but no NPS"),
        ({"n": 5, "nps": 0.0, "ci_low": -1.0}, "both interval bounds"),
        ({"n": 5, "nps": 30.0, "ci_low": 0.0, "ci_high": 20.0}, "does not contain"),
        ({"n": 5, "nps": 101.0}, "-100..100"),
        ({"n": 5, "nps": float("nan")}, "-100..100"),
    ],
)
def test_invalid_points_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        # Deliberately wrong values: the point must refuse them at run time.
        TrendPoint("Jan", **kwargs)  # type: ignore[arg-type]


def test_an_empty_trend_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one period"):
        trend_chart([], LABELS)


def test_a_count_template_without_n_is_refused() -> None:
    with pytest.raises(ValueError, match="count template"):
        TrendLabels("t", "x", "y", "NPS", "95 %", "answers", "hidden")
