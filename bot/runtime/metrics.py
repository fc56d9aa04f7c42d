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

import threading
from collections import Counter
from typing import TYPE_CHECKING

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler

from storage.database import Database

if TYPE_CHECKING:  # the waves need the services, which own the metrics
    from prometheus_client import CollectorRegistry

    from bot.runtime.instruments import Instruments
    from bot.usecases.waves.delivery import DeliveryReport

Series = tuple[str, tuple[tuple[str, str], ...]]
"""A counter's attribute name in :class:`~bot.runtime.instruments.Instruments`, with
the labels of one of its series."""


class Metrics:
    """The process's counters and histograms; :meth:`render` gives the exposition text.

    The Prometheus instruments (:mod:`bot.runtime.instruments`) are built on the first
    scrape or the first request timed, not here: until then counts are kept as plain
    tallies by series and added to the counters when they are built, so an idle process
    that nobody scrapes (its scheduler's every tick is a job run counted) holds no
    ``prometheus_client``. Counts come from other threads too (APScheduler runs plain
    functions in a pool), hence the lock around the tallies and the one build.
    """

    def __init__(self) -> None:
        self._instruments: Instruments | None = None
        self._tallies: Counter[Series] = Counter()
        self._lock = threading.Lock()

    def _built(self) -> Instruments:
        with self._lock:
            if self._instruments is None:
                from bot.runtime.instruments import build_instruments

                instruments = build_instruments()
                for (counter, labels), amount in self._tallies.items():
                    instruments.add(counter, amount, labels)
                self._tallies.clear()
                self._instruments = instruments
            return self._instruments

    def _count(self, counter: str, amount: int = 1, **labels: str) -> None:
        with self._lock:
            if self._instruments is None:
                # += 0 keeps the series: it is listed at zero, as Prometheus's own would be.
                self._tallies[(counter, tuple(sorted(labels.items())))] += amount
                return
            instruments = self._instruments
        instruments.add(counter, amount, tuple(sorted(labels.items())))

    @property
    def registry(self) -> CollectorRegistry:
        """The registry holding every metric of this object (and nothing else)."""
        return self._built().registry

    @property
    def content_type(self) -> str:
        """The media type of :meth:`render`'s text."""
        from bot.runtime.instruments import CONTENT_TYPE

        return CONTENT_TYPE

    def render(self) -> bytes:
        """Every metric in the Prometheus text format (:attr:`content_type`)."""
        from bot.runtime.instruments import render

        return render(self._built())

    def count_delivery(self, report: DeliveryReport) -> None:
        for outcome in ("sent", "failed", "released", "unconfirmed"):
            self._count("invitations", getattr(report, outcome), outcome=outcome)

    def observe_request(self, *, platform: str, seconds: float, error: str | None) -> None:
        """One platform request answered after ``seconds``; ``error`` names its failure kind."""
        self._built().request_latency.labels(platform=platform).observe(seconds)
        if error is not None:
            self.count_platform_error(platform=platform, kind=error)

    def count_platform_error(self, *, platform: str, kind: str) -> None:
        """One request from ``platform`` ended in an error of ``kind``."""
        self._count("platform_errors", platform=platform, kind=kind)

    def watch_scheduler(self, scheduler: BaseScheduler) -> None:
        """Count every run of ``scheduler``'s jobs from now on."""
        scheduler.add_listener(self._job_ran, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _job_ran(self, job_event: JobExecutionEvent) -> None:
        kind = str(job_event.job_id).split(":", 1)[0]
        outcome = "error" if job_event.exception is not None else "ok"
        self._count("job_runs", job=kind, outcome=outcome)

    def watch_database(self, database: Database) -> None:
        """Count answers as ``database``'s transactions commit them (an answer whose
        transaction rolls back is not counted)."""
        database.on_answers_committed(self._answers_committed)

    def _answers_committed(self, stored: int) -> None:
        self._count("answers_stored", stored)
