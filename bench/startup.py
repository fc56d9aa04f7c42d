"""Start-up: how long ``nps-bot --help`` and ``nps-bot db upgrade`` take, end to end.

Each is run as a child process (the installed console script, or ``python -m bot``
where none is installed), the median of a few runs. ``db upgrade`` runs against a
SQLite file already at the newest schema, what every deployment's later starts find;
the first run, which creates the schema, is not counted. Goal: each under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 0.5
BASELINE_SECONDS = {"--help": 1.2, "db upgrade": 1.8}
"""Measured on this machine before the help stopped loading the runtime through the
action-plan commands, and before ``db upgrade`` of an up-to-date SQLite file stopped
loading SQLAlchemy (3.5 s each before start-up stopped loading numpy, the tokenizer,
cryptography and Alembic)."""
BENCH_PEPPER = "bench-pepper-" + "s" * 40
RUNS = 3


def _command() -> list[str]:
    script = Path(sys.executable).with_name("nps-bot")
    if script.exists():
        return [str(script)]
    found = shutil.which("nps-bot")
    return [found] if found else [sys.executable, "-m", "bot"]


def timed(args: list[str], *, env: dict[str, str], runs: int) -> float:
    """Median wall time of ``nps-bot ARGS`` over ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*_command(), *args], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(*, runs: int = RUNS) -> dict[str, float]:
    """Seconds for ``--help`` and for ``db upgrade`` of an up-to-date database."""
    with tempfile.TemporaryDirectory(prefix="nps-startup-") as directory:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
            "DATABASE_URL": f"sqlite+aiosqlite:///{Path(directory) / 'nps.db'}",
            "NPS_PEPPER": BENCH_PEPPER,
        }
        subprocess.run([*_command(), "db", "upgrade"], env=env, check=True, capture_output=True)
        return {
            "--help": timed(["--help"], env=env, runs=runs),
            "db upgrade": timed(["db", "upgrade"], env=env, runs=runs),
        }


def report(seconds: dict[str, float]) -> bool:
    met_all = True
    for name, value in seconds.items():
        met = value < GOAL_SECONDS
        met_all = met_all and met
        print(
            f"start-up nps-bot {name:<10} {value:6.2f} s (median of {RUNS};"
            f" baseline {BASELINE_SECONDS[name]:.1f} s)"
        )
        print(f"{'met ' if met else 'MISSED'}  nps-bot {name} under {GOAL_SECONDS} s")
    return met_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.startup", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="one run of each")
    args = parser.parse_args(argv)
    report(measure(runs=1 if args.quick else RUNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
