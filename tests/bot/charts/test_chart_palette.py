"""Category colours stay apart in greyscale; text on a fill picks the better contrast."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_hex

from bot.charts.palette import CATEGORY_COLOURS, relative_luminance, text_colour_on


def _lightness(colour: str) -> float:
    """CIE L* (0..100), the lightness a greyscale print keeps."""
    y = relative_luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def test_categories_differ_in_lightness_not_only_in_hue() -> None:
    lightness = [_lightness(colour) for colour in CATEGORY_COLOURS.values()]
    for first, second in itertools.combinations(lightness, 2):
        assert abs(first - second) >= 15


def _contrast(first: str, second: str) -> float:
    high, low = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


_UNIT = st.floats(min_value=0, max_value=1)


@given(st.tuples(_UNIT, _UNIT, _UNIT))
def test_text_colour_is_the_more_readable_of_black_and_white(
    rgb: tuple[float, float, float],
) -> None:
    fill = to_hex(rgb)
    chosen = text_colour_on(fill)
    other = "#ffffff" if chosen == "#000000" else "#000000"
    assert _contrast(chosen, fill) >= _contrast(other, fill)


def test_every_category_fill_has_readable_text() -> None:
    for fill in CATEGORY_COLOURS.values():
        assert _contrast(text_colour_on(fill), fill) >= 4.5  # WCAG AA for normal text
