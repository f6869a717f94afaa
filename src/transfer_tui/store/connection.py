"""Opening the SQLite file: checks before touching it, and the settings every connection gets.

The file is shared between people, so nothing here writes a byte until we know
the file is ours (or new): a folder, a text file, random bytes, another
program's SQLite database or one from a newer transfer-tui is refused with one
line and left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from transfer_tui.store.errors import DatabaseFileError

APPLICATION_ID = 0x54524654  # "TRFT": marks a file as a transfer-tui database
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with the settings a shared application file needs.

    Autocommit at the driver level (``isolation_level=None``) so the store
    decides where transactions begin (``BEGIN IMMEDIATE`` for writes); foreign
    keys on; a busy timeout so a second writer waits instead of failing; a
    rollback journal with ``synchronous=FULL``, safe on any filesystem.
    """
    mode = "ro" if readonly else "rw"
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    conn = sqlite3.connect(
        uri,
        uri=True,
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def check_path(path: Path) -> bool:
    """Refuse what cannot be a database; return True when the file does not exist yet.

    Reads at most the first 100 bytes, never writes.
    """
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a folder, not a database file")
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise DatabaseFileError(f"{path.parent} is a file, not a folder")
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except PermissionError:
        raise DatabaseFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DatabaseFileError(f"{path}: {exc.strerror or exc}") from None
    if not head:
        return True  # an empty file is an empty database: SQLite treats it the same way
    if not head.startswith(SQLITE_HEADER):
        raise DatabaseFileError(f"{path} is not a SQLite database (is it the right file?)")
    if len(head) < 100:
        raise DatabaseFileError(f"{path} is a damaged database: its header is cut short")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise DatabaseFileError(
            f"{path} is another program's SQLite database, not a transfer-tui one"
        )
    return False


def can_write(path: Path) -> bool:
    """Whether we may change the file: it and its folder (for the journal) are writable."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK | os.X_OK)
