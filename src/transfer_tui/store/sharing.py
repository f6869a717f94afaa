"""Offline sharing: one handoff out to a small file (share), and back in (merge).

For a cloud-synced folder or an e-mail attachment, where two people cannot
safely open one live file. ``share`` writes a closed, consistent database
holding one handoff's rows (in every table that has a ``handoff_id``) and its
events, built in memory and written with ``VACUUM INTO``. ``merge`` brings such
a file in, in one transaction.

How merge knows who changed what. Every change is an event with a unique id,
and a share file carries the handoff's whole event log. So for each row, the
events only *they* have (ids not in my log) are their changes since our copies
last met, and the events only *I* have are mine. Field by field:

- the same value on both sides: nothing to do;
- only their events touch the field: take theirs; only mine: keep mine;
- both sides' events touch it: changed on both sides, so the later change (the
  later event time) wins, and the pair is listed as a conflict with both values;
- no event explains the difference (rows changed without history): the row with
  the higher version, then the later change time, wins.

Rows only they have are added (unless I deleted them after their last change);
rows they deleted (a "deleted" event I have not seen) go, unless I changed them
since. Their events are then added to mine, deduplicated by id. Merging the
same file again finds no event I have not seen, hence changes nothing; and once
each side has merged the other's file, both hold the same rows.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from transfer_tui.store import migrations, rows
from transfer_tui.store.connection import check_path, connect
from transfer_tui.store.database import driver, first_problem
from transfer_tui.store.errors import DatabaseFileError, NotFoundError, StoreError

if TYPE_CHECKING:
    from transfer_tui.store.database import Database


@dataclass(frozen=True)
class MergeConflict:
    """One field (or row) changed on both sides; ``kept`` says whose change stands."""

    table: str
    row_id: str
    subject: str
    field: str
    mine: str | None
    theirs: str | None
    my_by: str
    my_at: datetime | None
    their_by: str
    their_at: datetime | None
    kept: str  # "mine" or "theirs"


@dataclass
class MergeReport:
    accounts: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0
    events: int = 0
    conflicts: list[MergeConflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.events)


@dataclass(frozen=True)
class ShareReport:
    path: Path
    account: str
    rows: int
    events: int


class SharingMixin:
    """share and merge; mixed into :class:`transfer_tui.store.Store`."""

    def share(self: Database, handoff_id: str, target: Path, *, replace: bool = False
              ) -> ShareReport:
        """Write one handoff, its rows and its history to ``target``: a closed database."""
        target = Path(target).expanduser()
        if target.resolve() == self.path.resolve():
            raise StoreError(f"{target} is the database itself: choose another file name")
        if target.is_dir():
            raise StoreError(f"{target} is a folder: give a file name, e.g. handoff.db")
        if target.exists() and not replace:
            raise StoreError(f"{target} already exists: choose another name (or --force)")
        source = connect(self.path, readonly=True)
        try:
            source.execute("BEGIN")  # one snapshot, however busy the others are
            handoff = rows.fetch(source, rows.HANDOFF, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            memory = _same_schema(source)
            count = 0
            for table in rows.handoff_tables(source):
                for row in rows.rows_of(source, table, handoff_id):
                    rows.insert(memory, table, row)
                    count += 1
            events = rows.events_of(source, handoff_id)
            for event in events:
                rows.insert(memory, rows.EVENT, event)
            source.execute("COMMIT")
        finally:
            source.close()
        rows.recount(memory, handoff_id)
        _write_closed(memory, target)
        return ShareReport(target, handoff["account"], count, len(events))

    def merge(self: Database, source: Path) -> MergeReport:
        """Bring a shared file's handoffs in (see the module docstring), in one transaction."""
        source = Path(source).expanduser()
        if source.exists() and source.resolve() == self.path.resolve():
            raise StoreError(f"{source} is the database itself: nothing to merge")
        theirs = _open_share(source)
        report = MergeReport()
        try:
            handoff_ids = [r[0] for r in theirs.execute("SELECT id FROM handoff ORDER BY id")]
            if not handoff_ids:
                raise StoreError(f"{source} holds no handoff: nothing to merge")
            with self.writing() as session:
                mine = driver(session)
                for handoff_id in handoff_ids:
                    _Merge(mine, theirs, handoff_id, report).run()
        finally:
            theirs.close()
        return report


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
    if check_path(path):
        raise DatabaseFileError(f"{path} does not exist or is empty")
    try:
        conn = connect(path, readonly=True)
        try:
            version = migrations.schema_version(conn)
            if version == 0:
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
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(f"{path} is damaged or not a database ({exc})") from None
    migrations.migrate(memory, None)
    return memory


def _latest(events: list[rows.Row]) -> rows.Row:
    return max(events, key=lambda e: e["at"])


class _Merge:
    """One handoff of a share file merged into my database (inside my transaction)."""

    def __init__(self, mine: sqlite3.Connection, theirs: sqlite3.Connection, handoff_id: str,
                 report: MergeReport):
        self.mine, self.theirs, self.handoff_id, self.report = mine, theirs, handoff_id, report
        my_log = {e["id"]: e for e in rows.events_of(mine, handoff_id)}
        their_log = {e["id"]: e for e in rows.events_of(theirs, handoff_id)}
        self.their_new_events = [e for i, e in their_log.items() if i not in my_log]
        self.my_new = self._by_row(e for i, e in my_log.items() if i not in their_log)
        self.their_new = self._by_row(self.their_new_events)

    @staticmethod
    def _by_row(events) -> dict[str, list[rows.Row]]:
        grouped: dict[str, list[rows.Row]] = {}
        for event in events:
            grouped.setdefault(event["entity_id"], []).append(event)
        return grouped

    def _changes(self, side: dict[str, list[rows.Row]], row_id: str, name: str
                 ) -> list[rows.Row]:
        return [e for e in side.get(row_id, []) if e["field"] == name]

    def run(self) -> None:
        theirs_handoff = rows.fetch(self.theirs, rows.HANDOFF, self.handoff_id) or {}
        account = theirs_handoff.get("account", self.handoff_id)
        deleted_here = self._changes(self.my_new, self.handoff_id, "deleted")
        if deleted_here and rows.fetch(self.mine, rows.HANDOFF, self.handoff_id) is None:
            gone = _latest(deleted_here)
            self.report.skipped.append(f"{account}: deleted here by {gone['actor']} on "
                                       f"{gone['at'][:10]}, so nothing of it was merged")
            return
        self.report.accounts.append(account)
        tables = [t for t in rows.handoff_tables(self.theirs)
                  if rows.table_columns(self.mine, t)]
        for table in tables:
            mine = {r["id"]: r for r in rows.rows_of(self.mine, table, self.handoff_id)}
            for row in rows.rows_of(self.theirs, table, self.handoff_id):
                if row["id"] in mine:
                    self._reconcile(table, mine[row["id"]], row)
                else:
                    self._bring_in(table, row)
        for table in reversed(tables):
            theirs = {r[0] for r in self.theirs.execute(
                f"SELECT id FROM {rows.quote(table)} WHERE {rows.owner_column(table)} = ?",
                (self.handoff_id,))}
            for row in rows.rows_of(self.mine, table, self.handoff_id):
                if row["id"] not in theirs:
                    self._maybe_remove(table, row)
        for event in self.their_new_events:
            rows.insert(self.mine, rows.EVENT, event)
        self.report.events += len(self.their_new_events)
        rows.recount(self.mine, self.handoff_id)

    def _edits(self, side: dict[str, list[rows.Row]], row_id: str) -> list[rows.Row]:
        return [e for e in side.get(row_id, []) if e["field"] not in ("created", "deleted")]

    def _bring_in(self, table: str, row: rows.Row) -> None:
        """A row only they have: new, or one I deleted (it stays deleted unless they
        changed it after I deleted it)."""
        deleted = self._changes(self.my_new, row["id"], "deleted")
        if deleted:
            gone, edits = _latest(deleted), self._edits(self.their_new, row["id"])
            if not edits or _latest(edits)["at"] <= gone["at"]:
                return
            self._conflict(table, row, "row", "deleted", "changed", gone, _latest(edits),
                           "theirs")
        rows.insert(self.mine, table, row)
        self.report.added += 1

    def _maybe_remove(self, table: str, row: rows.Row) -> None:
        """A row only I have: new here, or one they deleted (it goes unless I changed it
        since)."""
        deleted = self._changes(self.their_new, row["id"], "deleted")
        if not deleted:
            return
        gone, edits = _latest(deleted), self._edits(self.my_new, row["id"])
        if edits and _latest(edits)["at"] > gone["at"]:
            self._conflict(table, row, "row", "changed", "deleted", _latest(edits), gone,
                           "mine")
            return
        rows.delete(self.mine, table, row["id"])
        self.report.removed += 1

    def _reconcile(self, table: str, mine: rows.Row, theirs: rows.Row) -> None:
        at_column, by_column = rows.stamp_columns(list(mine))
        skip = rows.META | rows.DERIVED.get(table, frozenset())
        taken: rows.Row = {}
        for name in mine:
            if name in skip or name not in theirs or mine[name] == theirs[name]:
                continue
            my_edits = self._changes(self.my_new, mine["id"], name)
            their_edits = self._changes(self.their_new, mine["id"], name)
            if their_edits and my_edits:
                mine_last, theirs_last = _latest(my_edits), _latest(their_edits)
                winner = "theirs" if theirs_last["at"] > mine_last["at"] else "mine"
                self._conflict(table, mine, name, rows.as_text(mine[name]),
                               rows.as_text(theirs[name]), mine_last, theirs_last, winner)
                if winner == "theirs":
                    taken[name] = theirs[name]
            elif their_edits or (not my_edits and (theirs.get("version") or 0,
                                                   theirs.get(at_column) or "") >
                                 (mine.get("version") or 0, mine.get(at_column) or "")):
                taken[name] = theirs[name]
        later = (theirs.get(at_column) or "") > (mine.get(at_column) or "")
        if not taken:
            if table == rows.HANDOFF and later:  # when it last changed, for the list
                rows.update(self.mine, table, mine["id"], {at_column: theirs[at_column],
                                                           by_column: theirs[by_column]})
            return
        merged = {**mine, **taken}
        whole = all(merged[n] == theirs[n] for n in mine if n not in skip and n in theirs)
        stamps: rows.Row = {}
        if whole and (theirs.get("version") or 0) > (mine.get("version") or 0):
            stamps = {n: theirs[n] for n in ("version", at_column, by_column) if n in theirs}
        else:
            if "version" in mine:
                stamps["version"] = max(mine["version"] or 0, theirs.get("version") or 0) + 1
            if later:
                stamps.update({at_column: theirs[at_column], by_column: theirs[by_column]})
        rows.update(self.mine, table, mine["id"], {**taken, **stamps})
        self.report.updated += 1

    def _conflict(self, table: str, row: rows.Row, name: str, mine: str | None,
                  theirs: str | None, my_event: rows.Row, their_event: rows.Row,
                  kept: str) -> None:
        self.report.conflicts.append(MergeConflict(
            table=table, row_id=row["id"], subject=rows.label_of(table, row), field=name,
            mine=mine, theirs=theirs, my_by=my_event["actor"],
            my_at=rows.read_time(my_event["at"]), their_by=their_event["actor"],
            their_at=rows.read_time(their_event["at"]), kept=kept))
