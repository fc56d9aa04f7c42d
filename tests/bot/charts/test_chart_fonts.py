"""The CJK font is found through its distribution and registered once, without rc changes."""

from __future__ import annotations

import matplotlib
from matplotlib import font_manager, ft2font

from bot.charts.fonts import cjk_font_path, font, font_families


def test_the_font_file_is_a_japanese_truetype_face() -> None:
    path = cjk_font_path()
    assert path.is_file()
    face = ft2font.FT2Font(str(path))
    assert ord("推") in face.get_charmap()
    assert face.family_name == font_families()[0]


def test_registration_happens_once() -> None:
    font_families()
    count = sum(entry.fname == str(cjk_font_path()) for entry in font_manager.fontManager.ttflist)
    font_families()
    again = sum(entry.fname == str(cjk_font_path()) for entry in font_manager.fontManager.ttflist)
    assert count == again >= 1


def test_chart_fonts_resolve_to_the_cjk_file_without_touching_rc() -> None:
    before = matplotlib.rcParams["font.family"]
    properties = font(12)
    found = font_manager.findfont(properties, fallback_to_default=False)
    assert found == str(cjk_font_path())
    assert matplotlib.rcParams["font.family"] == before
    assert properties.get_size_in_points() == 12
