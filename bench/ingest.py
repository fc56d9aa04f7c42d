"""Answer ingest: answers per second through the engine against the raw driver.

For N distinct people, the engine asks (``start``) and stores a score
(``record_score``), as a person's ``/nps`` and click do: the ask in one transaction, the
answer and its claim in the next (nothing about the person in it), closing the ask in a
third. The baseline (:mod:`bench.ingest_raw`) is the same logical work written straight
against the driver (aiosqlite, or asyncpg) in the fewest statements that keep the same
guarantees: 6 statements a person on either database (on PostgreSQL the answer joins
its survey's mixing pool), the same as the engine sends; on SQLite both make 9 trips to
the driver's thread a person, one per statement and commit (``storage/sqlite_driver.py``).
Between the two, the storage layer alone (:mod:`bench.ingest_storage`): the same storage
functions, so the same statements through SQLAlchemy Core, with none of the engine's
own work around them. It splits the gap: engine against storage is what the engine's
own work costs, storage against driver what SQLAlchemy's execution costs. The three run
in alternating rounds on the same database, so a busy machine slows them alike.
``--profile`` prints the engine's top functions by own time (cProfile).

Runs on SQLite, and on PostgreSQL too: on the server ``TEST_DATABASE_URL`` names (a
throw-away database is created there), or else on a throw-away cluster started as the
tests do, when the PostgreSQL server binaries are installed. Goal: the engine keeps at
least half the driver's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.ingest_raw import postgres_rate, sqlite_rate
from bench.ingest_storage import storage_rate
from bot.domain.people import Person
from bot.runtime.services import Services, build_services
from bot.runtime.settings import Settings
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.models import Survey
from tests.support.postgres import temporary_cluster

GOAL_RATIO = 0.5
BASELINE_RATIOS = {"SQLite": 0.19, "PostgreSQL": 0.09}
"""Engine/driver before the answer path was reworked (against the driver writing only
the rows, without the reads, the claim or the pool)."""
BENCH_PEPPER = "bench-pepper-" + "b" * 40
ROUNDS = 4
PROFILE_LINES = 12


async def _engine_answers(services: Services, people: range) -> float:
    """Answers per second of the engine for ``people`` (each asked, then answering)."""
    started = time.perf_counter()
    for n in people:
        person = Person(platform="bench", tenant="T1", user_id=f"U{n:08d}")
        asked = await services.engine.start(person)
        assert isinstance(asked, ScorePrompt)
        stored = await services.engine.record_score(person, survey_id=asked.survey_id, score=n % 11)
        assert isinstance(stored, ReasonPrompt)
    return len(people) / (time.perf_counter() - started)


@dataclass(frozen=True)
class Rates:
    """Answers per second of the three sides, over the same people counts."""

    engine: float
    storage: float
    driver: float


async def rates(
    url: str, *, people: int, raw: Callable[[uuid.UUID, uuid.UUID, range], Awaitable[float]]
) -> Rates:
    """The three sides' rates, measured in alternating rounds."""
    settings = Settings(_env_file=None, database_url=url, nps_pepper=BENCH_PEPPER)
    services = await build_services(settings, migrate=True)
    try:
        warm = Person(platform="bench", tenant="T1", user_id="warm-up")
        prompt = await services.engine.start(warm)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(warm, survey_id=prompt.survey_id, score=7)
        async with services.database.transaction() as session:
            survey = await session.get(Survey, uuid.UUID(prompt.survey_id))
            assert survey is not None
            tenant, survey_id = survey.tenant_id, survey.id
        engine_seconds = storage_seconds = raw_seconds = 0.0
        per_round = max(1, people // ROUNDS)
        for round_ in range(ROUNDS):
            chunk = range(round_ * per_round, (round_ + 1) * per_round)
            engine_seconds += len(chunk) / await _engine_answers(services, chunk)
            storage_seconds += len(chunk) / await storage_rate(
                services.database, tenant=tenant, survey=survey_id, people=chunk
            )
            raw_seconds += len(chunk) / await raw(tenant, survey_id, chunk)
        total = per_round * ROUNDS
        return Rates(
            engine=total / engine_seconds,
            storage=total / storage_seconds,
            driver=total / raw_seconds,
        )
    finally:
        await services.database.dispose()


async def profile(url: str, *, people: int) -> str:
    """The engine's top functions by own time over ``people`` answers (cProfile)."""
    settings = Settings(_env_file=None, database_url=url, nps_pepper=BENCH_PEPPER)
    services = await build_services(settings, migrate=True)
    try:
        await _engine_answers(services, range(people, people + 1))  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        await _engine_answers(services, range(people))
        profiler.disable()
    finally:
        await services.database.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "\n".join(lines[-PROFILE_LINES - 1 :])


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _throwaway_postgres(admin_url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    """A new database on the server of ``admin_url``, and how to drop it."""
    parsed = make_url(admin_url)
    name = f"nps_bench_{uuid.uuid4().hex[:10]}"
    admin: Any = await asyncpg.connect(_asyncpg_dsn(admin_url))
    await admin.execute(f'CREATE DATABASE "{name}"')

    async def drop() -> None:
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await admin.close()

    url = parsed.set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False), drop


def _report(backend: str, measured: Rates, driver: str) -> bool:
    ratio = measured.engine / measured.driver
    met = ratio >= GOAL_RATIO
    print(
        f"ingest {backend:<10} engine {measured.engine:8.0f} answers/s"
        f"   storage alone {measured.storage:8.0f} answers/s"
        f"   {driver} {measured.driver:8.0f} answers/s"
    )
    print(
        f"{'met ' if met else 'MISSED'}  {backend}: engine/driver {ratio:.2f}"
        f" (goal ≥ {GOAL_RATIO}; baseline {BASELINE_RATIOS[backend]})"
    )
    print(
        f"        {backend}: storage alone/driver {measured.storage / measured.driver:.2f}"
        f" (SQLAlchemy's execution of the same statements),"
        f" engine/storage alone {measured.engine / measured.storage:.2f} (the engine's own work)"
    )
    return met


async def run(*, people: int, admin_url: str | None, profiled: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="nps-ingest-") as directory:
        path = Path(directory) / "ingest.db"
        url = f"sqlite+aiosqlite:///{path}"

        async def raw_sqlite(tenant: uuid.UUID, survey: uuid.UUID, chunk: range) -> float:
            return await sqlite_rate(path, tenant=tenant, survey=survey, people=chunk)

        _report("SQLite", await rates(url, people=people, raw=raw_sqlite), "aiosqlite")
        if profiled:
            print("profile SQLite (engine, by own time)")
            print(
                await profile(
                    f"sqlite+aiosqlite:///{Path(directory) / 'profile.db'}", people=people
                )
            )
    if admin_url is None:
        print(
            "ingest PostgreSQL skipped: no server (set TEST_DATABASE_URL, or install the"
            " PostgreSQL server binaries for a throw-away cluster)"
        )
        return
    url, drop = await _throwaway_postgres(admin_url)
    try:
        dsn = _asyncpg_dsn(url)

        async def raw_postgres(tenant: uuid.UUID, survey: uuid.UUID, chunk: range) -> float:
            return await postgres_rate(dsn, tenant=tenant, survey=survey, people=chunk)

        _report("PostgreSQL", await rates(url, people=people, raw=raw_postgres), "asyncpg  ")
    finally:
        await drop()
    if profiled:
        url, drop = await _throwaway_postgres(admin_url)
        try:
            print("profile PostgreSQL (engine, by own time)")
            print(await profile(url, people=people))
        finally:
            await drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=2000, help="distinct people answering")
    parser.add_argument("--quick", action="store_true", help="a small run (200 people)")
    parser.add_argument("--profile", action="store_true", help="print the engine's profile")
    parser.add_argument(
        "--no-postgres", action="store_true", help="measure SQLite only (no cluster is started)"
    )
    args = parser.parse_args(argv)
    people = 200 if args.quick else args.people
    with contextlib.ExitStack() as stack:
        admin_url = os.environ.get("TEST_DATABASE_URL")
        if not admin_url and not args.no_postgres:
            cluster = stack.enter_context(temporary_cluster())
            admin_url = None if cluster is None else cluster.admin_url
        asyncio.run(run(people=people, admin_url=admin_url or None, profiled=args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
