"""Is this process fit to serve? Liveness plus the two things every request depends on.

:class:`HealthProbe` answers with a :class:`HealthReport`: the database is probed with
``SELECT 1`` under a short timeout (a hung server must not hang the probe, which load
balancers call every few seconds), and the scheduler is asked whether it is running.
Only an unreachable database makes the process unhealthy: a stopped scheduler is
reported but the process still answers people (another replica may run the jobs).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage.database import Database, first_line

DEFAULT_TIMEOUT_SECONDS = 2.0


class RunningFlag(Protocol):
    """Anything that says whether it runs (APScheduler's schedulers do)."""

    @property
    def running(self) -> bool: ...


@dataclass(frozen=True)
class HealthReport:
    """One probe's verdict. ``reason`` says in one line why the database is unusable."""

    database: Literal["ok", "unreachable"]
    scheduler: Literal["running", "stopped"]
    reason: str | None = None

    @property
    def healthy(self) -> bool:
        return self.database == "ok"

    def as_json(self) -> dict[str, str]:
        """The body of a health endpoint: ``status``, ``database``, ``scheduler``
        (and ``reason`` when unhealthy)."""
        body = {
            "status": "ok" if self.healthy else "unavailable",
            "database": self.database,
            "scheduler": self.scheduler,
        }
        if self.reason is not None:
            body["reason"] = self.reason
        return body


class HealthProbe:
    """Probes ``database`` and ``scheduler`` (None: no scheduler in this process).

    The scheduler can be attached later with :meth:`watch_scheduler`, since it is
    usually built after the platforms that serve the health endpoint.
    """

    def __init__(
        self,
        database: Database,
        *,
        scheduler: RunningFlag | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._database = database
        self._scheduler = scheduler
        self._timeout = timeout

    def watch_scheduler(self, scheduler: RunningFlag) -> None:
        self._scheduler = scheduler

    async def check(self) -> HealthReport:
        """Probe now. Never raises for an unusable database: the report says why."""
        scheduler: Literal["running", "stopped"] = (
            "running" if self._scheduler is not None and self._scheduler.running else "stopped"
        )
        try:
            async with asyncio.timeout(self._timeout):
                await self._select_one()
        except TimeoutError:
            return HealthReport(
                database="unreachable",
                scheduler=scheduler,
                reason=f"the database did not answer within {self._timeout:g} s",
            )
        except (SQLAlchemyError, OSError) as error:
            return HealthReport(
                database="unreachable",
                scheduler=scheduler,
                reason=f"cannot reach the database: {first_line(error)}",
            )
        return HealthReport(database="ok", scheduler=scheduler)

    async def _select_one(self) -> None:
        async with self._database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
