"""Greedy placement of point labels so they neither overlap each other nor leave the axes.

Each label tries a few spots around its point (right, left, above, below, then the
diagonals) and takes the first that is clear of the axes border, the points, the labels
already placed and any fixed text; when none is clear it takes the spot that overlaps
least. Good enough for the dozen points a report shows, with no extra dependency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox


@dataclass(frozen=True)
class _Spot:
    dx: float  # points
    dy: float
    ha: Literal["left", "center", "right"]
    va: Literal["bottom", "center", "top"]


_GAP = 7.0
_SPOTS = (
    _Spot(_GAP, 0, "left", "center"),
    _Spot(-_GAP, 0, "right", "center"),
    _Spot(0, _GAP, "center", "bottom"),
    _Spot(0, -_GAP, "center", "top"),
    _Spot(_GAP, _GAP, "left", "bottom"),
    _Spot(-_GAP, _GAP, "right", "bottom"),
    _Spot(_GAP, -_GAP, "left", "top"),
    _Spot(-_GAP, -_GAP, "right", "top"),
)


def place_labels(
    axes: Axes,
    labels: Sequence[Annotation],
    *,
    marker_radius_px: float,
    fixed: Sequence[Text] = (),
) -> None:
    """Move each annotation (already anchored at its point) to a clear spot.

    Settles the figure's layout first, since positions are measured in display pixels; the
    labels and ``fixed`` texts must be out of the layout (``set_in_layout(False)``) so that
    moving them cannot shift the axes afterwards.
    """
    figure = axes.get_figure(root=True)
    if figure is not None:
        figure.draw_without_rendering()
    frame = axes.get_window_extent()
    points = [axes.transData.transform(label.xy) for label in labels]
    obstacles = [
        Bbox.from_extents(
            x - marker_radius_px, y - marker_radius_px, x + marker_radius_px, y + marker_radius_px
        )
        for x, y in points
    ]
    obstacles += [text.get_window_extent() for text in fixed]
    for label in labels:

        def cost(spot: _Spot, label: Annotation = label) -> float:
            _move(label, spot)
            box = label.get_window_extent()
            outside = box.width * box.height - _overlap_area(box, frame)
            return 4 * outside + sum(_overlap_area(box, other) for other in obstacles)

        _move(label, min(_SPOTS, key=cost))  # min keeps the first of equal spots
        obstacles.append(label.get_window_extent())


def _move(label: Annotation, spot: _Spot) -> None:
    label.xyann = (spot.dx, spot.dy)
    label.set_horizontalalignment(spot.ha)
    label.set_verticalalignment(spot.va)


def _overlap_area(a: Bbox, b: Bbox) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(max(0.0, width) * max(0.0, height))
