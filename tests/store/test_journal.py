"""The rollback journal is kept between saves while the file is open (faster saves) and
deleted on close; a kept journal never looks like an unfinished save."""

from __future__ import annotations

import sqlite3

from transfer_tui.store import Store


def test_journal_is_kept_while_open_inert_and_gone_after_close(tmp_path) -> None:
    path = tmp_path / "team.db"
    journal = tmp_path / "team.db-journal"
    store = Store(path, "Ann")
    handoff = store.create_handoff("Acme", "Ann", "Bo")
    task = store.checklist(handoff.id).tasks[0]
    store.update_task(task.id, status="done")
    assert journal.exists()
    assert journal.read_bytes()[:8] == bytes(8)  # zeroed: not a save to roll back
    other = sqlite3.connect(path)  # a second reader sees the committed change
    assert other.execute("SELECT status FROM task WHERE id = ?", (task.id,)).fetchone() == (
        "done",)
    other.close()
    store.close()
    assert not journal.exists()
    assert Store(path, "Bo").get_task(task.id).status == "done"


def test_a_wal_file_is_still_switched_back_not_kept_in_wal(tmp_path) -> None:
    path = tmp_path / "team.db"
    Store(path, "Ann").close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    store = Store(path, "Ann")
    store.create_handoff("Acme", "Ann", "Bo")
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not (tmp_path / "team.db-wal").exists()
