"""Time a full report over generated answers, against reading the rows into pandas;
then answer ingest (:mod:`bench.ingest`), interaction latency (:mod:`bench.latency`) and
idle memory (:mod:`bench.memory`), fan-out under a rate limit and server errors
(:mod:`bench.fanout`), the same through two replicas sharing one pace, also with one killed
halfway (:mod:`bench.replicas`), a burst of clicks against one process and two
(:mod:`bench.burst`), a summary of the memory figures, and the memory an import holds
(:mod:`bench.import_memory`).

``python -m bench`` builds a temporary SQLite database of 1,000,000 answers (10 teams ×
24 months), then measures in the same run:

* the report as nps-bot makes it (overall, by team and by month: one aggregate query
  over the ``ix_response_cube`` index, statistics from the histograms);
* the obvious alternative: ``pandas.read_sql`` of the answers and ``groupby`` counts of
  the same histograms (the team label is extracted in SQL, which spares pandas the JSON
  parsing: the baseline is given the benefit of the doubt).

It prints both times, their ratio and peak memory, against the goals: under 1 s, at
least 5× faster than pandas, peak under 300 MB. ``--rows`` sets a smaller size.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bench import burst, fanout, import_memory, ingest, latency, memory, startup
from bench.data import SEGMENT_KEY, Dataset, generate
from bot.report.model import ReportRequest
from bot.usecases.reports import Reports
from storage.database import Database

GOAL_SECONDS = 1.0
GOAL_SPEEDUP = 5.0
GOAL_PEAK_MB = 300.0
REPEATS = 3


async def report_once(dataset: Dataset) -> int:
    """The full report (overall + by team + by month); returns the answers counted."""
    database = Database(dataset.url)
    try:
        async with database.transaction() as session:
            reports = await Reports().all_reports(
                session,
                request=ReportRequest(survey=dataset.survey, by=SEGMENT_KEY, period="month"),
                today=date.today(),
            )
    finally:
        await database.dispose()
    return sum(report.n for report in reports)


def pandas_once(dataset: Dataset) -> int:
    """The same histograms by reading every answer into a DataFrame."""
    import pandas

    with sqlite3.connect(dataset.path) as connection:
        frame = pandas.read_sql(
            "SELECT response.score, response.answered_on,"
            f" json_extract(response.segments, '$.{SEGMENT_KEY}') AS team"
            " FROM response JOIN survey ON survey.id = response.survey_id"
            " WHERE survey.name = ?",
            connection,
            params=(dataset.survey,),
        )
    frame["month"] = frame["answered_on"].str.slice(0, 7)
    overall = frame.groupby("score").size()
    frame.groupby(["team", "score"]).size()
    frame.groupby(["month", "score"]).size()
    return int(overall.sum())


def timed(run: Callable[[], object], *, repeats: int) -> float:
    """Median wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def traced_peak_mb(run: Callable[[], object]) -> float:
    """Peak memory Python allocated during ``run``, in MB."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def rss_peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sync(work: Callable[[], Awaitable[int]]) -> Callable[[], int]:
    return lambda: asyncio.run(work())  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """Every benchmark: the report, answer ingest, interaction latency, fan-out, idle
    memory, start-up and an import's memory."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="answers to generate")
    parser.add_argument("--quick", action="store_true", help="small sizes for every benchmark")
    args = parser.parse_args(argv)
    quick = ["--quick"] if args.quick else []
    rows = 10_000 if args.quick else args.rows
    status, report_rss = run_report(rows=rows)
    status = status or ingest.main(quick) or latency.main(quick) or fanout.main(quick)
    # Real replicas on one PostgreSQL (skipped, saying so, where none can be had).
    status = (
        status
        or fanout.main(["--replicas", "2", *quick])
        or fanout.main(["--replicas", "2", "--kill-one", *quick])
        or burst.main(quick)
    )
    if status:
        return status
    idle = asyncio.run(memory.idle_rss_mb(settle_seconds=1.0 if args.quick else 3.0))
    memory.report(idle)
    print(
        f"summary memory  idle nps-bot run {idle:.0f} MB (goal < {memory.GOAL_IDLE_MB:.0f} MB,"
        f" baseline {memory.BASELINE_IDLE_MB:.0f} MB);"
        f" peak RSS during the {rows:,}-answer report {report_rss:.0f} MB"
        f" (goal < {GOAL_PEAK_MB:.0f} MB)"
    )
    startup.report(startup.measure(runs=1 if args.quick else startup.RUNS))
    return import_memory.main(quick)


def report_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="answers to generate")
    args = parser.parse_args(argv)
    return run_report(rows=args.rows)[0]


def run_report(*, rows: int) -> tuple[int, float]:
    """The report benchmark; returns its status and the process's peak RSS in MB."""
    with tempfile.TemporaryDirectory(prefix="nps-bench-") as directory:
        start = time.perf_counter()
        dataset = asyncio.run(generate(Path(directory), rows=rows))
        print(f"generated {dataset.rows:,} answers in {time.perf_counter() - start:.1f} s")

        ours = _sync(lambda: report_once(dataset))
        counted = ours()  # warm the file cache as the baseline's run will find it
        if counted != dataset.rows:
            print(f"error: the report counted {counted} of {dataset.rows} answers")
            return 1, rss_peak_mb()
        report_seconds = timed(ours, repeats=REPEATS)
        report_traced = traced_peak_mb(ours)
        report_rss = rss_peak_mb()

        pandas_seconds = timed(lambda: pandas_once(dataset), repeats=1)
        pandas_traced = traced_peak_mb(lambda: pandas_once(dataset))

    speedup = pandas_seconds / report_seconds
    print(f"nps-bot report  {report_seconds * 1000:8.0f} ms   (median of {REPEATS})")
    print(f"pandas baseline {pandas_seconds * 1000:8.0f} ms")
    print(f"speed-up        {speedup:8.1f} ×")
    print(
        f"peak memory     report {report_traced:.1f} MB allocated by Python,"
        f" process RSS {report_rss:.0f} MB before the baseline ran;"
        f" pandas {pandas_traced:.1f} MB allocated"
    )
    goals = [
        ("report under 1 s", report_seconds < GOAL_SECONDS),
        (f"at least {GOAL_SPEEDUP:.0f}× faster than pandas", speedup >= GOAL_SPEEDUP),
        (f"peak under {GOAL_PEAK_MB:.0f} MB", report_rss < GOAL_PEAK_MB),
    ]
    for goal, met in goals:
        print(f"{'met ' if met else 'MISSED'}  {goal}")
    return 0, report_rss


if __name__ == "__main__":
    sys.exit(main())
