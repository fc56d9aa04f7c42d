"""Where a benchmark's CPU went: the split read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import cpu

BURN = (
    "import sys, time\n"
    "end = time.process_time() + 0.5\n"
    "while time.process_time() < end: pass\n"
    "print('burnt', flush=True)\n"
    "sys.stdin.read()\n"
)


def test_the_split_names_the_bots_the_databases_connections_and_the_bench() -> None:
    me = os.getpid()
    before = cpu.Snapshot(
        busy=100.0,
        processes={
            10: ("/usr/bin/python -m bot run", 5.0),
            20: ("postgres: nps nps_bench 127.0.0.1(5000) idle", 1.0),
            21: ("postgres: nps other_db 127.0.0.1(5001) idle", 1.0),
            22: ("/usr/lib/postgresql/bin/postgres -D /data", 3.0),
            me: ("python -m bench.burst", 2.0),
        },
    )
    after = cpu.Snapshot(
        busy=110.0,
        processes={
            10: ("/usr/bin/python -m bot run", 9.0),
            11: ("/usr/bin/python -m bot run", 1.5),  # started meanwhile: counts from zero
            20: ("postgres: nps nps_bench 127.0.0.1(5000) idle", 2.0),
            23: ("postgres: nps nps_bench 127.0.0.1(5002) INSERT", 0.5),
            21: ("postgres: nps other_db 127.0.0.1(5001) idle", 3.0),
            22: ("/usr/lib/postgresql/bin/postgres -D /data", 3.2),
            me: ("python -m bench.burst", 3.0),
        },
    )

    spent = cpu.split(before, after, bots=[10, 11], database="nps_bench")

    assert spent.bots == pytest.approx(5.5)
    assert spent.database == pytest.approx(1.5)
    assert spent.bench == pytest.approx(1.0)
    assert spent.machine == pytest.approx(10.0)
    assert spent.other == pytest.approx(2.0)
    assert spent.per(2).bots == pytest.approx(2.75)


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="reads Linux's /proc")
def test_a_busy_process_is_counted_as_a_bot_and_in_the_machines_busy_time() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as bot:
        before = cpu.snapshot()
        assert before is not None and bot.stdout is not None and bot.stdin is not None
        assert bot.stdout.readline() == "burnt\n"
        after = cpu.snapshot()
        assert after is not None
        bot.stdin.close()

    spent = cpu.split(before, after, bots=[bot.pid], database="no_such_database")

    assert 0.3 <= spent.bots <= 1.0
    assert spent.machine >= spent.bots * 0.9
    assert spent.database == 0.0
