"""Opening the SQLite file: checks before touching it, and the settings every connection gets.

The file is shared between people, so nothing here writes a byte until we know
the file is ours (or new): a folder, a text file, random bytes, another
program's SQLite database or one from a newer transfer-tui is refused with one
line and left exactly as it was.

Journal mode: always a rollback journal with ``synchronous=FULL``, never WAL.
While a program has the file open the journal is kept between saves (``PERSIST``:
its header is zeroed at each commit, so it is never mistaken for an unfinished
save), which spares creating, deleting and syncing the folder on every save, a
quarter of a status change's time; closing the connection deletes it.

Why not WAL: it needs shared memory that network filesystems do not share between
machines, leaves ``-wal``/``-shm`` files that sync clients copy out of step with
the main file, and the SQLite that Python links here (3.40.1) has the
WAL-reset corruption bug fixed only in 3.51.3. A rollback journal costs a few
milliseconds per save, which a checklist never notices. A file someone switched
to WAL is switched back when we may write it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from transfer_tui.store.errors import DatabaseFileError

APPLICATION_ID = 0x54524654  # "TRFT": marks a file as a transfer-tui database
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
KEPT = frozenset({"delete", "truncate", "persist"})  # rollback modes; WAL is left to opening
JOURNAL_LIMIT = 4 * 1024 * 1024  # a big save's journal is cut back to this afterwards


def connect(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the settings a shared application file needs.

    Autocommit at the driver level (``isolation_level=None``) so the store
    decides where transactions begin (``BEGIN IMMEDIATE`` for writes); foreign
    keys on; a busy timeout so a second writer waits instead of failing; a
    rollback journal with ``synchronous=FULL``, safe on any filesystem;
    ``trusted_schema`` off, since files come from other people (share/merge).
    """
    mode = "ro" if readonly else "rw"
    uri = f"{Path(path).resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(
        uri,
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=Connection,
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA trusted_schema = OFF")
    if not readonly and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() in KEPT:
        conn.execute("PRAGMA journal_mode = PERSIST")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT}")
    return conn


class Connection(sqlite3.Connection):
    """A file connection that, on close, deletes the journal it kept between saves."""

    def close(self) -> None:
        try:
            if not self.in_transaction and self.execute(
                    "PRAGMA journal_mode").fetchone()[0].lower() == "persist":
                self.execute("PRAGMA journal_mode = DELETE")  # deletes it unless one saves
        except sqlite3.Error:
            pass  # busy, read-only, already closed: a kept journal's zeroed header is inert
        super().close()


def check_path(path: Path) -> bool:
    """Refuse what cannot be a database; return True when the file does not exist yet.

    Reads at most the first 100 bytes (the SQLite header), never writes.
    """
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a folder, not a database file")
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise DatabaseFileError(f"{path.parent} is a file, not a folder")
        return True
    if not path.is_file():
        raise DatabaseFileError(f"{path} is not a regular file")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
        size = path.stat().st_size
    except PermissionError:
        raise DatabaseFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DatabaseFileError(f"{path}: {exc.strerror or exc}") from None
    if not head:
        return True  # an empty file is an empty database: SQLite treats it the same way
    check_header(path, head, size)
    return False


def check_header(path: Path, head: bytes, size: int) -> None:
    """The header says what the file is: ours, another program's, or damaged."""
    if not head.startswith(SQLITE_HEADER):
        raise DatabaseFileError(f"{path} is not a SQLite database (is it the right file?)")
    if len(head) < 100:
        raise DatabaseFileError(f"{path} is a damaged database: its header is cut short")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or head[21:24] != b"\x40\x20\x20":
        raise DatabaseFileError(f"{path} is a damaged database: its header makes no sense")
    pages = int.from_bytes(head[28:32], "big")
    counter_valid = head[24:28] == head[92:96]
    journal = path.with_name(path.name + "-journal")  # a save cut short: SQLite repairs it
    cut_short = size % page_size or (counter_valid and pages * page_size > size)
    if cut_short and not journal.exists():
        raise DatabaseFileError(
            f"{path} is a damaged database: the file is cut short (an unfinished copy?)"
        )
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise DatabaseFileError(
            f"{path} is another program's SQLite database, not a transfer-tui one"
        )


def is_stuck_journal(exc: sqlite3.Error) -> bool:
    """A program stopped mid-save and left a journal that only a writer can roll back."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


def can_write(path: Path) -> bool:
    """Whether we may change the file: it and its folder (for the journal) are writable."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK | os.X_OK)
