"""The Prometheus counters and histograms behind :class:`bot.runtime.metrics.Metrics`.

This is the only module of the bot that imports ``prometheus_client``, whose package
loads its whole exposition stack (WSGI and ASGI servers, gzip, mmap'd multiprocess
values) on import. :class:`~bot.runtime.metrics.Metrics` builds one :class:`Instruments`
on the first scrape or the first request it times, so a process nobody scrapes or
talks to holds none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

NAMESPACE = "nps_bot"
# Interactions must be acknowledged within 3 s; resolution is finest below 250 ms.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST
"""The media type of :func:`render`'s text (it carries the format's version)."""


@dataclass(frozen=True)
class Instruments:
    """One process's metrics, registered in ``registry`` and in no other."""

    registry: CollectorRegistry
    answers_stored: Counter
    invitations: Counter
    platform_errors: Counter
    job_runs: Counter
    request_latency: Histogram

    def add(self, counter: str, amount: float, labels: tuple[tuple[str, str], ...]) -> None:
        """Add ``amount`` to the series of ``labels`` of the counter named ``counter``
        (an attribute of this object; no labels for one without)."""
        instrument: Counter = getattr(self, counter)
        (instrument.labels(**dict(labels)) if labels else instrument).inc(amount)


def build_instruments() -> Instruments:
    """Every metric, in a registry of its own."""
    registry = CollectorRegistry()
    return Instruments(
        registry=registry,
        answers_stored=Counter(
            "answers_stored",
            "Answers (scores) committed to the database.",
            namespace=NAMESPACE,
            registry=registry,
        ),
        invitations=Counter(
            "invitations",
            "Invitations settled by delivery runs, by outcome "
            "(sent, failed, released, unconfirmed).",
            ["outcome"],
            namespace=NAMESPACE,
            registry=registry,
        ),
        platform_errors=Counter(
            "platform_errors",
            "Requests from a platform that ended in an error, by platform and kind.",
            ["platform", "kind"],
            namespace=NAMESPACE,
            registry=registry,
        ),
        job_runs=Counter(
            "job_runs",
            "Scheduled job runs, by job kind and outcome (ok, error).",
            ["job", "outcome"],
            namespace=NAMESPACE,
            registry=registry,
        ),
        request_latency=Histogram(
            "request_latency_seconds",
            "Time from receiving a platform request to its acknowledgement.",
            ["platform"],
            namespace=NAMESPACE,
            registry=registry,
            buckets=LATENCY_BUCKETS,
        ),
    )


def render(instruments: Instruments) -> bytes:
    """Every metric of ``instruments`` in the Prometheus text format (:data:`CONTENT_TYPE`)."""
    return generate_latest(instruments.registry)
