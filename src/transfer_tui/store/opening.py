"""Opening a database file: is it ours, from which schema, whole? Then upgrade it.

Everything here reads first and writes only once the file is known to be a
transfer-tui database that needs an upgrade (or a save cut short that SQLite
must roll back). Used by :class:`transfer_tui.store.database.Database`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from transfer_tui.store import migrations
from transfer_tui.store.connection import APPLICATION_ID, connect, is_busy, open_error
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
        try:
            conn = connect(path)
        except sqlite3.DatabaseError as exc:
            raise open_error(path, exc) from None
        try:
            migrated_from = migrations.migrate(conn, None if is_new else path)
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise open_error(path, exc) from None
            raise DatabaseFileError(f"{path} could not be upgraded: {exc}") from None
        finally:
            conn.close()
    try:
        conn = connect(path, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        raise open_error(path, exc) from None
    if not readonly:
        leave_wal(conn)
    return conn, None if is_new else migrated_from


def _first_look(path: Path, readonly: bool) -> sqlite3.Connection:
    """Read-only: is it ours, from which schema, and whole? Nothing is written...

    ...except when a program stopped in the middle of a save: then only a
    writer can roll its journal back, which is what SQLite is for (see
    :func:`.connection.connect`).
    """
    try:
        conn = connect(path, readonly=True)
        try:
            version, tables, app_id = identify(conn)
        except BaseException:
            conn.close()
            raise
    except (sqlite3.DatabaseError, MemoryError) as exc:
        raise open_error(path, exc) from None
    problem = foreign_message(path, version, tables, app_id)
    if problem is None and version > migrations.LATEST:
        problem = (f"{path} was made by a newer transfer-tui (schema {version}; this one "
                   f"reads up to {migrations.LATEST}): upgrade transfer-tui to open it")
    elif problem is None and version and path.stat().st_size <= QUICK_CHECK_BYTES:
        try:
            found = first_problem(conn, quick=True)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise open_error(path, exc) from None
        problem = damaged_message(path, found) if found else None
    if problem:
        conn.close()
        raise DatabaseFileError(problem)
    return conn


def identify(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """The schema version, how many tables, and the application id."""
    version = migrations.schema_version(conn)
    tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                          ).fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    return version, tables, app_id


def foreign_message(path: Path, version: int, tables: int, app_id: int) -> str | None:
    """Why the file is not a transfer-tui database, or None when it is (or is empty).

    Every transfer-tui file since the first release carries our application id
    once it has a schema, so a versioned file without it, a negative version, or
    tables with no version are someone else's: never upgraded (nor backed up).
    """
    if (version == 0 and tables) or version < 0 or (version and app_id != APPLICATION_ID):
        return f"{path} is another program's SQLite database, not a transfer-tui one"
    return None


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
