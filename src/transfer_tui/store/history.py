"""History and undo, read from the events: who changed what, when, old -> new.

Both work on any table that belongs to a handoff (see :mod:`.rows`), so the
records other modules add get history and undo without code of their own.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from transfer_tui.cleantext import one_line
from transfer_tui.domain import Status
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.engines import dialect
from transfer_tui.store.errors import UndoError

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.store.database import Database

_COLUMNS = ("id, COALESCE(change_id, id), undoes, handoff_id, entity, entity_id, field, old, "
            "new, actor, at")

# The last change of mine on a handoff that is neither an undo nor undone already: undoing
# twice steps further back through my own changes instead of redoing.
_LAST_CHANGE = """
SELECT change_id FROM event AS e
WHERE handoff_id = ? AND actor = ? AND undoes IS NULL AND change_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM event AS u WHERE u.undoes = e.change_id)
GROUP BY change_id
ORDER BY max(at) DESC, max(rowid) DESC
LIMIT 1
"""


@dataclass(frozen=True)
class HistoryEntry:
    """One event as people read it; ``subject`` is what they call the row."""

    id: str
    change_id: str
    undoes: str | None
    handoff_id: str | None
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None
    actor: str
    at: datetime
    subject: str

    @property
    def is_row_event(self) -> bool:
        """A whole row created or deleted (old/new hold JSON), not one field."""
        return self.field in ("created", "deleted")


def show_value(field: str, text: str | None, limit: int = 40) -> str:
    """A stored value in a message: status labels, "(none)", one short line."""
    if text is None:
        return "(none)"
    if field == "status":
        try:
            return Status(text).label
        except ValueError:
            pass
    line = " ".join(text.split())
    if not line:
        return "(empty)"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def quoted(subject: str) -> str:
    return f"“{one_line(subject, 50)}”"


class HistoryMixin:
    """History, the activity feed and undo; mixed into :class:`transfer_tui.store.Store`."""

    def history(self: Database, entity_id: str) -> list[HistoryEntry]:
        """Every change to one row (a task, a record, the handoff itself), newest first."""
        return self._read_history("entity_id = ?", (entity_id,))

    def activity(self: Database, handoff_id: str, limit: int = 500) -> list[HistoryEntry]:
        """What happened on a handoff, newest first."""
        return self._read_history("handoff_id = ?", (handoff_id,), limit)

    def _read_history(self: Database, where: str, params: tuple, limit: int = -1
                      ) -> list[HistoryEntry]:
        with self.reading_plain() as raw:
            return read_entries(raw, where, params, limit=limit)

    def undo_last(self: Database, handoff_id: str) -> str:
        """Take back my own last change on this handoff, as a change of its own.

        Only the fields that change set are put back, and only if no one else
        changed them since; otherwise UndoError says who did and nothing moves.
        Returns what was undone, in words.
        """
        with self.writing() as session:
            raw = driver(session)
            found = raw.execute(_LAST_CHANGE, (handoff_id, self.user)).fetchone()
            if found is None:
                raise UndoError("Nothing of yours to undo on this handoff.")
            change_id = found[0]
            events = raw.execute(
                "SELECT rowid, entity, entity_id, field, old, new FROM event "
                "WHERE handoff_id = ? AND change_id = ? ORDER BY rowid DESC",
                (handoff_id, change_id)).fetchall()
            now = self.now()
            bumped: set[str] = set()  # one new version per row, however many fields
            done = [_undo_one(self, session, raw, handoff_id, change_id, event, now, bumped)
                    for event in events]
            raw.execute("UPDATE handoff SET updated_at = ?, updated_by = ? WHERE id = ?",
                        (rows.sql_time(now), self.user, handoff_id))
        return "Undone: " + "; ".join(done[:3]) + (f" and {len(done) - 3} more"
                                                   if len(done) > 3 else "")


def _undo_one(store: Database, session: Session, raw: sqlite3.Connection, handoff_id: str,
              change_id: str, event: tuple, now: datetime, bumped: set[str]) -> str:
    rowid, table, row_id, field, old, new = event
    columns = rows.table_columns(raw, table)
    if not columns:
        raise UndoError(f"Cannot undo: this database keeps no {table} rows.")
    row = rows.fetch(raw, table, row_id)
    subject = quoted(rows.label_of(table, row or rows.from_json(old) or rows.from_json(new)))

    def log(name: str, before: str | None, after: str | None) -> None:
        store._log(session, handoff_id, table, row_id, name, before, after, now,  # type: ignore[attr-defined]
                   undoes=change_id)

    if field == "created":
        if table == rows.HANDOFF:
            raise UndoError("Your last change here was creating this handoff; to remove it, "
                            "delete it from the list of handoffs.")
        if row is None:
            return f"{subject} is already gone"
        _refuse_if_moved_on(raw, store.user, row_id, None, rowid, subject)
        log("deleted", rows.to_json(row), None)
        rows.delete(raw, table, row_id)
        return f"removed {subject}"
    if field == "deleted":
        saved = rows.from_json(old)
        if saved is None:
            raise UndoError(f"Cannot undo: the deleted {table} was not kept whole.")
        if row is not None:
            raise UndoError(f"Not undone: {subject} is back already.")
        rows.insert(raw, table, saved)
        log("created", None, rows.to_json(rows.fetch(raw, table, row_id) or saved))
        return f"brought back {subject}"
    if field not in columns:
        raise UndoError(f"Cannot undo: {table} rows no longer have a {field}.")
    if row is None:
        raise UndoError(f"Not undone: {subject} was deleted since.")
    _refuse_if_moved_on(raw, store.user, row_id, field, rowid, subject)
    if not rows.same(row[field], new, columns[field]):
        raise UndoError(f"Not undone: the {field} of {subject} changed since (it is now "
                        f"{show_value(field, rows.as_text(row[field]))}).")
    at_column, by_column = rows.stamp_columns(columns)
    values: rows.Row = {field: rows.coerce(columns[field], old), at_column: rows.sql_time(now),
                        by_column: store.user}
    if "version" in columns and row_id not in bumped:
        values["version"] = (row.get("version") or 0) + 1
        bumped.add(row_id)
    rows.update(raw, table, row_id, values)
    log(field, rows.as_text(row[field]), old)
    return f"{field} of {subject} back to {show_value(field, old)}"


def _refuse_if_moved_on(raw: sqlite3.Connection, me: str, row_id: str, field: str | None,
                        after_rowid: int, subject: str) -> None:
    """Someone else changed the row (that field, or any field for a whole row) since."""
    sql = "SELECT actor, field FROM event WHERE entity_id = ? AND rowid > ? AND actor != ?"
    params: list[object] = [row_id, after_rowid, me]
    if field is not None:
        sql += " AND field = ?"
        params.append(field)
    later = raw.execute(sql + " ORDER BY rowid DESC LIMIT 1", params).fetchone()
    if later is not None:
        actor, what = later
        raise UndoError(f"Not undone: {actor} changed the {what} of {subject} since.")


def read_entries(conn: sqlite3.Connection, where: str, params: tuple, *, limit: int = -1,
                 newest_first: bool = True) -> list[HistoryEntry]:
    """Events matching ``where``, with what people call each row, on any connection
    (the store's quick one, or a session's, so an export reads one snapshot)."""
    order = "DESC" if newest_first else "ASC"
    found = conn.execute(f"SELECT {_COLUMNS} FROM event WHERE {where} "
                         f"ORDER BY at {order}, rowid {order}{dialect.limit(limit)}",
                         params).fetchall()
    subjects = _subjects(conn, {(row[4], row[5]) for row in found}, found)
    return [HistoryEntry(*row[:10], at=rows.read_time(row[10]),
                         subject=subjects.get(row[5], row[4])) for row in found]


def _subjects(conn: sqlite3.Connection, wanted: set[tuple[str, str]], found: list[tuple]
              ) -> dict[str, str]:
    """Labels of the rows events are about: from the live row, else from its logged JSON."""
    by_table: dict[str, list[str]] = {}
    for table, row_id in wanted:
        by_table.setdefault(table, []).append(row_id)
    labels: dict[str, str] = {}
    for table, ids in by_table.items():
        columns = rows.table_columns(conn, table)
        own = rows.RECORD_LABELS.get(table)
        names = [c for c in dict.fromkeys((own, *rows.LABEL_COLUMNS)) if c and c in columns]
        if not names:
            continue
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row_id, *values in conn.execute(
                    f"SELECT id, {', '.join(map(rows.quote, names))} FROM {rows.quote(table)} "
                    f"WHERE id IN ({marks})", tuple(chunk)):
                labels[row_id] = rows.label_of(table, dict(zip(names, values, strict=True)))
    for row in found:
        entity, row_id, old, new = row[4], row[5], row[7], row[8]
        if row_id not in labels and row[6] in ("created", "deleted"):
            saved = rows.from_json(new if row[6] == "created" else old)
            if saved is not None:
                labels[row_id] = rows.label_of(entity, saved)
            elif entity == rows.HANDOFF and (new or old):
                labels[row_id] = new or old  # release 0.1.0 logged the account's name
    return labels
