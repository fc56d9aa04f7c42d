"""Driver quadrant chart: thresholds, captions in their quadrants, readable point labels."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from bot.charts.drivers import DriverPoint, driver_quadrant_chart, driver_quadrant_figure
from tests.bot.charts.chart_samples import ENGLISH, assert_chart_png

LABELS = ENGLISH.drivers


def _split_lines(axes: Axes) -> tuple[float, float]:
    """(x of the vertical quadrant line, y of the horizontal one)."""
    lines = [line for line in axes.get_lines() if isinstance(line, Line2D)]
    xs = [np.asarray(line.get_xdata(), dtype=float) for line in lines]
    ys = [np.asarray(line.get_ydata(), dtype=float) for line in lines]
    (vertical,) = [x[0] for x in xs if len(set(x)) == 1]
    (horizontal,) = [y[0] for y in ys if len(set(y)) == 1]
    return float(vertical), float(horizontal)


def _names(figure: Figure) -> list[Annotation]:
    return [text for text in figure.axes[0].texts if isinstance(text, Annotation)]


def test_quadrant_lines_default_to_the_medians() -> None:
    drivers = [
        DriverPoint("a", 1.5, 0.1),
        DriverPoint("b", 4.0, 0.2),
        DriverPoint("c", 3.0, 0.9),
    ]
    assert _split_lines(driver_quadrant_figure(drivers, LABELS).axes[0]) == (0.2, 3.0)


def test_given_thresholds_replace_the_medians() -> None:
    drivers = [DriverPoint("a", 1.5, 0.1), DriverPoint("b", 4.0, 0.2)]
    figure = driver_quadrant_figure(
        drivers, LABELS, importance_threshold=0.5, satisfaction_threshold=2.5
    )
    axes = figure.axes[0]
    assert _split_lines(axes) == (0.5, 2.5)
    assert axes.get_xlim()[0] < 0.1 and axes.get_xlim()[1] > 0.5


def test_each_caption_sits_in_its_quadrant() -> None:
    drivers = [DriverPoint(f"d{i}", 1 + i * 0.5, i * 0.1) for i in range(9)]
    figure = driver_quadrant_figure(drivers, LABELS)
    figure.canvas.draw()
    axes = figure.axes[0]
    x_split, y_split = _split_lines(axes)
    captions = LABELS.quadrants
    expected = {
        captions.fix_first: (True, False),
        captions.strengths: (True, True),
        captions.monitor: (False, False),
        captions.maintain: (False, True),
    }
    for text in axes.texts:
        if text.get_text() in expected:
            box = text.get_window_extent().transformed(axes.transData.inverted())
            important, satisfied = expected[text.get_text()]
            assert (box.x0 > x_split) if important else (box.x1 < x_split)
            assert (box.y0 > y_split) if satisfied else (box.y1 < y_split)


def test_every_driver_is_named_without_overlaps_inside_the_axes() -> None:
    # A crowded cluster: naive right-hand labels would collide.
    drivers = [
        DriverPoint(name, satisfaction, importance)
        for name, satisfaction, importance in [
            ("Career growth", 3.0, 0.50),
            ("Recognition", 3.1, 0.51),
            ("Workload", 2.9, 0.52),
            ("Manager support", 3.05, 0.49),
            ("Pay", 4.8, 0.90),
            ("Office", 1.2, 0.05),
        ]
    ]
    figure = driver_quadrant_figure(drivers, LABELS)
    figure.canvas.draw()
    names = _names(figure)
    assert sorted(name.get_text() for name in names) == sorted(d.name for d in drivers)
    frame = figure.axes[0].get_window_extent()
    boxes = [name.get_window_extent() for name in names]
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1
    for first, second in itertools.combinations(boxes, 2):
        assert not first.overlaps(second)


def test_a_single_driver_renders() -> None:
    assert_chart_png(driver_quadrant_chart([DriverPoint("Pay", 5.0, 0.0)], LABELS))


@pytest.mark.parametrize(
    ("satisfaction", "importance", "message"),
    [
        (0.9, 0.1, "1..5"),
        (5.1, 0.1, "1..5"),
        (float("nan"), 0.1, "1..5"),
        (3.0, float("inf"), "finite"),
    ],
)
def test_invalid_drivers_are_refused(satisfaction: float, importance: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DriverPoint("Pay", satisfaction, importance)


def test_a_nameless_driver_is_refused() -> None:
    with pytest.raises(ValueError, match="name"):
        DriverPoint("  ", 3.0, 0.1)


def test_duplicate_names_and_empty_input_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        driver_quadrant_chart([DriverPoint("Pay", 3, 0.1), DriverPoint("Pay", 4, 0.2)], LABELS)
    with pytest.raises(ValueError, match="at least one"):
        driver_quadrant_chart([], LABELS)


def test_a_satisfaction_threshold_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        driver_quadrant_chart([DriverPoint("Pay", 3, 0.1)], LABELS, satisfaction_threshold=6)
