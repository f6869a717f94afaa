"""Rows of any table, read and written generically, in plain SQL.

History, undo, share and merge work on every table that belongs to a handoff
(the handoff itself, its tasks, and any record table) without knowing its
columns: such a table has ``id``, ``handoff_id`` (the handoff table: its own
``id``), ``version`` and when/who-changed stamps. Values stay exactly as SQLite
stores them, so a row written out as JSON and read back is the same row.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from transfer_tui.records.kinds import KINDS
from transfer_tui.store.engines.raw import Raw, is_server

EVENT = "event"
HANDOFF = "handoff"
# Columns that describe a row rather than hold what people wrote in it.
META = frozenset({"id", "handoff_id", "version", "changed_at", "changed_by", "updated_at",
                  "updated_by", "created_at", "created_by"})
# Figures kept up to date by triggers: never merged or undone, counted again instead.
DERIVED = {HANDOFF: frozenset({"tasks_total", "tasks_done", "tasks_blocked", "promises_total",
                               "promises_fulfilled"})}
LABEL_COLUMNS = ("title", "name", "account", "label", "summary", "kind")
# Record tables name their rows by their kind's title field (a license by its plan...).
RECORD_LABELS = {kind.key: kind.title_field for kind in KINDS}

Row = dict[str, Any]


def sql_time(at: datetime) -> str:
    """A time as the models store it: UTC, without an offset, to the microsecond."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(sep=" ", timespec="microseconds")


def read_time(text: str) -> datetime:
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(conn: Raw, table: str) -> dict[str, str]:
    """Column name -> declared type, in table order; empty when there is no such table.
    A server's ``rowid`` (its stand-in for SQLite's own) is not one of them."""
    if is_server(conn):
        return dict(_server_columns(conn, table))
    return {row[1]: (row[2] or "").upper()
            for row in conn.execute(f"PRAGMA table_info({quote(table)})")}


_SERVER_COLUMNS = """
SELECT attname, upper(format_type(atttypid, atttypmod)) FROM pg_attribute
WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped AND attname <> 'rowid'
ORDER BY attnum
"""
_SERVER_TABLES = """
SELECT c.relname, coalesce((SELECT string_agg(p.relname, ' ') FROM pg_constraint AS k
    JOIN pg_class AS p ON p.oid = k.confrelid WHERE k.conrelid = c.oid AND k.contype = 'f'),
    '')
FROM pg_class AS c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
ORDER BY c.relname
"""
_server_cache: dict[tuple[object, str], tuple[tuple[str, str], ...]] = {}


def _server_columns(conn: Raw, table: str) -> tuple[tuple[str, str], ...]:
    """A server table's columns, asked once per database (the schema is fixed while the
    app runs: changing it is an upgrade, which needs a restart)."""
    key = (_database_key(conn), table)
    found = _server_cache.get(key)
    if found is None:
        found = tuple((name, kind) for name, kind in conn.execute(_SERVER_COLUMNS,
                                                                   (quote(table),)))
        if found:  # a table not made yet may be made later
            _server_cache[key] = found
    return found


def _database_key(conn: Raw) -> object:
    info = conn.conn.info  # type: ignore[union-attr]
    return (info.host, info.port, info.dbname, id(type(conn)))


def stamp_columns(columns: dict[str, str] | list[str]) -> tuple[str, str]:
    """When and who last changed a row: ``changed_*``, or ``updated_*`` on the handoff."""
    if "changed_at" in columns:
        return "changed_at", "changed_by"
    return "updated_at", "updated_by"


def handoff_tables(conn: Raw) -> list[str]:
    """The handoff table and every table with a ``handoff_id``, parents before children."""
    if is_server(conn):
        found = {name: set(refs.split()) for name, refs in conn.execute(_SERVER_TABLES)}
        names = sorted(found)
    else:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
    tables = [n for n in names if n == HANDOFF or (n != EVENT and "handoff_id" in
                                                   table_columns(conn, n))]
    if is_server(conn):
        parents = {t: found[t] for t in tables}
    else:
        parents = {t: {row[2] for row in conn.execute(f"PRAGMA foreign_key_list({quote(t)})")}
                   for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered
                 and parents[t] - {t} <= set(ordered) | (parents[t] - set(tables))]
        ordered.extend(ready or [t for t in tables if t not in ordered])
    return ordered


def owner_column(table: str) -> str:
    return "id" if table == HANDOFF else "handoff_id"


def _dicts(cursor: Any) -> list[Row]:
    names = [d[0] for d in cursor.description]
    found = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    if "rowid" in names:  # a server's insertion order: not part of the row
        for row in found:
            del row["rowid"]
    return found


def fetch(conn: Raw, table: str, row_id: str) -> Row | None:
    found = _dicts(conn.execute(f"SELECT * FROM {quote(table)} WHERE id = ?", (row_id,)))
    return found[0] if found else None


def rows_of(conn: Raw, table: str, handoff_id: str) -> list[Row]:
    sql = f"SELECT * FROM {quote(table)} WHERE {owner_column(table)} = ?"
    if "position" in table_columns(conn, table):
        sql += " ORDER BY position"
    return _dicts(conn.execute(sql, (handoff_id,)))


def events_of(conn: Raw, handoff_id: str) -> list[Row]:
    return _dicts(conn.execute(
        "SELECT * FROM event WHERE handoff_id = ? ORDER BY at, rowid", (handoff_id,)))


def to_json(row: Row) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def from_json(text: str | None) -> Row | None:
    """A row logged with a created/deleted event; None for older plain-text events."""
    try:
        value = json.loads(text or "")
    except (ValueError, RecursionError):  # nested beyond reason: not ours
        return None
    return value if isinstance(value, dict) and "id" in value else None


def insert(conn: Raw, table: str, row: Row) -> None:
    columns = table_columns(conn, table)
    names = [n for n in row if n in columns]
    conn.execute(
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join('?' for _ in names)})",
        [row[n] for n in names],
    )


def update(conn: Raw, table: str, row_id: str, values: Row) -> None:
    if not values:
        return
    sets = ", ".join(f"{quote(name)} = ?" for name in values)
    conn.execute(f"UPDATE {quote(table)} SET {sets} WHERE id = ?", [*values.values(), row_id])


def delete(conn: Raw, table: str, row_id: str) -> None:
    conn.execute(f"DELETE FROM {quote(table)} WHERE id = ?", (row_id,))


def as_text(value: object) -> str | None:
    """A stored value as an event holds it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return sql_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def coerce(declared: str, text: str | None) -> object:
    """An event's text back into what the column stores (undo writes it back)."""
    if text is None:
        return None
    if "BOOL" in declared:
        return 1 if text.strip().lower() in ("1", "true", "yes") else 0  # 0/1 on both
    if "DATETIME" in declared or "TIMESTAMP" in declared:
        try:
            return sql_time(datetime.fromisoformat(text))
        except ValueError:
            return text
    return text  # SQLite's column affinity turns '250' into 250 in an INTEGER column


def same(stored: object, text: str | None, declared: str) -> bool:
    """Whether a stored value is the one an event's text describes."""
    return stored == coerce(declared, text) or as_text(stored) == text


def label_of(table: str, row: Row | None) -> str:
    """What people call a row: its title, name or account; else the kind of row."""
    if row:
        own = row.get(RECORD_LABELS.get(table, ""))
        if own is not None and str(own).strip():
            return str(own)
        for column in LABEL_COLUMNS:
            value = row.get(column)
            if isinstance(value, str) and value.strip():
                return value
    return table.replace("_", " ")


def recount(conn: Raw, handoff_id: str) -> None:
    """Count a handoff's tasks and promises again (after rows were copied in wholesale).

    Written only when a figure moved: the counters are in the home screen's index,
    and a merge that brings nothing new must leave the file byte for byte as it was.
    """
    figures = {
        "tasks_total": "SELECT count(*) FROM task WHERE handoff_id = :h AND status != 'na'",
        "tasks_done": "SELECT count(*) FROM task WHERE handoff_id = :h AND status = 'done'",
        "tasks_blocked": "SELECT count(*) FROM task WHERE handoff_id = :h "
                         "AND status = 'blocked'",
    }
    if table_columns(conn, "promise"):  # promises count as work too
        figures["promises_total"] = "SELECT count(*) FROM promise WHERE handoff_id = :h"
        figures["promises_fulfilled"] = ("SELECT count(*) FROM promise WHERE handoff_id = :h "
                                         "AND status = 'fulfilled'")
    counted = {name: conn.execute(sql, {"h": handoff_id}).fetchone()[0]
               for name, sql in figures.items()}
    stored = fetch(conn, HANDOFF, handoff_id) or {}
    moved = {name: value for name, value in counted.items() if stored.get(name) != value}
    if stored and moved:
        update(conn, HANDOFF, handoff_id, moved)
