"""Peak memory of ``nps-bot import``: what an import holds beyond the process itself.

Writes a CSV file of N answers (date, score, a reason, a team), then runs the real
command twice on a new SQLite database (its schema made first), each in a process of
its own: once on a file
of one answer (the baseline: the command's own start-up, measured in the same run), and
once on the whole file. It prints both peaks (each child's own resident set at its
highest, :mod:`bench.peak`), what the import holds beyond the baseline, that per answer,
and that against the file's size.

``python -m bench.import_memory [--answers N] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PEPPER = "bench-pepper-" + "i" * 40
TEAMS = ("eng", "ops", "sales", "design", "support")
DEFAULT_ANSWERS = 110_000
QUICK_ANSWERS = 10_000


def write_answers(path: Path, answers: int) -> None:
    """``answers`` lines over a year, each with a reason of its own and one of 5 teams."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("date,score,reason,team\n")
        for n in range(answers):
            day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
            out.write(f'{day},{n % 11},"reason number {n}, said at length",{TEAMS[n % 5]}\n')


@dataclass(frozen=True)
class Peak:
    """One run of the command: its peak resident set size and whether it succeeded."""

    kilobytes: int
    ok: bool


def peak_of(arguments: list[str], env: dict[str, str]) -> Peak:
    """Run ``nps-bot`` with ``arguments`` in a child of its own; its own peak memory
    (:mod:`bench.peak`: not the kernel's accounting of the child, which counts the copy
    of this process the child was before it ran the command)."""
    with tempfile.TemporaryDirectory(prefix="nps-peak-") as directory:
        out = Path(directory) / "peak"
        returncode = subprocess.call(
            [sys.executable, "-m", "bench.peak", str(out), *arguments],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kilobytes = int(out.read_text()) if out.exists() else 0
    return Peak(kilobytes=kilobytes, ok=returncode == 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_memory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--answers", type=int, default=DEFAULT_ANSWERS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ANSWERS:,} answers")
    args = parser.parse_args(argv)
    answers = QUICK_ANSWERS if args.quick else args.answers
    with tempfile.TemporaryDirectory(prefix="nps-import-") as directory:
        folder = Path(directory)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'import.db'}",
            "NPS_PEPPER": PEPPER,
            "LOG_LEVEL": "WARNING",
        }
        one, whole = folder / "one.csv", folder / "answers.csv"
        write_answers(one, 1)
        write_answers(whole, answers)
        # The schema first, so that neither measured run is the one that creates it.
        if not peak_of(["db", "upgrade"], env).ok:
            print("import memory: the database could not be created")
            return 1
        baseline = peak_of(["import", str(one)], env)
        measured = peak_of(["import", str(whole)], env)
        if not (baseline.ok and measured.ok):
            print("import memory: the import failed")
            return 1
        size_mb = whole.stat().st_size / 1e6
        own_mb = (measured.kilobytes - baseline.kilobytes) / 1e3
        print(
            f"import memory  {answers:,} answers ({size_mb:.1f} MB of CSV):"
            f" peak {measured.kilobytes / 1e3:.0f} MB, baseline (one answer)"
            f" {baseline.kilobytes / 1e3:.0f} MB"
        )
        print(
            f"               held by the import {own_mb:.0f} MB:"
            f" {own_mb * 1e6 / answers:.0f} bytes an answer,"
            f" {own_mb / size_mb:.1f}× the file"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
