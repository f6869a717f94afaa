"""Offline sharing: one handoff out to a small file (share), and back in (merge).

For a cloud-synced folder or an e-mail attachment, where two people cannot
safely open one live file. ``share`` writes a closed, consistent database
holding one handoff's rows (in every table that has a ``handoff_id``) and its
events, built in memory from one read snapshot and written with ``VACUUM INTO``.
``merge`` brings such a file in, in one transaction; how it decides is told in
:mod:`.merging`.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from transfer_tui.store import migrations, rows
from transfer_tui.store.connection import EMPTY, MISSING, check_path, connect, open_error
from transfer_tui.store.database import driver
from transfer_tui.store.engines.raw import Raw
from transfer_tui.store.errors import (
    DatabaseFileError,
    NotFoundError,
    StoreError,
    UnreadableError,
)
from transfer_tui.store.merging import HandoffMerge, MergeReport
from transfer_tui.store.opening import first_problem, foreign_message, identify
from transfer_tui.store.row_rules import describe, file_problems

if TYPE_CHECKING:
    from transfer_tui.store.database import Database


MAX_SHARE_BYTES = 256 * 2**20  # one handoff with years of history is a few MB


@dataclass(frozen=True)
class ShareReport:
    path: Path
    account: str
    rows: int
    events: int


class Sharing:
    """share and merge: one handoff out to a file, and such files back in."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def share(self, handoff_id: str, target: Path, *, replace: bool = False
              ) -> ShareReport:
        """Write one handoff, its rows and its history to ``target``: a closed database."""
        target = Path(target).expanduser()
        if self.db.path is not None and target.resolve() == self.db.path.resolve():
            raise StoreError(f"{target} is the database itself: choose another file name")
        if target.is_dir():
            raise StoreError(f"{target} is a folder: give a file name, e.g. handoff.db")
        if target.exists() and not replace:
            raise StoreError(f"{target} already exists: choose another name (or --force)")
        if (target.exists() or target.is_symlink()) and not target.is_file():
            raise StoreError(f"{target} is not a regular file (a device, a pipe...): give the "
                             "name of a file to write")
        if self.db.path is None:  # a server: one read snapshot of it
            with self.db.reading_plain() as raw:
                handoff, memory, count, events = _copy_out(raw, handoff_id, _new_schema())
        else:
            try:
                source = connect(self.db.path, readonly=True)
            except sqlite3.Error as exc:
                raise open_error(self.db.path, exc) from None
            try:
                source.execute("BEGIN")  # one snapshot, however busy the others are
                handoff, memory, count, events = _copy_out(source, handoff_id,
                                                           _same_schema(source))
                source.execute("COMMIT")
            except sqlite3.Error as exc:
                raise open_error(self.db.path, exc) from None
            finally:
                source.close()
        rows.recount(memory, handoff_id)
        _write_closed(memory, target)
        return ShareReport(target, handoff["account"], count, len(events))

    def merge(self, source: Path) -> MergeReport:
        """Bring a shared file's handoffs in (see the module docstring), in one transaction."""
        source = Path(source).expanduser()
        if (self.db.path is not None and source.exists()
                and source.resolve() == self.db.path.resolve()):
            raise StoreError(f"{source} is the database itself: nothing to merge")
        theirs = _open_share(source)
        report = MergeReport()
        try:
            if not theirs.execute("SELECT count(*) FROM handoff").fetchone()[0]:
                raise StoreError(f"{source} holds no handoff: nothing to merge")
            problems = file_problems(theirs)  # untrusted: checked as a form would, first
            if problems:
                raise UnreadableError(f"{source} holds values transfer-tui cannot take, so "
                                      f"nothing was merged: {describe(problems)}")
            handoff_ids = [r[0] for r in theirs.execute("SELECT id FROM handoff ORDER BY id")]
            with self.db.writing() as session:
                mine = driver(session)
                for handoff_id in handoff_ids:
                    HandoffMerge(mine, theirs, handoff_id, report).run()
        finally:
            theirs.close()
        return report


def _copy_out(source: Raw, handoff_id: str, memory: sqlite3.Connection
              ) -> tuple[rows.Row, sqlite3.Connection, int, list[rows.Row]]:
    """One handoff's rows and events from ``source`` (inside its read transaction) into
    the share's database in memory: the handoff, the memory database, how many rows,
    the events."""
    handoff = rows.fetch(source, rows.HANDOFF, handoff_id)
    if handoff is None:
        memory.close()
        raise NotFoundError(f"no handoff with id {handoff_id}")
    count = 0
    for table in rows.handoff_tables(source):
        for row in rows.rows_of(source, table, handoff_id):
            rows.insert(memory, table, row)
            count += 1
    events = rows.events_of(source, handoff_id)
    for event in events:
        rows.insert(memory, rows.EVENT, event)
    return handoff, memory, count, events


def _new_schema() -> sqlite3.Connection:
    """An empty database in memory at the latest schema, marked as ours (a server's
    handoff shared into a file)."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    memory.execute("PRAGMA foreign_keys = ON")
    migrations.migrate(memory, None)
    return memory


def _same_schema(source: sqlite3.Connection) -> sqlite3.Connection:
    """An empty database in memory with the source's tables, indexes, triggers and marks."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    memory.execute("PRAGMA foreign_keys = ON")
    for (sql,) in source.execute(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"):
        memory.execute(sql)
    for pragma in ("user_version", "application_id"):
        value = source.execute(f"PRAGMA {pragma}").fetchone()[0]
        memory.execute(f"PRAGMA {pragma} = {int(value)}")
    return memory


def _write_closed(memory: sqlite3.Connection, target: Path) -> None:
    """VACUUM INTO a temporary name, then rename: no one sees half a file."""
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        memory.execute("VACUUM INTO ?", (str(partial),))
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"could not write {target}: {exc}") from None
    finally:
        memory.close()


def _open_share(path: Path) -> sqlite3.Connection:
    """A checked copy of a share file, in memory and at the current schema; the file is
    only read."""
    state = check_path(path)
    if state == MISSING:
        raise DatabaseFileError(f"{path} does not exist")
    if state == EMPTY:
        raise DatabaseFileError(f"{path} is an empty file, not a shared handoff")
    if path.stat().st_size > MAX_SHARE_BYTES:  # it is copied into memory to be checked
        raise DatabaseFileError(f"{path} is too big for a shared handoff (more than "
                                f"{MAX_SHARE_BYTES // 2**20} MB): is it a whole database? "
                                "Ask for transfer-tui share of the one handoff")
    try:
        conn = connect(path, readonly=True)
        try:
            version, tables, app_id = identify(conn)
            if version == 0 or foreign_message(path, version, tables, app_id):
                raise DatabaseFileError(f"{path} is not a transfer-tui database")
            if version > migrations.LATEST:
                raise DatabaseFileError(f"{path} was made by a newer transfer-tui (schema "
                                        f"{version}): upgrade transfer-tui to merge it")
            problem = first_problem(conn, quick=True)
            if problem:
                raise DatabaseFileError(f"{path} is damaged ({problem}): ask for a new copy")
            memory = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(memory)
        finally:
            conn.close()
    except (sqlite3.DatabaseError, MemoryError) as exc:
        raise open_error(path, exc) from None
    migrations.migrate(memory, None)
    return memory
