"""Translated strings charts draw, and the few number formats charts apply to them.

Charts never hold words: callers pass already-translated strings. Where a chart must put a
number into a phrase (``"n = 120"``), the caller passes a template with named
``str.format`` fields, checked when the labels are built so a broken catalog entry fails
loudly instead of drawing a wrong chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter

from bot.domain.nps import Category, display_round

MINUS = "\N{MINUS SIGN}"  # the same glyph matplotlib uses for negative tick labels


def require_template(name: str, template: str, samples: Mapping[str, object]) -> None:
    """Raise ``ValueError`` unless ``template`` uses exactly the fields in ``samples``.

    Every field must appear, so a translation cannot silently drop a number, and the
    template must format the sample values (so a format spec cannot break at draw time).
    """
    try:
        used = {field for _, field, _, _ in Formatter().parse(template) if field is not None}
        if used == set(samples):
            template.format(**samples)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"{name} template {template!r} does not format: {error}") from error
    if used != set(samples):
        raise ValueError(
            f"{name} template {template!r} must use exactly the fields "
            f"{sorted(samples)}, it uses {sorted(used)}"
        )


def format_nps(value: float) -> str:
    """Format an NPS for display: rounded, signed (``+32``, ``0``, ``−12``)."""
    rounded = display_round(value)
    if rounded > 0:
        return f"+{rounded}"
    if rounded < 0:
        return f"{MINUS}{-rounded}"
    return "0"


@dataclass(frozen=True)
class CategoryNames:
    """Display names of the three categories, e.g. "Detractors (0–6)"."""

    detractors: str
    passives: str
    promoters: str

    def of(self, which: Category) -> str:
        """Return the display name of ``which``."""
        return {
            Category.DETRACTOR: self.detractors,
            Category.PASSIVE: self.passives,
            Category.PROMOTER: self.promoters,
        }[which]
