"""Build a big handoff database for the benchmark from the demo handoffs.

The demo handoffs are made through the store (so they carry notes, blocked tasks,
records and history exactly as the app writes them); each gets a seventh-of-a-playbook
more (a "Renewal readiness" section of 6 tasks, as a team's own playbook would add),
so a handoff has 40 tasks. Then every table row that belongs to a handoff is cloned
with fresh ids, table by table, whatever the schema holds. Child rows go in first
and handoff rows last, with the template's counters, so the progress triggers do
not count twice.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from transfer_tui.demo import load_demo
from transfer_tui.store import Store

DAY = date(2026, 11, 25)


def _clock() -> datetime:
    return datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: [r[1] for r in conn.execute(f"PRAGMA table_info({name})")] for name in names}


EXTRA_TASKS = 6


def _add_tasks(conn: sqlite3.Connection, handoff_id: str) -> None:
    """Six more tasks (copies of the first six, in a section of their own), each with the
    "created" event the store would have written."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(task)")]
    found = conn.execute("SELECT * FROM task WHERE handoff_id = ? ORDER BY position",
                         (handoff_id,)).fetchall()
    last = found[-1][cols.index("position")]
    for number, row in enumerate(found[:EXTRA_TASKS], start=1):
        task = dict(zip(cols, row, strict=True))
        task.update(id=uuid.uuid4().hex, position=last + number, section_key="renewal-ready",
                    section_title="Renewal readiness", key=f"{task['key']}-renewal",
                    status="todo", note="", version=1)
        conn.execute(f"INSERT INTO task ({', '.join(task)}) VALUES "
                     f"({', '.join('?' * len(task))})", list(task.values()))
        conn.execute("INSERT INTO event (id, change_id, handoff_id, entity, entity_id, field, "
                     "new, actor, at) VALUES (?, ?, ?, 'task', ?, 'created', ?, ?, ?)",
                     (uuid.uuid4().hex, uuid.uuid4().hex, handoff_id, task["id"],
                      json.dumps(task), task["changed_by"], task["changed_at"]))


def build_database(path: Path, handoffs: int) -> dict[str, int]:
    """Write ``handoffs`` handoffs to a new file at ``path``; return row counts per table."""
    path.unlink(missing_ok=True)
    store = Store(path, "Bench", clock=_clock)
    load_demo(store, today=DAY)
    templates = [s.id for s in store.handoffs.summaries()]
    store.close()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for template in templates:
        _add_tasks(conn, template)
    conn.execute("COMMIT")
    tables = _tables(conn)
    owned = {t: cols for t, cols in tables.items() if "handoff_id" in cols}
    rows = {
        (table, template): conn.execute(
            f"SELECT * FROM {table} WHERE handoff_id = ?", (template,)).fetchall()
        for table in owned for template in templates
    }
    handoff_cols = tables["handoff"]
    handoff_rows = {t: conn.execute("SELECT * FROM handoff WHERE id = ?", (t,)).fetchone()
                    for t in templates}
    conn.execute("BEGIN")
    for number in range(handoffs - len(templates)):
        template = templates[number % len(templates)]
        new_handoff = uuid.uuid4().hex
        ids = {template: new_handoff}
        for table, cols in owned.items():
            id_at, owner_at = cols.index("id"), cols.index("handoff_id")
            entity_at = cols.index("entity_id") if "entity_id" in cols else None
            batch = []
            for row in rows[(table, template)]:
                values = list(row)
                values[id_at] = ids.setdefault(row[id_at], uuid.uuid4().hex)
                values[owner_at] = new_handoff
                if entity_at is not None:
                    values[entity_at] = ids.setdefault(row[entity_at], uuid.uuid4().hex)
                batch.append(values)
            marks = ", ".join("?" * len(cols))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", batch)
        values = list(handoff_rows[template])
        values[handoff_cols.index("id")] = new_handoff
        values[handoff_cols.index("account")] = f"{values[handoff_cols.index('account')]} {number}"
        conn.execute(f"INSERT INTO handoff VALUES ({', '.join('?' * len(values))})", values)
    conn.execute("COMMIT")
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    return counts
