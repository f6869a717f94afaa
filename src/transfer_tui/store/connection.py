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

import errno
import os
import sqlite3
import stat
from pathlib import Path

from transfer_tui.store.errors import BusyError, DatabaseFileError, StoreError

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

    A program killed in the middle of a save leaves a "hot" journal: the next
    connection that reads the file must roll it back, and only a writer can. A
    read-only connection (``check``, ``backup``, ``share``, a first look) would
    fail with "attempt to write a readonly database" and so would every later
    one; so a writer rolls it back first whenever the file may be written, and
    otherwise the error says what happened and what to do.
    """
    try:
        return _connect(path, readonly)
    except sqlite3.OperationalError as exc:
        if not is_stuck_journal(exc):
            raise
    finish_unfinished_save(Path(path))
    return _connect(path, readonly)


def finish_unfinished_save(path: Path) -> None:
    """Let SQLite roll back the save a killed program left half-done (its hot journal).

    Opening the file for writing and reading one page is all it takes: SQLite
    restores the pages from the journal under an exclusive lock, then the file
    is exactly as it was before that save began. Refused with a clear message
    when we may not write the file or its folder.
    """
    if not can_write(path):
        raise DatabaseFileError(stuck_message(path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    finally:
        conn.close()


def stuck_message(path: Path) -> str:
    return (f"{path} was left in the middle of a save (a program stopped while saving) and "
            "only someone who may write to it can finish undoing that save: open it once "
            "with write access to the file and its folder (or open a copy of the folder); "
            "every save that finished is kept")


def _connect(path: Path | str, readonly: bool) -> sqlite3.Connection:
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
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA trusted_schema = OFF")
        if not readonly and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() in KEPT:
            conn.execute("PRAGMA journal_mode = PERSIST")
            conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_LIMIT}")
    except BaseException:
        sqlite3.Connection.close(conn)  # nothing of ours to tidy up yet
        raise
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


MISSING, EMPTY, EXISTING = "missing", "empty", "existing"


def check_path(path: Path) -> str:
    """Refuse what cannot be a database; say whether the file is MISSING, EMPTY (0 bytes:
    SQLite treats it as a new database) or EXISTING.

    Reads at most the first 100 bytes (the SQLite header), never writes.
    """
    if not str(path) or str(path) == ".":
        raise DatabaseFileError("no database file given (the path is empty)")
    try:
        status = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseFileError(f"{path} is a symbolic link to {os.readlink(path)}, "
                                    "which does not exist") from None
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            raise DatabaseFileError(f"{parent} is a file, not a folder") from None
        return MISSING
    except OSError as exc:
        raise DatabaseFileError(_path_problem(path, exc)) from None
    if stat.S_ISDIR(status.st_mode):
        raise DatabaseFileError(f"{path} is a folder, not a database file")
    if not stat.S_ISREG(status.st_mode):
        raise DatabaseFileError(f"{path} is not a regular file")
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise DatabaseFileError(_path_problem(path, exc)) from None
    if not head:
        return EMPTY
    check_header(path, head, status.st_size)
    return EXISTING


def _path_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return f"{path} is a symbolic link loop: it leads back to itself, never to a file"
    if exc.errno == errno.ENOTDIR:
        return f"{path}: a part of the path is a file, not a folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{path}: permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{path}: the name is too long"
    return f"{path}: {exc.strerror or exc}"


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


def is_stuck_journal(exc: BaseException) -> bool:
    """A program stopped mid-save and left a journal that only a writer can roll back."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


def is_busy(exc: BaseException) -> bool:
    """Someone else holds the file's lock (SQLITE_BUSY / SQLITE_LOCKED)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return (isinstance(exc, sqlite3.OperationalError)
            and (name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)))


def busy_message(path: Path, *, saving: bool = False) -> str:
    unchanged = "nothing was changed; " if saving else ""
    return (f"{path} is busy: someone else is saving a change (a big import can take a "
            f"minute); {unchanged}try again in a moment")


def open_error(path: Path, exc: BaseException) -> StoreError:
    """What went wrong opening or reading a file, as one line: busy, left mid-save, out
    of reach, or damaged (only when SQLite says the content is broken)."""
    if isinstance(exc, StoreError):
        return exc
    if is_busy(exc):
        return BusyError(busy_message(path))
    if is_stuck_journal(exc):
        return DatabaseFileError(stuck_message(path))
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseFileError(f"cannot open {path}: {exc}")
    if name.startswith(("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreError(f"could not read {path}: {exc}")
    return DatabaseFileError(f"{path} is damaged or not a database ({exc})")


def can_write(path: Path) -> bool:
    """Whether we may change the file: it and its folder (for the journal) are writable."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK | os.X_OK)
