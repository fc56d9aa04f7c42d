"""Fonts for chart text: a CJK-capable face first, so Japanese labels never show as boxes.

The Japanese face comes from the ``matplotlib-fontja`` distribution (IPAexGothic). That
package rewrites matplotlib's global ``font.family`` setting when it is imported, so it is
never imported here: its font file is located through the distribution's installed file
list instead, and added to matplotlib's font manager. Adding the face is the only global
effect; every text in a chart names its family explicitly.
"""

from __future__ import annotations

import functools
from importlib import metadata
from pathlib import Path

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

_DISTRIBUTION = "matplotlib-fontja"
_FONT_FILE = "ipaexg.ttf"
_FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib; covers symbols such as "≥"


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the Japanese font file shipped by ``matplotlib-fontja``.

    Raises ``RuntimeError`` when the distribution is missing or does not hold the font.
    """
    try:
        files = metadata.files(_DISTRIBUTION) or []
    except metadata.PackageNotFoundError as error:
        raise RuntimeError(f"charts need the {_DISTRIBUTION} package installed") from error
    for file in files:
        if file.name == _FONT_FILE:
            return Path(str(file.locate())).resolve()
    raise RuntimeError(f"{_DISTRIBUTION} does not provide {_FONT_FILE}")


def font_families() -> tuple[str, ...]:
    """Return the family list every chart text uses, registering the CJK face if needed.

    The CJK face comes first (it covers Latin and Japanese); matplotlib falls back to the
    next family glyph by glyph for the few symbols the CJK face lacks.
    """
    path = cjk_font_path()
    manager = font_manager.fontManager
    registered = next((entry for entry in manager.ttflist if Path(entry.fname) == path), None)
    if registered is None:
        manager.addfont(path)
        registered = next(entry for entry in manager.ttflist if Path(entry.fname) == path)
    return (registered.name, _FALLBACK_FAMILY)


def font(size: float) -> FontProperties:
    """Return font properties in the chart families at ``size`` points."""
    return FontProperties(family=list(font_families()), size=size)
