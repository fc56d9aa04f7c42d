"""Throwaway PostgreSQL clusters for tests, when the server binaries are installed.

Used when TEST_DATABASE_URL is not given (CI gives it), and for tests that must stop and
restart a server of their own. Runs as the ``postgres`` system user when the tests run as
root, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
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


class Cluster:
    """One initialised cluster on a loopback port that can be stopped and started again."""

    def __init__(self, bin_dir: Path, workdir: Path) -> None:
        self._bin = bin_dir
        self._workdir = workdir
        self._prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.port = _free_port()
        self.admin_url = f"postgresql+asyncpg://nps@127.0.0.1:{self.port}/postgres"

    def _call(self, *args: str) -> None:
        subprocess.run([*self._prefix, *args], check=True, capture_output=True)

    def init(self) -> None:
        self._call(
            str(self._bin / "initdb"),
            "-D",
            str(self._workdir / "data"),
            "-U",
            "nps",
            "--auth=trust",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self._workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._call(
            str(self._bin / "pg_ctl"),
            "-D",
            str(self._workdir / "data"),
            "-l",
            str(self._workdir / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        self._call(
            str(self._bin / "pg_ctl"), "-D", str(self._workdir / "data"), "-m", "fast", "-w", "stop"
        )


@contextmanager
def temporary_cluster() -> Iterator[Cluster | None]:
    """Yield a started cluster, or None when no server can be started here."""
    bin_dir = _bin_dir()
    if bin_dir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        yield None
        return
    workdir = Path(tempfile.mkdtemp(prefix="nps-pg-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, user="postgres", group="postgres")
    cluster = Cluster(bin_dir, workdir)
    try:
        cluster.init()
        cluster.start()
    except (subprocess.CalledProcessError, FileNotFoundError):
        shutil.rmtree(workdir, ignore_errors=True)
        yield None
        return
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # a test may have stopped it
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)
