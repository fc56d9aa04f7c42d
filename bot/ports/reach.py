"""A platform connection as scheduled work sees it: whom it reaches, and how fast."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ports.pacing import LocalPace, Pace
from bot.ports.platform import Platform


@dataclass(frozen=True)
class Reach:
    """A platform connection and the tenant (workspace or guild id) it speaks for.

    ``per_second`` paces sending to this tenant: a fan-out starts at most that many
    messages per second, so the platform's per-workspace limits are respected
    without leaning on its 429 answers. An adapter whose SDK retries calls passes
    ``pace``, the same :class:`~bot.ports.pacing.Pace` its client's retries take slots from,
    so first attempts and retries share one budget (its rate then wins).
    """

    platform: Platform
    tenant: str
    per_second: float = 1.0
    concurrency: int = 8
    pace: Pace | None = None

    def pacer(self) -> Pace:
        """The tenant's shared pace, or a fresh one at ``per_second``."""
        return self.pace if self.pace is not None else LocalPace(self.per_second)
