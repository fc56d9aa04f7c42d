"""Prometheus metrics of one process, in a registry this object owns.

Build one :class:`Metrics` in the composition root and hand it to whoever counts; there
is no module-level registry, so two instances (two tests, two apps) never share numbers.
Labels are low-cardinality by construction: job ids are cut to their kind
(``open:<survey id>`` counts as ``open``) and nothing personal is ever a label.

What is counted, and where from:

* answers stored — new answers of committed transactions, as the database handle
  reports them (:meth:`Metrics.watch_database`): the storage functions that store an
  answer note it, so every path that stores one counts without the engine knowing
  about metrics, and a mixing pool rewritten with a new answer counts that one answer;
* invitations by outcome — :meth:`Metrics.count_delivery` with a delivery run's report;
* platform errors and request latency — observed by each adapter's request middleware;
* job runs by outcome — APScheduler's job events (:meth:`Metrics.watch_scheduler`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from storage.database import Database

if TYPE_CHECKING:  # the waves need the services, which own the metrics
    from bot.usecases.waves.delivery import DeliveryReport

NAMESPACE = "nps_bot"
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
        """Count answers as ``database``'s transactions commit them (an answer whose
        transaction rolls back is not counted)."""
        database.on_answers_committed(self.answers_stored.inc)
