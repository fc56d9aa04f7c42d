"""Point labels move to clear spots inside the axes."""

from __future__ import annotations

import itertools

from matplotlib.axes import Axes
from matplotlib.text import Annotation

from bot.charts.canvas import new_figure
from bot.charts.placement import place_labels


def _labelled(points: list[tuple[float, float]]) -> tuple[Axes, list[Annotation]]:
    _, axes = new_figure()
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.scatter(*zip(*points, strict=True))
    names = [
        axes.annotate(f"label number {i}", point, textcoords="offset points", xytext=(0, 0))
        for i, point in enumerate(points)
    ]
    for name in names:
        name.set_in_layout(False)
    return axes, names


def test_labels_of_close_points_end_up_apart() -> None:
    axes, names = _labelled([(0.5, 0.5), (0.5, 0.52), (0.51, 0.48), (0.49, 0.5)])
    place_labels(axes, names, marker_radius_px=4)
    boxes = [name.get_window_extent() for name in names]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_labels_at_the_edge_turn_inwards() -> None:
    axes, names = _labelled([(0.99, 0.5), (0.01, 0.99)])
    place_labels(axes, names, marker_radius_px=4)
    frame = axes.get_window_extent()
    for name in names:
        box = name.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1
