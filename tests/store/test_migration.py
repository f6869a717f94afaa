"""A database made by release 0.1.0 (schema 1) opens with every handoff and task there."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.conftest import fixed_clock
from transfer_tui.domain import HandoffState
from transfer_tui.store import Store
from transfer_tui.store.migrations import LATEST, backup_path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def test_release_0_1_0_database_keeps_every_task(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE, path)
    before = sqlite3.connect(path)
    tasks = before.execute("SELECT id, status, note, due_date FROM task ORDER BY id").fetchall()
    handoffs = before.execute("SELECT id, account FROM handoff ORDER BY id").fetchall()
    before.close()
    assert tasks and handoffs

    store = Store(path, "Sam Okafor", clock=fixed_clock)
    assert store.migrated_from == 1
    assert backup_path(path, 1).is_file()
    assert store.query("PRAGMA user_version") == [(LATEST,)]
    assert store.query("SELECT id, status, note, due_date FROM task ORDER BY id") == tasks
    summaries = store.summaries()
    assert sorted((s.id, s.account) for s in summaries) == handoffs
    assert all(s.sign_off is HandoffState.ACTIVE and s.renewal_date is None for s in summaries)
    odd = next(s for s in summaries if s.account.startswith("Zeta"))
    checklist = store.checklist(odd.id)
    assert checklist.tasks[0].status == "blocked"
    assert all(t.due_rule is None for t in checklist.tasks)  # old tasks keep fixed dates
    store.update_task(checklist.tasks[0].id, status="done")  # and still take changes
    store.close()
