"""A database made by release 0.1.0 (schema 1) opens, is upgraded (with a backup) and keeps
every handoff, task, note and event; records work on it at once."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

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


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "handoffs": conn.execute(
                "SELECT id, account, outgoing, incoming, target_date, mode, tasks_done, "
                "tasks_total, tasks_blocked FROM handoff ORDER BY id").fetchall(),
            "tasks": conn.execute(
                "SELECT id, handoff_id, key, status, owner, note, due_date, record_kind "
                "FROM task ORDER BY id").fetchall(),
            "events": conn.execute("SELECT id, field, old, new FROM event ORDER BY id").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "team.db"
    shutil.copy(FIXTURE, copy)
    return copy


def test_old_database_is_upgraded_and_keeps_every_handoff_and_task(old_db: Path) -> None:
    before = _snapshot(old_db)
    assert (len(before["handoffs"]), len(before["tasks"]), len(before["events"])) == (6, 204, 89)

    store = Store(old_db, "Sam Okafor", clock=fixed_clock)
    assert store.migrated_from == 1
    assert backup_path(old_db, 1).is_file()
    assert store.query("PRAGMA user_version") == [(LATEST,)]
    store.close()

    assert _snapshot(old_db) == before  # every handoff, task, note and event as it was
    assert _snapshot(backup_path(old_db, 1)) == before


def test_upgraded_database_works_with_records(old_db: Path) -> None:
    store = Store(old_db, "Sam Okafor", clock=fixed_clock)
    summaries = {s.account: s for s in store.summaries()}
    globex = summaries["Globex Logistics"]
    assert (globex.done, globex.total, globex.blocked) == (6, 33, 2)  # no promises yet
    assert globex.renewal is None and globex.promises_open == 0
    odd = next(s for name, s in summaries.items() if name.startswith("Zeta [bold]Odd[/]"))
    blocked = next(t for t in store.checklist(odd.id).tasks if t.status == "blocked")
    assert "\n" in blocked.note
    note = next(t.note for t in store.checklist(globex.id).tasks if t.key == "license-state")
    assert note.startswith("Enterprise plan, 250 seats (231 used). 3-year term ends next")

    store.add_record(globex.id, "promise", {"promise": "Quarterly billing from renewal"})
    store.add_record(globex.id, "license", {"plan": "Enterprise", "renewal_date": "2027-01-10"})
    again = next(s for s in store.summaries() if s.id == globex.id)
    assert (again.done, again.total, again.promises_open) == (6, 34, 1)
    assert again.renewal.isoformat() == "2027-01-10"
    store.close()


def test_opening_again_does_not_migrate_twice(old_db: Path) -> None:
    Store(old_db, "Sam Okafor").close()
    store = Store(old_db, "Sam Okafor")
    assert store.migrated_from is None
    store.close()


def test_an_old_files_account_carries_its_records_into_its_next_handoff(old_db: Path) -> None:
    """Release 0.1.0's handoffs are accounts now: a new handoff of one starts with its
    records; the old one keeps its tasks and records; labels and history read back."""
    store = Store(old_db, "Marco Bellini", clock=fixed_clock)
    globex = next(s for s in store.summaries() if s.account == "Globex Logistics")
    store.add_record(globex.id, "license", {"plan": "Enterprise", "renewal_date": "2027-01-10"})
    tasks_before = len(store.checklist(globex.id).tasks)
    again = store.create_handoff("GLOBEX logistics", "Marco Bellini", "Dana Whitfield")
    (license_,) = store.handoff_records(again.id)["license"]
    assert license_.values["plan"] == "Enterprise" and license_.verified_at is None
    assert len(store.checklist(globex.id).tasks) == tasks_before
    assert len(store.handoff_records(globex.id)["license"]) == 1
    old = store.snapshot(globex.id)
    assert (old.outgoing_label, old.incoming_label) == ("Outgoing CSM", "Incoming CSM")
    assert [t.handoff_id for t in store.account_history(again.id)] == [globex.id, again.id]
    store.close()
