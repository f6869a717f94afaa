"""Looking after the file itself: a backup while others work, and a health check.

Both open the file read-only and never upgrade it, so they are safe on a file
from an older or newer transfer-tui, and on one someone has open right now.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from transfer_tui.store import migrations, rows
from transfer_tui.store.connection import (
    APPLICATION_ID,
    EMPTY,
    MISSING,
    check_path,
    connect,
    is_busy,
    is_stuck_journal,
    open_error,
)
from transfer_tui.store.database import utcnow
from transfer_tui.store.errors import DatabaseFileError, StoreError
from transfer_tui.store.opening import first_problem, foreign_message, identify, problem_text
from transfer_tui.store.row_rules import file_problems

MAX_PROBLEMS = 20


def default_backup_path(path: Path, now: datetime | None = None) -> Path:
    stamp = (now or utcnow()).astimezone().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}-backup-{stamp}{path.suffix or '.db'}")


def _open_existing(path: Path) -> sqlite3.Connection:
    """Read-only; if a program stopped mid-save, a writer rolls its journal back first
    (see :func:`.connection.connect`)."""
    state = check_path(path)
    if state == MISSING:
        raise DatabaseFileError(f"{path} does not exist")
    if state == EMPTY:
        raise DatabaseFileError(f"{path} is an empty file (0 bytes), not a transfer-tui "
                                "database")
    try:
        conn = connect(path, readonly=True)
    except (sqlite3.DatabaseError, MemoryError) as exc:
        raise open_error(path, exc) from None
    try:
        migrations.schema_version(conn)
    except (sqlite3.DatabaseError, MemoryError) as exc:
        conn.close()
        raise open_error(path, exc) from None
    return conn


def backup(path: Path, target: Path | None = None) -> Path:
    """A consistent copy through SQLite's backup API, even while someone is saving.

    The copy is taken in one read transaction (writers wait a moment), written
    under a temporary name and renamed, then checked.
    """
    path = Path(path).expanduser()
    target = Path(target).expanduser() if target else default_backup_path(path)
    if target.exists():
        raise StoreError(f"{target} already exists: choose another name with -o")
    conn = _open_existing(path)
    try:
        version = migrations.schema_version(conn)
        tables = conn.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                              ).fetchone()[0]
        if version == 0 and tables:
            raise DatabaseFileError(f"{path} is another program's SQLite database, "
                                    "not a transfer-tui one")
        migrations.write_backup(conn, target)
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise open_error(path, exc) from None
        raise StoreError(f"could not back up {path} to {target}: {exc}") from None
    except OSError as exc:
        raise StoreError(f"could not back up {path} to {target}: "
                         f"{exc.strerror or exc}") from None
    finally:
        conn.close()
    copy = connect(target, readonly=True)
    try:
        problem = first_problem(copy, quick=True)
    finally:
        copy.close()
    if problem:
        raise StoreError(f"the backup {target} did not check out ({problem}): is {path} "
                         "damaged? Run transfer-tui check")
    return target


@dataclass
class CheckReport:
    """What ``transfer-tui check`` found; ``ok`` when nothing is wrong."""

    path: Path
    size: int
    schema: int
    latest: int
    journal: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(path: Path) -> CheckReport:
    """SQLite's full integrity check, the schema version, and how much the file holds."""
    path = Path(path).expanduser()
    conn = _open_existing(path)
    try:
        version, tables, app_id = identify(conn)
        report = CheckReport(path, path.stat().st_size, version, migrations.LATEST,
                             conn.execute("PRAGMA journal_mode").fetchone()[0])
        if app_id not in (0, APPLICATION_ID) or foreign_message(path, version, tables, app_id):
            report.problems.append("not a transfer-tui database (another program's file)")
            return report
        if version == 0:
            report.problems.append("holds no transfer-tui data: an empty SQLite file (a "
                                   "command that saves, such as new, makes it a database)")
            return report
        if version > migrations.LATEST:
            report.problems.append(f"made by a newer transfer-tui (schema {version}; this "
                                   f"one knows up to {migrations.LATEST}): upgrade to open it")
        elif version < migrations.LATEST:
            report.notes.append(f"schema {version}: upgraded to {migrations.LATEST} the next "
                                "time transfer-tui opens it (a backup is written first)")
        for (message,) in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})"):
            if message != "ok":
                report.problems.append(problem_text(message))
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            report.problems.append(f"{len(broken)} rows point at rows that are missing")
        if not report.problems and version <= migrations.LATEST:
            found = file_problems(conn, limit=MAX_PROBLEMS)  # values the app cannot read
            for problem in found:
                why = "the app cannot read it" if problem.unreadable else "a form would refuse it"
                report.problems.append(f"{problem} ({why})")
        if report.journal.lower() == "wal":
            report.notes.append("in WAL mode: switched back to the rollback journal the next "
                                "time transfer-tui writes to it")
        for table in [*rows.handoff_tables(conn), rows.EVENT]:
            if rows.table_columns(conn, table):
                report.counts[table] = conn.execute(
                    f"SELECT count(*) FROM {rows.quote(table)}").fetchone()[0]
        return report
    except (sqlite3.DatabaseError, MemoryError) as exc:
        # SQLite reports some broken pages as "out of memory", which Python raises as
        # MemoryError: for a damaged file it is a finding, not a crash. A file busy with
        # someone's long save is not damaged: say so and check nothing.
        if not isinstance(open_error(path, exc), DatabaseFileError) or is_stuck_journal(exc):
            raise open_error(path, exc) from None
        report = CheckReport(path, path.stat().st_size, 0, migrations.LATEST, "?")
        report.problems.append(f"SQLite cannot read it: {exc or 'broken pages'}")
        return report
    finally:
        conn.close()

