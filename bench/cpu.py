"""Where a benchmark's CPU went: the bots, the database, the bench itself, the rest.

Read from ``/proc`` (Linux) at the start and the end of a measured stretch: the
machine's busy time from ``/proc/stat`` and each process's user + system time from
``/proc/PID/stat``. A process started during the stretch counts from zero; one that
ended during it is not counted (the stretches measured keep their processes). Without
``/proc`` nothing is measured and :func:`snapshot` returns None.

The split answers one question the burst bench asks: when two replicas do not scale on
this machine, is it the bot or the machine? If the whole machine's CPU per answer is
``c_all`` and the machine has ``cores``, no number of replicas can store more than
``cores / c_all`` answers a second.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Snapshot:
    """The machine's busy seconds and every process's CPU seconds at one moment."""

    busy: float
    processes: Mapping[int, tuple[str, float]]
    """pid → (its command line, CPU seconds so far)."""


@dataclass(frozen=True)
class CpuSplit:
    """CPU seconds spent over a stretch: by the bots, by PostgreSQL's processes, by this
    bench process (the doubles, the clients, the proxy) and by everything else, the
    database's shared processes (its WAL writer, its checkpointer) among them."""

    bots: float
    database: float
    bench: float
    machine: float

    @property
    def other(self) -> float:
        return max(0.0, self.machine - self.bots - self.database - self.bench)

    def per(self, count: int) -> CpuSplit:
        """The same split per one of ``count`` things (answers, say)."""
        return CpuSplit(
            bots=self.bots / count,
            database=self.database / count,
            bench=self.bench / count,
            machine=self.machine / count,
        )


def _process(pid: int) -> tuple[str, float] | None:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
        command = (_PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").strip()
    except OSError:
        return None
    # The command name in parentheses may hold spaces; the fields after it do not.
    fields = stat.rsplit(")", 1)[1].split()
    return command.decode(errors="replace"), (int(fields[11]) + int(fields[12])) / _TICKS


def snapshot() -> Snapshot | None:
    """The CPU times now, or None where there is no ``/proc``."""
    try:
        first = (_PROC / "stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    jiffies = [int(value) for value in first[1:]]
    idle = jiffies[3] + jiffies[4]  # idle and waiting for I/O
    processes = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit() and (times := _process(int(entry.name))) is not None:
            processes[int(entry.name)] = times
    return Snapshot(busy=(sum(jiffies) - idle) / _TICKS, processes=processes)


def split(
    before: Snapshot,
    after: Snapshot,
    *,
    bots: Collection[int],
    database: str,
    helpers: Collection[int] = (),
) -> CpuSplit:
    """What each party spent between ``before`` and ``after``. ``bots`` are the bot
    processes' pids; the database's share is its connections: PostgreSQL names each in
    its command line, ``postgres: USER DATABASE …``, so the connections to ``database``
    count and other databases' on the same server do not. The bench's share is this
    process's and its ``helpers``' (a proxy it started, say)."""

    def spent(pid: int) -> float:
        _, then = before.processes.get(pid, ("", 0.0))
        return after.processes[pid][1] - then

    connections = sum(
        spent(pid)
        for pid, (command, _) in after.processes.items()
        if command.startswith("postgres:") and command.split()[2:3] == [database]
    )
    return CpuSplit(
        bots=sum(spent(pid) for pid in bots if pid in after.processes),
        database=connections,
        bench=sum(spent(pid) for pid in {os.getpid(), *helpers} if pid in after.processes),
        machine=after.busy - before.busy,
    )
