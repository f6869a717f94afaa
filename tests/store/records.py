"""A stand-in record table (hazard) made the way record modules make theirs (id,
handoff_id, version, changed_at/by; events per field; created/deleted rows as JSON), to
show that history, undo, share and merge need no code of their own for it."""

from __future__ import annotations

from transfer_tui.store import Store, rows
from transfer_tui.store.database import driver
from transfer_tui.store.models import new_id

RISK_TABLE = """
CREATE TABLE hazard (
    id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    severity TEXT NOT NULL DEFAULT 'low',
    mitigated BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    changed_at TIMESTAMP NOT NULL,
    changed_by TEXT NOT NULL
)
"""


def add_risk_table(store: Store) -> None:
    with store.writing() as session:
        driver(session).execute(RISK_TABLE)


def add_risk(store: Store, handoff_id: str, title: str, severity: str = "low") -> str:
    risk_id = new_id()
    with store.writing() as session:
        raw = driver(session)
        now = store.now()
        rows.insert(raw, "hazard", {"id": risk_id, "handoff_id": handoff_id, "title": title,
                                  "severity": severity, "changed_at": rows.sql_time(now),
                                  "changed_by": store.user})
        store.history.log(session, handoff_id, "hazard", risk_id, "created", None,
                          rows.to_json(rows.fetch(raw, "hazard", risk_id)), now)
    return risk_id


def set_risk(store: Store, risk_id: str, **values: object) -> None:
    with store.writing() as session:
        raw = driver(session)
        row = rows.fetch(raw, "hazard", risk_id)
        now = store.now()
        for field, value in values.items():
            store.history.log(session, row["handoff_id"], "hazard", risk_id, field,
                              rows.as_text(row[field]), rows.as_text(value), now)
        rows.update(raw, "hazard", risk_id, {**values, "version": row["version"] + 1,
                                           "changed_at": rows.sql_time(now),
                                           "changed_by": store.user})


def delete_risk(store: Store, risk_id: str) -> None:
    with store.writing() as session:
        raw = driver(session)
        row = rows.fetch(raw, "hazard", risk_id)
        store.history.log(session, row["handoff_id"], "hazard", risk_id, "deleted",
                          rows.to_json(row), None, store.now())
        rows.delete(raw, "hazard", risk_id)


def risk(store: Store, risk_id: str) -> dict | None:
    found = store.query("SELECT title, severity, mitigated, version FROM hazard WHERE id = ?",
                        (risk_id,))
    return dict(zip(("title", "severity", "mitigated", "version"), found[0], strict=True)
                ) if found else None
