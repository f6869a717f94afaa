"""A long read that gives way to anyone's save: the background integrity check.

With the rollback journal a save cannot commit while anyone holds a read, so a check
of a 4 GB file (tens of seconds) would make a colleague's save wait out its busy
timeout and fail. A save under way shows in the file's ``-journal``: a saving
connection writes the journal's header before its first change and deletes, empties
or zeroes it when it commits (a journal kept between saves, as ours is, starts with
28 zero bytes). A thread looks at those bytes every WATCH_S and cuts the read short as
soon as they are there; the save then waits a moment at most.

Why a thread and not SQLite's progress handler: the check's walk of the b-trees is a
single VM step (SQLite 3.40 calls no handler during it, over half of the check), while
``interrupt()`` is honoured within it. Reading the journal never touches the database
file itself, so the locks SQLite holds on it are left alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

WATCH_S = 0.05
HEADER = 28  # the bytes of a journal's header that SQLite zeroes when a save ends


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def saving_now(path: Path) -> bool:
    """Whether a connection (of any process, ours too) is in the middle of a save to the
    file: its journal holds a header. Also true of a journal a killed program left,
    which the next read rolls back."""
    try:
        with journal_of(path).open("rb") as journal:
            return any(journal.read(HEADER))
    except OSError:  # no journal: nobody is saving
        return False


@contextmanager
def giving_way(path: Path, cut_short: Callable[[], None],
               stopping: threading.Event) -> Iterator[None]:
    """While the block runs, call ``cut_short`` as soon as someone saves to ``path`` (or
    ``stopping`` is set), and again every WATCH_S while they do: SQLite forgets an
    interrupt that lands just before a statement begins."""
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if stopping.is_set() or saving_now(path):
                cut_short()
            done.wait(WATCH_S)

    watcher = threading.Thread(target=watch, name="check-gives-way", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
