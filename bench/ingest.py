"""Answer ingest: answers per second through the engine against the raw driver.

For N distinct people, the engine asks (``start``) and stores a score
(``record_score``), each use case in its own transaction. The baseline writes the same
rows with the same commit granularity straight through the driver (aiosqlite, or
asyncpg): one commit for the contact row the question creates, one for closing it and
storing the answer. Runs on SQLite, and on PostgreSQL too: on the server
``TEST_DATABASE_URL`` names (a throw-away database is created there), or else on a
throw-away cluster started as the tests do, when the PostgreSQL server binaries are
installed. Goal: the engine keeps at least half the driver's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url

from bot.domain.people import Person
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.common import ScorePrompt
from storage.models import Survey
from tests.support.postgres import temporary_cluster

GOAL_RATIO = 0.5
BENCH_PEPPER = "bench-pepper-" + "b" * 40


async def engine_rate(url: str, *, people: int) -> tuple[float, uuid.UUID, uuid.UUID]:
    """Answers per second through the engine; also the (tenant, survey) it set up."""
    settings = Settings(_env_file=None, database_url=url, nps_pepper=BENCH_PEPPER)
    services = await build_services(settings, migrate=True)
    try:
        warm = Person(platform="bench", tenant="T1", user_id="warm-up")
        prompt = await services.engine.start(warm)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(warm, survey_id=prompt.survey_id, score=7)
        started = time.perf_counter()
        for n in range(people):
            person = Person(platform="bench", tenant="T1", user_id=f"U{n:08d}")
            asked = await services.engine.start(person)
            assert isinstance(asked, ScorePrompt)
            await services.engine.record_score(person, survey_id=asked.survey_id, score=n % 11)
        seconds = time.perf_counter() - started
        async with services.database.transaction() as session:
            survey = await session.get(Survey, uuid.UUID(prompt.survey_id))
            assert survey is not None
            return people / seconds, survey.tenant_id, survey.id
    finally:
        await services.database.dispose()


async def sqlite_rate(path: Path, *, tenant: uuid.UUID, survey: uuid.UUID, people: int) -> float:
    """The same rows through aiosqlite, two commits per answer."""
    today = date.today().isoformat()
    async with aiosqlite.connect(path) as connection:
        started = time.perf_counter()
        for n in range(people):
            contact = uuid.uuid4().hex
            await connection.execute(
                "INSERT INTO contact (id, tenant_id, survey_id, wave_id, respondent_key,"
                " asked_on, open) VALUES (?, ?, ?, NULL, ?, ?, 1)",
                (contact, tenant.hex, survey.hex, f"raw{n:061d}", today),
            )
            await connection.commit()
            await connection.execute(
                "UPDATE contact SET open = 0 WHERE id = ? AND open = 1", (contact,)
            )
            await connection.execute(
                "INSERT INTO response (id, tenant_id, survey_id, wave_id, score, reason,"
                " segments, answered_on) VALUES (?, ?, ?, NULL, ?, NULL, '{}', ?)",
                (uuid.uuid4().hex, tenant.hex, survey.hex, n % 11, today),
            )
            await connection.commit()
        return people / (time.perf_counter() - started)


async def postgres_rate(url: str, *, tenant: uuid.UUID, survey: uuid.UUID, people: int) -> float:
    """The same rows through asyncpg, two transactions per answer."""
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    today = date.today()
    try:
        started = time.perf_counter()
        for n in range(people):
            contact = uuid.uuid4()
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO contact (id, tenant_id, survey_id, wave_id, respondent_key,"
                    " asked_on, open) VALUES ($1, $2, $3, NULL, $4, $5, true)",
                    contact,
                    tenant,
                    survey,
                    f"raw{n:061d}",
                    today,
                )
            async with connection.transaction():
                await connection.execute(
                    "UPDATE contact SET open = false WHERE id = $1 AND open", contact
                )
                await connection.execute(
                    "INSERT INTO response (id, tenant_id, survey_id, wave_id, score, reason,"
                    " segments, answered_on)"
                    " VALUES ($1, $2, $3, NULL, $4, NULL, '{}', $5)",
                    uuid.uuid4(),
                    tenant,
                    survey,
                    n % 11,
                    today,
                )
        return people / (time.perf_counter() - started)
    finally:
        await connection.close()


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


def _report(backend: str, ours: float, raw: float, driver: str) -> bool:
    ratio = ours / raw
    met = ratio >= GOAL_RATIO
    print(f"ingest {backend:<10} engine {ours:8.0f} answers/s   {driver} {raw:8.0f} answers/s")
    print(
        f"{'met ' if met else 'MISSED'}  {backend}: engine/driver {ratio:.2f} (goal ≥ {GOAL_RATIO})"
    )
    return met


async def run(*, people: int, admin_url: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="nps-ingest-") as directory:
        path = Path(directory) / "ingest.db"
        ours, tenant, survey = await engine_rate(f"sqlite+aiosqlite:///{path}", people=people)
        raw = await sqlite_rate(path, tenant=tenant, survey=survey, people=people)
        _report("SQLite", ours, raw, "aiosqlite")
    if admin_url is None:
        print(
            "ingest PostgreSQL skipped: no server (set TEST_DATABASE_URL, or install the"
            " PostgreSQL server binaries for a throw-away cluster)"
        )
        return
    url, drop = await _throwaway_postgres(admin_url)
    try:
        ours, tenant, survey = await engine_rate(url, people=people)
        raw = await postgres_rate(url, tenant=tenant, survey=survey, people=people)
        _report("PostgreSQL", ours, raw, "asyncpg  ")
    finally:
        await drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=2000, help="distinct people answering")
    parser.add_argument("--quick", action="store_true", help="a small run (200 people)")
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
        asyncio.run(run(people=people, admin_url=admin_url or None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
