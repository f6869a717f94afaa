"""A PostgreSQL server of the test's own, to kill and start again (the fault tests).

The shared server (tests/server.py) must never be stopped, so these tests make their own
with the system's ``initdb`` and ``pg_ctl``, in a temporary folder, on a free port of
the loopback address only. PostgreSQL refuses to run as root: as root (CI) it runs as
the ``postgres`` user (``runuser``). Without those programs the tests skip on a laptop
and fail in CI (tests/server.no_server).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import no_server


def _programs() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Throwaway:
    """One server: ``url`` to its ``handoffs`` database, ``kill()`` (``pg_ctl stop -m
    immediate``: no shutdown, as a crash or a pulled plug) and ``start()`` again."""

    def __init__(self, programs: Path, folder: Path):
        self.programs = programs
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/handoffs"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.programs / program), *args]
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)}: {done.stderr.strip()}")

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-locale", "--no-sync")
        self.start()
        import psycopg

        with psycopg.connect(self.url.rpartition("/")[0] + "/postgres",
                             autocommit=True) as admin:
            admin.execute("CREATE DATABASE handoffs")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c max_connections=20", "start")

    def kill(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        except RuntimeError:
            pass  # not running


@pytest.fixture
def throwaway_server() -> Iterator[Throwaway]:
    """A fresh server for one test, removed after it."""
    programs = _programs()
    if programs is None:
        no_server("no initdb and pg_ctl to start a throwaway server (the fault tests)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        no_server("running as root without runuser: cannot start PostgreSQL as postgres")
    folder = Path(tempfile.mkdtemp(prefix="tt-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = Throwaway(programs, folder)
    try:
        try:
            server.create()
        except (RuntimeError, OSError, subprocess.TimeoutExpired, LookupError) as exc:
            no_server(f"a throwaway server would not start: {exc}")
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
