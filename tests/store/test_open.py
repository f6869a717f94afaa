"""Opening files: what is not ours is refused in one line and left byte-for-byte alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from transfer_tui.store import DatabaseFileError, ReadOnlyError, Store
from transfer_tui.store.connection import APPLICATION_ID


def _refused(path: Path) -> str:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(DatabaseFileError) as caught:
        Store(path, "me")
    if before is not None:
        assert path.read_bytes() == before
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_new_file_and_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "handoffs.db"
    store = Store(path, "me")
    assert path.is_file()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    store.close()


def test_folder_is_refused(tmp_path: Path) -> None:
    assert "folder" in _refused(tmp_path)


def test_text_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n" * 20)
    assert "not a SQLite database" in _refused(path)


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(bytes(range(256)) * 40)
    assert "not a SQLite database" in _refused(path)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    assert "another program" in _refused(path)


def test_read_only_file_opens_but_refuses_changes(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "handoffs.db"
    store = Store(path, "me")
    store.create_handoff("Acme", "A", "B")
    store.close()
    before = path.read_bytes()
    # os.access is what tells a read-only file or folder (root may write anyway, so fake it)
    monkeypatch.setattr("transfer_tui.store.connection.os.access", lambda *_a, **_k: False)
    store = Store(path, "me")
    assert store.readonly
    assert [s.account for s in store.summaries()] == ["Acme"]
    with pytest.raises(ReadOnlyError):
        store.create_handoff("Other", "A", "B")
    task = store.checklist(store.summaries()[0].id).tasks[0]
    with pytest.raises(ReadOnlyError):
        store.update_task(task.id, status="done")
    store.close()
    assert path.read_bytes() == before
