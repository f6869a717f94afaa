"""Build a big handoff database for the benchmark from the demo handoffs.

The demo handoffs are made through the store (so they carry notes, blocked tasks,
records and history exactly as the app writes them), then every table row that
belongs to a handoff is cloned with fresh ids, table by table, whatever the
schema holds. Child rows go in first and handoff rows last, with the template's
counters, so the progress triggers do not count twice.
"""

from __future__ import annotations

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


def build_database(path: Path, handoffs: int) -> dict[str, int]:
    """Write ``handoffs`` handoffs to a new file at ``path``; return row counts per table."""
    path.unlink(missing_ok=True)
    store = Store(path, "Bench", clock=_clock)
    load_demo(store, today=DAY)
    templates = [s.id for s in store.summaries()]
    store.close()

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA synchronous = OFF")
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
