"""History and undo, read from the events: who changed what, when, old -> new.

Both work on any table that belongs to a handoff (see :mod:`.rows`), so the
records other modules add get history and undo without code of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from transfer_tui.cleantext import one_line
from transfer_tui.domain import Status
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.engines import dialect
from transfer_tui.store.engines.raw import Raw
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


class History:
    """The change log: every change is written here (:meth:`log`), and read back as a row's
    history, a handoff's activity, and undo. Depends on nothing but the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def log(self, session: Session, handoff_id: str | None, entity: str, entity_id: str,
            field: str, old: object, new: object, at: datetime | str, *,
            undoes: str | None = None) -> None:
        """One event, in the change (store call) the session belongs to.

        Written at once in plain SQL on the session's connection (no object, no
        flush): events reference nothing, and every save logs one per field.
        """
        from transfer_tui.store.models import ordered_id

        stamp = at if isinstance(at, str) else rows.sql_time(at)
        driver(session, flush=False).execute(
            "INSERT INTO event (id, change_id, undoes, handoff_id, entity, entity_id, field, "
            "old, new, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ordered_id(), session.info.get("change_id"), undoes, handoff_id, entity, entity_id,
             field, None if old is None else str(old), None if new is None else str(new),
             self.db.user, stamp))

    def log_rows(self, session: Session, handoff_id: str, field: str,
                 found: list[tuple[str, rows.Row]], at: datetime) -> None:
        """Whole rows created or deleted, each one event holding the row as JSON; written
        in one statement, so a bulk import of a thousand handoffs stays quick."""
        from transfer_tui.store.models import Event, ordered_id

        if not found:
            return
        session.execute(Event.__table__.insert(), [  # type: ignore[attr-defined]
            {"id": ordered_id(), "change_id": session.info.get("change_id"), "undoes": None,
             "handoff_id": handoff_id, "entity": table, "entity_id": row["id"],
             "field": field, "old": rows.to_json(row) if field == "deleted" else None,
             "new": rows.to_json(row) if field == "created" else None,
             "actor": self.db.user, "at": at}
            for table, row in found])

    def of(self, entity_id: str) -> list[HistoryEntry]:
        """Every change to one row (a task, a record, the handoff itself), newest first."""
        return self._read("entity_id = ?", (entity_id,))

    def activity(self, handoff_id: str, limit: int = 500) -> list[HistoryEntry]:
        """What happened on a handoff, newest first."""
        return self._read("handoff_id = ?", (handoff_id,), limit)

    def _read(self, where: str, params: tuple, limit: int = -1
                      ) -> list[HistoryEntry]:
        with self.db.reading_plain() as raw:
            return read_entries(raw, where, params, limit=limit)

    def undo_last(self, handoff_id: str) -> str:
        """Take back my own last change on this handoff, as a change of its own.

        Only the fields that change set are put back, and only if no one else
        changed them since; otherwise UndoError says who did and nothing moves.
        Returns what was undone, in words.
        """
        with self.db.writing() as session:
            raw = driver(session)
            found = raw.execute(_LAST_CHANGE, (handoff_id, self.db.user)).fetchone()
            if found is None:
                raise UndoError("Nothing of yours to undo on this handoff.")
            change_id = found[0]
            events = raw.execute(
                "SELECT rowid, entity, entity_id, field, old, new FROM event "
                "WHERE handoff_id = ? AND change_id = ? ORDER BY rowid DESC",
                (handoff_id, change_id)).fetchall()
            now = self.db.now()
            bumped: set[str] = set()  # one new version per row, however many fields
            done = [_undo_one(self, session, raw, handoff_id, change_id, event, now, bumped)
                    for event in events]
            raw.execute("UPDATE handoff SET updated_at = ?, updated_by = ? WHERE id = ?",
                        (rows.sql_time(now), self.db.user, handoff_id))
        return "Undone: " + "; ".join(done[:3]) + (f" and {len(done) - 3} more"
                                                   if len(done) > 3 else "")


def _undo_one(history: History, session: Session, raw: Raw, handoff_id: str,
              change_id: str, event: tuple, now: datetime, bumped: set[str]) -> str:
    rowid, table, row_id, field, old, new = event
    columns = rows.table_columns(raw, table)
    if not columns:
        raise UndoError(f"Cannot undo: this database keeps no {table} rows.")
    row = rows.fetch(raw, table, row_id)
    subject = quoted(rows.label_of(table, row or rows.from_json(old) or rows.from_json(new)))

    def log(name: str, before: str | None, after: str | None) -> None:
        history.log(session, handoff_id, table, row_id, name, before, after, now,
                    undoes=change_id)

    if field == "created":
        if table == rows.HANDOFF:
            raise UndoError("Your last change here was creating this handoff; to remove it, "
                            "delete it from the list of handoffs.")
        if row is None:
            return f"{subject} is already gone"
        _refuse_if_moved_on(raw, history.db.user, row_id, None, rowid, subject)
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
    _refuse_if_moved_on(raw, history.db.user, row_id, field, rowid, subject)
    if not rows.same(row[field], new, columns[field]):
        raise UndoError(f"Not undone: the {field} of {subject} changed since (it is now "
                        f"{show_value(field, rows.as_text(row[field]))}).")
    at_column, by_column = rows.stamp_columns(columns)
    values: rows.Row = {field: rows.coerce(columns[field], old), at_column: rows.sql_time(now),
                        by_column: history.db.user}
    if "version" in columns and row_id not in bumped:
        values["version"] = (row.get("version") or 0) + 1
        bumped.add(row_id)
    rows.update(raw, table, row_id, values)
    log(field, rows.as_text(row[field]), old)
    return f"{field} of {subject} back to {show_value(field, old)}"


def _refuse_if_moved_on(raw: Raw, me: str, row_id: str, field: str | None,
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


def read_entries(conn: Raw, where: str, params: tuple, *, limit: int = -1,
                 newest_first: bool = True) -> list[HistoryEntry]:
    """Events matching ``where``, with what people call each row, on any connection
    (the store's quick one, or a session's, so an export reads one snapshot)."""
    order = "DESC" if newest_first else "ASC"
    found = conn.execute(f"SELECT {_COLUMNS} FROM event WHERE {where} "
                         f"ORDER BY at {order}, rowid {order}{dialect.limit(limit)}",
                         params).fetchall()
    subjects = _subjects(conn, {(row[4], row[5]) for row in found}, found)
    return [HistoryEntry(id=row[0], change_id=row[1], undoes=row[2], handoff_id=row[3],
                         entity=row[4], entity_id=row[5], field=row[6], old=row[7],
                         new=row[8], actor=row[9], at=rows.read_time(row[10]),
                         subject=subjects.get(row[5], row[4])) for row in found]


def _subjects(conn: Raw, wanted: set[tuple[str, str]], found: list[tuple]
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
