"""One browser tab's app: the TUI in a process of its own, which never outlives the server.

The server starts ``python -m transfer_tui.web.app_process --db DB --as NAME`` in a new
process group, with ``TEXTUAL_DRIVER`` set to Textual's web driver. Here:

- On Linux the kernel kills this process the moment the server dies, however it dies
  (``PR_SET_PDEATHSIG``, even after SIGKILL); a thread also looks every half second
  whether the parent changed, on every system, and covers the moment before ``prctl``.
- Another thread ends the process when the app's event loop stops answering for
  ``TRANSFER_TUI_WEB_HANG_SECONDS`` (30 s): the app never blocks its loop on purpose
  (database calls run in workers), so a loop that long silent is a hung app.

Exit codes the server turns into words for the tab: 0 the person quit, 1 the app could
not open the database, ``HUNG`` the loop stopped answering.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time

PARENT_ENV = "TRANSFER_TUI_WEB_PARENT"
HANG_ENV = "TRANSFER_TUI_WEB_HANG_SECONDS"
HANG_SECONDS = 30.0
HUNG = 75
ORPHANED = 76
_PR_SET_PDEATHSIG = 1


def _end(code: int, why: str) -> None:
    try:
        os.write(2, f"transfer-tui: {why}\n".encode())
    finally:
        os._exit(code)


def die_with_parent(parent: int) -> None:
    """Be ended when ``parent`` (the server) ends, whatever ends it."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                _end(ORPHANED, "the server is gone: this tab's app ends")
            time.sleep(0.5)

    if os.getppid() != parent:  # it died before prctl could tie us to it
        _end(ORPHANED, "the server is gone: this tab's app ends")
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def watch_loop(loop: asyncio.AbstractEventLoop, limit: float) -> None:
    """End the process when ``loop`` has run nothing for ``limit`` seconds.

    Armed by the loop's first beat, so a slow start (imports, a big file) never counts.
    """
    beat: list[float] = []

    def mark() -> None:
        beat[:] = [time.monotonic()]

    def watch() -> None:
        period = min(1.0, limit / 4)
        while True:
            try:
                loop.call_soon_threadsafe(mark)
            except RuntimeError:  # the loop closed: the app has ended
                return
            time.sleep(period)
            if beat and time.monotonic() - beat[0] > limit:
                _end(HUNG, f"the app did not answer for {limit:.0f} s: ending this tab's app")

    threading.Thread(target=watch, name="hang-watch", daemon=True).start()


FROM_ENVIRONMENT = "-"  # --db -: the database is in TRANSFER_TUI_DB


def _arguments(argv: list[str]) -> tuple[str, str]:
    if len(argv) != 4 or argv[0] != "--db" or argv[2] != "--as":
        raise SystemExit("usage: python -m transfer_tui.web.app_process --db DB --as NAME")
    return argv[1], argv[3]


def main(argv: list[str]) -> int:
    db, user = _arguments(argv)
    parent = os.environ.get(PARENT_ENV)
    if parent:
        die_with_parent(int(parent))
    try:
        limit = float(os.environ.get(HANG_ENV, HANG_SECONDS))
    except ValueError:
        limit = HANG_SECONDS
    from transfer_tui.cleantext import one_line
    from transfer_tui.cli import run_tui
    from transfer_tui.cli.options import Settings, database
    from transfer_tui.paths import DB_ENV
    from transfer_tui.playbooks.loader import PlaybookError
    from transfer_tui.store.errors import StoreError

    loop = asyncio.new_event_loop()
    watch_loop(loop, limit)
    try:
        if db == FROM_ENVIRONMENT:  # a server's URL: never on a command line (ps shows it)
            db = os.environ.get(DB_ENV, "")
        run_tui(Settings(database(db), user), loop=loop)
    except (StoreError, PlaybookError) as exc:
        print(f"transfer-tui: error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
