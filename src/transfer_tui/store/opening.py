"""Opening a database file: is it ours, from which schema, whole? Then upgrade it.

Everything here reads first and writes only once the file is known to be a
transfer-tui database that needs an upgrade (or a save cut short that SQLite
must roll back). Used by :class:`transfer_tui.store.database.Database`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from transfer_tui.store import migrations
from transfer_tui.store.connection import connect, is_stuck_journal
from transfer_tui.store.errors import DatabaseFileError

# PRAGMA quick_check reads the whole file, ~3.5 ms per MB here: ~30 ms for 8 MB (about 120
# handoffs with their history), 0.8 s for 10,000 handoffs x 40 tasks (340 MB), warm cache.
# Bigger files are checked after the first paint (App) or on demand (transfer-tui check).
QUICK_CHECK_BYTES = 8 * 1024 * 1024


def open_checked(path: Path, *, is_new: bool, readonly: bool
                 ) -> tuple[sqlite3.Connection, int | None]:
    """The quick connection to a checked, up-to-date file, and the schema it was upgraded
    from (None when it needed no upgrade, or is new)."""
    if is_new:
        try:
            sqlite3.connect(path).close()
        except sqlite3.Error as exc:
            raise DatabaseFileError(f"cannot create {path}: {exc}") from None
    conn = _first_look(path, readonly)
    version = migrations.schema_version(conn)
    conn.close()
    migrated_from = None
    if version < migrations.LATEST:
        if readonly:
            raise DatabaseFileError(f"{path} needs an upgrade (schema {version} to "
                                    f"{migrations.LATEST}) but is read-only")
        conn = connect(path)
        try:
            migrated_from = migrations.migrate(conn, None if is_new else path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseFileError(f"{path} could not be upgraded: {exc}") from None
        finally:
            conn.close()
    conn = connect(path, readonly=readonly)
    if not readonly:
        leave_wal(conn)
    return conn, None if is_new else migrated_from


def _first_look(path: Path, readonly: bool) -> sqlite3.Connection:
    """Read-only: is it ours, from which schema, and whole? Nothing is written...

    ...except when a program stopped in the middle of a save: then only a
    writer can roll its journal back, which is what SQLite is for.
    """
    try:
        conn = connect(path, readonly=True)
        try:
            version, tables = _identify(conn)
        except sqlite3.OperationalError as exc:
            conn.close()
            if not is_stuck_journal(exc):
                raise
            if readonly:
                raise DatabaseFileError(
                    f"{path} was left in the middle of a save; open it once with write "
                    "access so SQLite can finish undoing it") from None
            conn = connect(path)
            version, tables = _identify(conn)
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(f"{path} is damaged or not a database ({exc})") from None
    problem = None
    if version == 0 and tables:
        problem = f"{path} is another program's SQLite database, not a transfer-tui one"
    elif version > migrations.LATEST:
        problem = (f"{path} was made by a newer transfer-tui (schema {version}; this one "
                   f"reads up to {migrations.LATEST}): upgrade transfer-tui to open it")
    elif version and path.stat().st_size <= QUICK_CHECK_BYTES:
        found = first_problem(conn, quick=True)
        problem = damaged_message(path, found) if found else None
    if problem:
        conn.close()
        raise DatabaseFileError(problem)
    return conn


def _identify(conn: sqlite3.Connection) -> tuple[int, int]:
    version = migrations.schema_version(conn)
    tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                          ).fetchone()[0]
    return version, tables


def first_problem(conn: sqlite3.Connection, *, quick: bool) -> str | None:
    """What SQLite's own check finds first, or None when the file is whole."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}(1)").fetchall()
    except MemoryError:  # SQLite reports some broken pages as "out of memory"
        return "pages SQLite cannot read"
    if rows == [("ok",)]:
        return None
    return problem_text(rows[0][0])


def problem_text(message: object) -> str:
    """One of SQLite's check messages on one line."""
    return " ".join(str(message).replace("*** in database main ***", "").split())


def damaged_message(path: Path, problem: str) -> str:
    return (f"{path} is damaged ({problem}); run transfer-tui check on it, and restore a "
            "backup if it stays damaged")


def leave_wal(conn: sqlite3.Connection) -> None:
    """Switch a file someone put in WAL mode back to the rollback journal (see connection)."""
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.OperationalError:
        pass  # another program has it open in WAL mode; it stays WAL until they close
