"""Run ``nps-bot`` and write its own peak resident set size to a file when it exits.

``python -m bench.peak OUT ARGS...`` runs the command line ``nps-bot ARGS...`` in this
process and, at exit, writes the process's ``VmHWM`` (kilobytes) to ``OUT``.

Why not the kernel's accounting of a child (``ru_maxrss`` from ``wait4``): Linux counts
in it the memory the child had before it ran ``exec``, the copy of its parent. A child
of a bench that has just generated a million answers reports the bench's peak, not its
own. ``VmHWM`` is the peak of the address space the command ran in, which ``exec`` made
new.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def own_peak_kilobytes() -> int:
    """This process's peak resident set since its last ``exec``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    out = Path(sys.argv[1])
    atexit.register(lambda: out.write_text(str(own_peak_kilobytes())))
    sys.argv = ["nps-bot", *sys.argv[2:]]
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
