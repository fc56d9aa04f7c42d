"""Report charts rendered headless to PNG bytes.

Each chart takes plain values plus the already translated strings it draws and returns
PNG bytes of a fixed size (see :mod:`bot.charts.canvas`). The ``*_figure`` functions in
the chart modules return the unrendered figure for callers that need another format.
"""

from bot.charts.composition import CompositionLabels, CompositionRow, composition_chart
from bot.charts.distribution import DistributionLabels, distribution_chart
from bot.charts.drivers import DriverLabels, DriverPoint, QuadrantCaptions, driver_quadrant_chart
from bot.charts.text import CategoryNames
from bot.charts.trend import TrendLabels, TrendPoint, trend_chart

__all__ = [
    "CategoryNames",
    "CompositionLabels",
    "CompositionRow",
    "DistributionLabels",
    "DriverLabels",
    "DriverPoint",
    "QuadrantCaptions",
    "TrendLabels",
    "TrendPoint",
    "composition_chart",
    "distribution_chart",
    "driver_quadrant_chart",
    "trend_chart",
]
