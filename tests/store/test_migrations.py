"""Upgrading a file made by an older transfer-tui: a backup first, all or nothing."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from transfer_tui.store import Store, StoreError, migrations

FIXTURE = Path(__file__).parent.parent / "fixtures" / "release-0.1.0.db"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "handoffs.db"
    shutil.copy(FIXTURE, path)
    return path


def _counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("handoff", "task", "event"))
    finally:
        conn.close()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [*conn.iterdump(), str(conn.execute("PRAGMA user_version").fetchone())]
    finally:
        conn.close()


def test_release_0_1_0_file_is_upgraded_with_everything_kept(old_file: Path) -> None:
    before = _dump(old_file)
    counts = _counts(old_file)
    store = Store(old_file, "me")
    assert store.migrated_from == 1
    assert store.query("PRAGMA user_version") == [(migrations.LATEST,)]
    assert _counts(old_file) == counts
    odd = next(s for s in store.handoffs.summaries() if s.account.startswith("Zeta"))
    checklist = store.handoffs.checklist(odd.id)
    assert checklist.tasks[0].state.value == "blocked"
    assert "\n" in checklist.tasks[0].note
    # the copy written before upgrading holds the file as it was
    assert _dump(migrations.backup_path(old_file, 1)) == before
    # old events are grouped into changes, so undo and history work on them too
    assert store.query("SELECT count(*) FROM event WHERE change_id IS NULL") == [(0,)]
    history = store.history.of(checklist.tasks[0].id)
    assert sorted(e.field for e in history) == ["note", "status"]
    assert len({e.change_id for e in history}) == 1  # saved by one call in 0.1.0
    store.user = "Sam Okafor"
    assert "back to" in store.history.undo_last(odd.id)
    task = store.tasks.get(checklist.tasks[0].id)
    assert (task.status, task.note) == ("todo", "")
    store.close()


def test_a_failed_upgrade_leaves_the_file_byte_for_byte(old_file: Path, monkeypatch) -> None:
    steps = [*migrations.STEPS, ("a step that fails", "CREATE TABLE extra (x);\n"
                                 "CREATE TABLE handoff (x);\n")]
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "LATEST", len(steps))
    before = old_file.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(old_file, "me")
    assert "left as it was" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert old_file.read_bytes() == before
    assert not old_file.with_name(old_file.name + "-journal").exists()
    assert _dump(migrations.backup_path(old_file, 1)) == _dump(FIXTURE)
    monkeypatch.undo()
    store = Store(old_file, "me")  # the real upgrade still works afterwards
    assert store.query("PRAGMA user_version") == [(migrations.LATEST,)]
    store.close()


def test_two_programs_opening_an_old_file_at_once_both_get_in(old_file: Path) -> None:
    opened: list[Store] = []
    failures: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Store(old_file, "me"))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(opened) == 3
    assert _counts(old_file)[1] == 204
    for store in opened:
        store.close()
