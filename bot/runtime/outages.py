"""Which tenants' platforms cannot be reached now, so an outage is logged as one line when
it starts and one when it ends, whatever the number of ticks and jobs in between.

Scheduled jobs report to :class:`Outages` what they learned of a tenant's platform: that
it could not be reached (:class:`~bot.ports.platform.PlatformUnreachable`), or that a call
to it went through. A job that made no platform call reports nothing, so a quiet tick in
the middle of an outage does not announce a recovery.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach

log = logging.getLogger(__name__)


@dataclass
class _Outage:
    since: datetime
    failures: int


class Outages:
    """The platform outages of one process's tenants (kept in memory: each replica logs
    its own view of an outage, once)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._down: dict[tuple[str, str], _Outage] = {}

    def is_down(self, reach: Reach) -> bool:
        """Whether the tenant's platform was unreachable at its last report."""
        return _key(reach) in self._down

    def unreachable(self, reach: Reach, error: PlatformUnreachable, *, job: str) -> None:
        """``job`` found the tenant's platform unreachable: one warning if it was not already."""
        outage = self._down.get(_key(reach))
        if outage is not None:
            outage.failures += 1
            log.debug(
                "%s still unreachable for tenant %s (%s)", reach.platform.name, reach.tenant, job
            )
            return
        self._down[_key(reach)] = _Outage(since=self._clock(), failures=1)
        log.warning(
            "%s is unreachable for tenant %s (%s, during %s): scheduled work for it waits "
            "and is retried every tick; the next line about it says when it is back",
            reach.platform.name,
            reach.tenant,
            error.detail,
            job,
        )

    def reached(self, reach: Reach) -> None:
        """A call to the tenant's platform went through: one line if it was down."""
        outage = self._down.pop(_key(reach), None)
        if outage is None:
            return
        seconds = (self._clock() - outage.since).total_seconds()
        log.warning(
            "%s is reachable again for tenant %s, after %.0f s and %d failed runs; "
            "scheduled work goes on",
            reach.platform.name,
            reach.tenant,
            seconds,
            outage.failures,
        )


def _key(reach: Reach) -> tuple[str, str]:
    # Tenant ids are unique within a platform only.
    return (reach.platform.name, reach.tenant)
