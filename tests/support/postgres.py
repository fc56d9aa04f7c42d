"""A throwaway PostgreSQL cluster for tests, when the server binaries are installed.

Used only when TEST_DATABASE_URL is not given (CI gives it). Runs as the ``postgres``
system user when the tests run as root, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temporary_cluster() -> Iterator[str | None]:
    """Yield an admin URL of a fresh cluster, or None when no server can be started."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        yield None
        return
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        yield None
        return
    workdir = Path(tempfile.mkdtemp(prefix="nps-pg-"))
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(workdir, user="postgres", group="postgres")
    port = _free_port()
    data = workdir / "data"

    def call(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    try:
        call(str(bin_dir / "initdb"), "-D", str(data), "-U", "nps", "--auth=trust")
        call(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(workdir / "log"),
            "-w",
            "-o",
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
    except (subprocess.CalledProcessError, FileNotFoundError):
        shutil.rmtree(workdir, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql+asyncpg://nps@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)
