"""A real ``transfer-tui serve`` in its own process, for the tests: its link, its log, and
the app processes it started (read from /proc, so Linux only)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

LINUX = sys.platform.startswith("linux")
needs_proc = pytest.mark.skipif(not LINUX, reason="reads processes from /proc (Linux)")


def _state(pid: int) -> str | None:
    """The process's state letter, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat.rpartition(")")[2].split()[0]


def alive(pid: int) -> bool:
    """Running (a zombie is dead: it only waits for its parent to read its exit code)."""
    return _state(pid) not in (None, "Z", "X")


def wait_until(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


class Served:
    """``transfer-tui --db DB --as USER serve --port 0 ARGS``, started and read."""

    def __init__(self, db: Path, *args: str, user: str = "Sam Okafor",
                 env: dict[str, str] | None = None):
        command = [sys.executable, "-m", "transfer_tui", "--db", str(db), "--as", user,
                   "serve", "--port", "0", *args]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()
        if not wait_until(lambda: any("Ctrl+C" in line for line in self.out)
                          or self.proc.poll() is not None, 30):
            raise AssertionError("the server did not start: " + self.log)
        if self.proc.poll() is not None:
            raise AssertionError(f"the server exited ({self.proc.returncode}): {self.log}")
        self.url = next(line.strip() for line in self.out if line.startswith("    http"))
        self.base = self.url.split("?")[0]
        self.origin = self.base.rstrip("/")

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.out) + "".join(self.err)

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def tab_apps(self) -> list[int]:
        """The app process of each tab opened so far, from the server's log."""
        return [int(pid) for pid in re.findall(r"tab opened .*app process (\d+)",
                                                "".join(self.err))]

    def apps(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self, number: int = signal.SIGINT, timeout: float = 15) -> float:
        """Send a signal; the seconds until the server had exited."""
        start = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(number)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the server did not stop within {timeout} s") from None
        return time.monotonic() - start

    def close(self) -> None:
        """After a test: nothing left running, whatever happened."""
        apps = self.apps() if self.proc.poll() is None else []
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in apps:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
