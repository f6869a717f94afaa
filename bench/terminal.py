"""A real terminal for the benchmark: the app in a pseudo-terminal, its screen read back.

What a person waits for is the moment the text is on their screen, not the moment the
app thinks it drew it. So the real command runs in its own process on a pseudo-terminal
of a given size; everything it writes is fed to ``pyte`` (a terminal emulator in Python),
and :meth:`Terminal.wait_for` returns the moment the bytes that made the screen show the
expected text arrived. Keys are written as a terminal sends them.

    term = Terminal(["transfer-tui", "--db", "x.db"], size=(120, 36))
    shown = term.wait_for(lambda text: "Handoffs (" in text)   # seconds since the start
    sent = term.press("escape")
    back = term.wait_for(lambda text: "Handoffs (" in text)
    exit_at, peak_mb = term.wait_exit()
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable, Sequence

import pyte

KEYS = {
    "escape": b"\x1b", "enter": b"\r", "backspace": b"\x7f", "tab": b"\t",
    "slash": b"/", "space": b" ", "up": b"\x1b[A", "down": b"\x1b[B",
    "right": b"\x1b[C", "left": b"\x1b[D", "ctrl+q": b"\x11", "ctrl+c": b"\x03",
}


class TerminalTimeout(RuntimeError):
    """The screen never showed what was waited for; the message holds the screen."""


class Terminal:
    """One process on a pseudo-terminal, its screen emulated as it draws."""

    def __init__(self, argv: Sequence[str], size: tuple[int, int] = (120, 36),
                 env: dict[str, str] | None = None):
        columns, lines = size
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self._changed = threading.Condition()
        self._version = 0  # bumped on every chunk fed to the screen
        self._closed = False
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        environment = dict(env if env is not None else os.environ)
        environment.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        environment.pop("TEXTUAL", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(list(argv), stdin=slave, stdout=slave, stderr=slave,
                                     env=environment, start_new_session=True, close_fds=True)
        os.close(slave)
        self._master = master
        self.exited_at: float | None = None
        self.peak_mb: float | None = None
        self.cpu_s: float | None = None  # CPU time the process used, once it has ended
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- the screen ----------------------------------------------------------------------

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.5)
                if not ready:
                    if self.proc.poll() is not None:
                        break
                    continue
                data = os.read(self._master, 65536)
            except OSError:  # the other side closed: the process has gone
                break
            if not data:
                break
            with self._changed:
                self.stream.feed(data)
                self._version += 1
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def text(self) -> str:
        with self._changed:
            return "\n".join(self.screen.display)

    def wait_for(self, shown: Callable[[str], bool], timeout: float = 60.0) -> float:
        """Seconds since the process started until the screen first showed ``shown``
        (checked after every chunk the app writes)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            seen = -1
            while True:
                if self._version != seen:
                    seen = self._version
                    if shown("\n".join(self.screen.display)):
                        return time.perf_counter() - self.started
                if self._closed:
                    raise TerminalTimeout("the process ended first; its screen:\n"
                                          + "\n".join(self.screen.display))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TerminalTimeout("the screen never got there; it shows:\n"
                                          + "\n".join(self.screen.display))
                self._changed.wait(min(left, 0.5))

    # -- keys ----------------------------------------------------------------------------

    def press(self, key: str) -> float:
        """Send one key as a terminal does; seconds since the start when it was sent."""
        data = KEYS.get(key, key.encode())
        at = time.perf_counter() - self.started
        os.write(self._master, data)
        return at

    def type(self, text: str) -> None:
        for char in text:
            self.press(char)

    # -- the end -------------------------------------------------------------------------

    def wait_exit(self, timeout: float = 60.0) -> tuple[float, float]:
        """Seconds since the start until the process ended, and its peak RSS in MB (the
        largest of the process and every child it waited for: ``wait4``'s maxrss)."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.exited_at = time.perf_counter() - self.started
                self.peak_mb = usage.ru_maxrss / 1024
                self.cpu_s = usage.ru_utime + usage.ru_stime
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                self.kill()
                raise TerminalTimeout(f"the process did not exit within {timeout} s")
            time.sleep(0.002)
        self._reader.join(timeout=2)
        os.close(self._master)
        return self.exited_at, self.peak_mb

    def kill(self) -> None:
        """End the process (and any child of its session) without waiting for it."""
        if self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        """Kill it if still running, and reap it."""
        if self.proc.returncode is None and self.exited_at is None:
            self.kill()
            try:
                self.wait_exit(timeout=10)
            except (TerminalTimeout, ChildProcessError):
                pass

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
