"""The kinds a driver analysis names (its method, a driver's quadrant), apart from the
analysis (:mod:`bot.stats.drivers`, which needs numpy), so renderers can name them
without loading it."""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    SHAPLEY = "shapley"
    """Importance is the driver's share of R² (0..R²)."""
    SPEARMAN = "spearman"
    """Importance is the rank correlation with the score (-1..1)."""


class Quadrant(StrEnum):
    """Mean rating against importance, each split at its average over the drivers."""

    STRENGTH = "strength"
    """Important and well rated: keep it up."""
    PRIORITY = "priority"
    """Important and poorly rated: improve this first."""
    MAINTAIN = "maintain"
    """Well rated but moves the score little."""
    LOW_PRIORITY = "low_priority"
    """Poorly rated but moves the score little."""
