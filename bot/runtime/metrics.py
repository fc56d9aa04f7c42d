"""Prometheus metrics of one process, in a registry this object owns.

Build one :class:`Metrics` in the composition root and hand it to whoever counts; there
is no module-level registry, so two instances (two tests, two apps) never share numbers.
Labels are low-cardinality by construction: job ids are cut to their kind
(``open:<survey id>`` counts as ``open``) and nothing personal is ever a label.

What is counted, and where from:

* answers stored — committed inserts into the ``response`` table, observed on the
  database engine (:meth:`Metrics.watch_database`), so every path that stores an answer
  counts without the engine knowing about metrics;
* invitations by outcome — :meth:`Metrics.count_delivery` with a delivery run's report;
* platform errors and request latency — observed by each adapter's request middleware;
* job runs by outcome — APScheduler's job events (:meth:`Metrics.watch_scheduler`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import event
from sqlalchemy.engine import Connection, ExecutionContext

from storage.database import Database

if TYPE_CHECKING:  # the waves need the services, which own the metrics
    from bot.usecases.waves.delivery import DeliveryReport

NAMESPACE = "nps_bot"
ANSWER_TABLE = "response"
# Interactions must be acknowledged within 3 s; resolution is finest below 250 ms.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0)


class Metrics:
    """The process's counters and histograms; :meth:`render` gives the exposition text."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.answers_stored = Counter(
            "answers_stored",
            "Answers (scores) committed to the database.",
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.invitations = Counter(
            "invitations",
            "Invitations settled by delivery runs, by outcome "
            "(sent, failed, released, unconfirmed).",
            ["outcome"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.platform_errors = Counter(
            "platform_errors",
            "Requests from a platform that ended in an error, by platform and kind.",
            ["platform", "kind"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.job_runs = Counter(
            "job_runs",
            "Scheduled job runs, by job kind and outcome (ok, error).",
            ["job", "outcome"],
            namespace=NAMESPACE,
            registry=self.registry,
        )
        self.request_latency = Histogram(
            "request_latency_seconds",
            "Time from receiving a platform request to its acknowledgement.",
            ["platform"],
            namespace=NAMESPACE,
            registry=self.registry,
            buckets=LATENCY_BUCKETS,
        )

    def render(self) -> bytes:
        """Every metric in the Prometheus text format (:attr:`content_type`)."""
        return generate_latest(self.registry)

    def count_delivery(self, report: DeliveryReport) -> None:
        for outcome in ("sent", "failed", "released", "unconfirmed"):
            self.invitations.labels(outcome=outcome).inc(getattr(report, outcome))

    def observe_request(self, *, platform: str, seconds: float, error: str | None) -> None:
        """One platform request answered after ``seconds``; ``error`` names its failure kind."""
        self.request_latency.labels(platform=platform).observe(seconds)
        if error is not None:
            self.platform_errors.labels(platform=platform, kind=error).inc()

    def watch_scheduler(self, scheduler: BaseScheduler) -> None:
        """Count every run of ``scheduler``'s jobs from now on."""
        scheduler.add_listener(self._job_ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _job_ran(self, job_event: JobExecutionEvent) -> None:
        kind = str(job_event.job_id).split(":", 1)[0]
        outcome = "error" if job_event.exception is not None else "ok"
        self.job_runs.labels(job=kind, outcome=outcome).inc()

    def watch_database(self, database: Database) -> None:
        """Count answers as ``database``'s transactions commit them.

        Inserts are tallied per connection and added on commit, dropped on rollback, so
        an answer whose transaction fails is not counted.
        """
        engine = database.engine.sync_engine
        event.listen(engine, "after_cursor_execute", self._after_execute)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)

    def _after_execute(
        self,
        connection: Connection,
        cursor: Any,
        _statement: str,
        parameters: Any,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        if not _inserts_answers(context):
            return
        rows = cursor.rowcount if cursor.rowcount and cursor.rowcount > 0 else None
        if rows is None:
            rows = len(parameters) if executemany else 1
        connection.info[self._pending_key] = connection.info.get(self._pending_key, 0) + rows

    def _committed(self, connection: Connection) -> None:
        pending = connection.info.pop(self._pending_key, 0)
        if pending:
            self.answers_stored.inc(pending)

    def _rolled_back(self, connection: Connection) -> None:
        if connection.invalidated:
            # A connection lost mid-transaction: its ``info`` went with it, and reading it
            # now would raise instead of letting the rollback finish.
            return
        connection.info.pop(self._pending_key, None)

    @property
    def _pending_key(self) -> tuple[str, int]:
        # One tally per Metrics object, so two watchers of one engine both count.
        return ("nps_bot.metrics.pending_answers", id(self))


def _inserts_answers(context: ExecutionContext | None) -> bool:
    compiled = getattr(context, "compiled", None)
    if context is None or compiled is None or not getattr(context, "isinsert", False):
        return False
    table = getattr(compiled.statement, "table", None)
    return getattr(table, "name", None) == ANSWER_TABLE
