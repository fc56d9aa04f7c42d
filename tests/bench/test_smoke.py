"""The benchmarks run end to end at tiny sizes and print their figures and goals."""

from __future__ import annotations

import mmap
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench import fanout, import_memory, ingest, latency, memory, startup
from bench.ingest_storage import storage_rate
from bot.domain.csv_rows import parse_answers
from bot.domain.csv_text import lines_of
from bot.runtime.services import build_services, utc_now
from bot.runtime.settings import Settings
from storage.models import AnswerClaim, Contact, Response, Survey, Tenant


def test_ingest_prints_the_three_rates_and_the_ratios(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)

    assert ingest.main(["--people", "5", "--no-postgres"]) == 0

    out = capsys.readouterr().out
    assert "engine" in out and "storage alone" in out and "aiosqlite" in out
    assert "answers/s" in out
    assert "engine/driver" in out
    assert "storage alone/driver" in out and "engine/storage alone" in out


async def test_the_storage_side_stores_each_answer_once_and_closes_its_ask(
    tmp_path: Path,
) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ingest.db'}",
        nps_pepper=ingest.BENCH_PEPPER,
    )
    services = await build_services(settings, migrate=True)
    try:
        async with services.database.transaction() as session:
            tenant = Tenant(platform="bench", external_id="T1", created_at=utc_now())
            session.add(tenant)
            await session.flush()
            survey = Survey(tenant_id=tenant.id, name="default", created_at=utc_now())
            session.add(survey)
            await session.flush()
            tenant_id, survey_id = tenant.id, survey.id

        rate = await storage_rate(
            services.database, tenant=tenant_id, survey=survey_id, people=range(7)
        )

        async with services.database.transaction() as session:
            answers = (await session.execute(select(Response.score))).scalars().all()
            asks = (await session.execute(select(Contact.open))).scalars().all()
            claims = (await session.execute(select(func.count()).select_from(AnswerClaim))).scalar()
    finally:
        await services.database.dispose()
    assert rate > 0
    assert sorted(answers) == list(range(7))
    assert asks == [False] * 7
    assert claims == 7


def test_startup_times_help_and_an_upgrade_with_nothing_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert startup.main(["--quick"]) == 0

    out = capsys.readouterr().out
    assert "start-up nps-bot --help" in out and "start-up nps-bot db upgrade" in out
    assert out.count("under 0.5 s") == 2


def test_latency_prints_percentiles_and_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    assert latency.main(["--clicks", "4"]) == 0

    out = capsys.readouterr().out
    assert "score clicks (4 at once)" in out
    assert "bad signature (401 floor)" in out
    assert "p99" in out


def test_percentile_takes_the_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert latency.percentile(values, 0.5) == 50.0
    assert latency.percentile(values, 0.99) == 99.0
    assert latency.percentile([3.0], 0.99) == 3.0


def test_memory_reads_the_idle_bot_against_the_goal(capsys: pytest.CaptureFixture[str]) -> None:
    assert memory.main(["--settle", "0.2"]) == 0

    out = capsys.readouterr().out
    assert "memory idle" in out and "MB resident" in out
    assert "idle under 100 MB" in out


def test_rss_counts_the_process_and_its_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(10)"])
    try:
        time.sleep(0.5)
        alone = memory.rss_mb(child.pid)
        with_child = memory.rss_mb(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert alone > 1
    assert with_child > alone + 5, "this test process itself holds more than 5 MB"


def test_fanout_delivers_everyone_once_and_prints_the_ratio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert fanout.main(["--people", "100"]) == 0

    out = capsys.readouterr().out
    # Some sends met a 503 (which may come after Slack posted): looked up and settled.
    faults = next(line for line in out.splitlines() if line.startswith("faults"))
    assert int(faults.split()[1]) > 0, faults
    assert "met   every person got exactly one invitation DM" in out
    assert "met   every invitation sent, none failed or left pending" in out
    assert "limit's minimum" in out and "ratio" in out


def test_the_limits_minimum_counts_whole_windows() -> None:
    assert fanout.minimum_seconds(10) == 0.0  # one window's calls go at once
    assert fanout.minimum_seconds(11) == fanout.LIMIT_WINDOW
    assert fanout.minimum_seconds(2_000) == pytest.approx(199 * fanout.LIMIT_WINDOW)


def test_import_memory_prints_the_import_against_its_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert import_memory.main(["--answers", "300"]) == 0

    out = capsys.readouterr().out
    assert "300 answers" in out and "baseline (one answer)" in out
    assert "held by the import" in out and "bytes an answer" in out


def test_import_memory_measures_the_command_not_the_process_that_started_it() -> None:
    # Run from ``python -m bench``, the children start from a process that has just
    # generated a million answers: the kernel's accounting of a child counts that copy.
    held = bytearray(400 * 1024 * 1024)
    held[:: mmap.PAGESIZE] = b"\x01" * len(held[:: mmap.PAGESIZE])  # resident, not just mapped

    peak = import_memory.peak_of(["--help"], dict(os.environ))

    assert peak.ok
    assert 0 < peak.kilobytes < 200 * 1024, f"{peak.kilobytes} kB for nps-bot --help"
    del held


def test_import_memory_writes_answers_the_import_stores(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    import_memory.write_answers(path, 12)
    parsed = parse_answers(lines_of(path.read_text()), today=date.today())
    assert parsed.problems == () and len(parsed.answers) == 12
    assert {answer.segments["team"] for answer in parsed.answers} == set(import_memory.TEAMS)
