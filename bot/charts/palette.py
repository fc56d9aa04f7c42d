"""Category colours, chosen to survive colour-vision deficiency and greyscale printing.

Hues follow the Okabe–Ito palette family (vermillion vs. bluish green separate for the
common red–green deficiencies because the green carries blue). Their lightness is spread
far apart as well, so detractors, passives and promoters stay distinct in greyscale;
charts also keep the categories in a fixed order (detractors, passives, promoters).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from matplotlib.colors import to_rgb

from bot.domain.nps import Category

CATEGORY_COLOURS: Mapping[Category, str] = MappingProxyType(
    {
        Category.DETRACTOR: "#d55e00",  # vermillion, CIE L* ~54
        Category.PASSIVE: "#d0d0d0",  # light grey, L* ~84
        Category.PROMOTER: "#005e46",  # dark bluish green, L* ~35
    }
)
"""Fill colour per category."""

CATEGORY_ORDER = (Category.DETRACTOR, Category.PASSIVE, Category.PROMOTER)

ACCENT = "#0072b2"
"""Colour for values that are not a category (an NPS line, driver points)."""


def relative_luminance(colour: str) -> float:
    """Return the WCAG relative luminance (0 black .. 1 white) of a colour."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    red, green, blue = (linear(channel) for channel in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour_on(fill: str) -> str:
    """Return black or white, whichever contrasts more with ``fill``."""
    luminance = relative_luminance(fill)
    contrast_with_black = (luminance + 0.05) / 0.05
    contrast_with_white = 1.05 / (luminance + 0.05)
    return "#000000" if contrast_with_black >= contrast_with_white else "#ffffff"
