"""The actions a report lists, each with how its theme or driver moved between the last
two waves (plain values and their JSON; no words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.stats.movement import Estimate, Movement


@dataclass(frozen=True)
class ActionMovement:
    """How an action's theme (the share of reasons naming it) or driver (its mean
    rating) moved from the ``previous`` wave to the ``current`` one (labels: the days
    they opened)."""

    measure: str
    """``theme_share`` or ``driver_mean``."""
    previous_wave: str
    current_wave: str
    movement: Movement


@dataclass(frozen=True)
class TrackedAction:
    """One action of the survey, as the report shows it.

    ``movement`` is ``None`` when the action answers neither a theme nor a driver, when
    the survey has fewer than two waves, or when either wave's figures or texts are
    withheld (the gate, or too few reasons or ratings); ``withheld`` then says which
    of those (``None`` for an action about the survey as a whole).
    """

    number: int
    title: str
    owner: str
    due: date
    status: str
    overdue: bool
    theme: str | None = None
    driver: str | None = None
    movement: ActionMovement | None = None
    withheld: str | None = None

    def to_json(self) -> dict[str, Any]:
        moved = self.movement
        return {
            "number": self.number,
            "title": self.title,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "status": self.status,
            "overdue": self.overdue,
            "theme": self.theme,
            "driver": self.driver,
            "tracking": None if moved is None else _movement_json(moved),
            "tracking_withheld": self.withheld,
        }


def _movement_json(moved: ActionMovement) -> dict[str, Any]:
    return {
        "measure": moved.measure,
        "previous_wave": moved.previous_wave,
        "current_wave": moved.current_wave,
        "previous": _estimate_json(moved.movement.previous),
        "current": _estimate_json(moved.movement.current),
        "p_value": moved.movement.p_value,
        "direction": moved.movement.direction.value,
    }


def _estimate_json(estimate: Estimate) -> dict[str, Any]:
    return {
        "value": estimate.value,
        "ci_low": estimate.low,
        "ci_high": estimate.high,
        "n": estimate.n,
    }
