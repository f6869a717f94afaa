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
    store.handoffs.create("Acme", "A", "B")
    store.close()
    before = path.read_bytes()
    # os.access is what tells a read-only file or folder (root may write anyway, so fake it)
    monkeypatch.setattr("transfer_tui.store.connection.os.access", lambda *_a, **_k: False)
    store = Store(path, "me")
    assert store.readonly
    assert [s.account for s in store.handoffs.summaries()] == ["Acme"]
    with pytest.raises(ReadOnlyError):
        store.handoffs.create("Other", "A", "B")
    task = store.handoffs.checklist(store.handoffs.summaries()[0].id).tasks[0]
    with pytest.raises(ReadOnlyError):
        store.tasks.update(task.id, status="done")
    store.close()
    assert path.read_bytes() == before


def _filled(path: Path) -> Path:
    """A real database with a few handoffs in it, closed."""
    from tests.conftest import TODAY
    from transfer_tui.demo import load_demo

    store = Store(path, "me")
    load_demo(store, today=TODAY)
    store.close()
    return path


def test_corrupt_database_with_a_valid_header_is_refused(tmp_path: Path) -> None:
    path = _filled(tmp_path / "handoffs.db")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 40 * page
    for number in (20, 21, 30):  # pages in the middle: tasks and events
        data[number * page:(number + 1) * page] = bytes((i * 7 + 3) % 251 for i in range(page))
    path.write_bytes(bytes(data))
    message = _refused(path)
    assert "damaged" in message and "transfer-tui check" in message


def test_database_cut_short_is_refused(tmp_path: Path) -> None:
    path = _filled(tmp_path / "handoffs.db")
    path.write_bytes(path.read_bytes()[: 10 * 4096 + 100])
    assert "cut short" in _refused(path)


def test_database_from_a_newer_transfer_tui_is_refused(tmp_path: Path) -> None:
    from transfer_tui.store.migrations import LATEST

    path = _filled(tmp_path / "handoffs.db")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    message = _refused(path)
    assert "newer transfer-tui" in message and f"schema {LATEST + 1}" in message


def test_database_marked_by_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE handoff (id)")
    conn.commit()
    conn.close()
    assert "another program" in _refused(path)


def test_header_only_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(84)) + b"\x00" * 4000)
    assert "damaged" in _refused(path)


def test_wal_file_is_switched_back_to_the_rollback_journal(tmp_path: Path) -> None:
    path = _filled(tmp_path / "handoffs.db")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    store = Store(path, "me")
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_read_only_folder_opens_read_only(tmp_path: Path, monkeypatch) -> None:
    path = _filled(tmp_path / "handoffs.db")
    folder = str(tmp_path)
    real_access = __import__("os").access

    def access(target, mode, *args, **kwargs):  # root may write anywhere: fake the folder
        return False if str(target) == folder else real_access(target, mode)

    monkeypatch.setattr("transfer_tui.store.connection.os.access", access)
    before = path.read_bytes()
    store = Store(path, "me")
    assert store.readonly
    with pytest.raises(ReadOnlyError):
        store.history.undo_last(store.handoffs.summaries()[0].id)
    store.close()
    assert path.read_bytes() == before


def test_an_empty_file_is_not_called_missing(tmp_path: Path) -> None:
    path = tmp_path / "handoffs.db"
    path.write_bytes(b"")
    with pytest.raises(DatabaseFileError) as caught:
        Store(path, "me", create=False)  # list, export, sign-off...
    assert "empty file" in str(caught.value) and "does not exist" not in str(caught.value)
    assert path.read_bytes() == b""
    Store(path, "me").close()  # a command that saves makes it a database
    assert path.stat().st_size > 0


def test_links_that_lead_nowhere_say_so(tmp_path: Path) -> None:
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    for create in (True, False):
        with pytest.raises(DatabaseFileError) as caught:
            Store(loop, "me", create=create)
        assert "symbolic link loop" in str(caught.value)
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "gone" / "x.db")
    with pytest.raises(DatabaseFileError) as caught:
        Store(dangling, "me", create=False)
    assert "symbolic link" in str(caught.value) and "does not exist" in str(caught.value)


def test_an_empty_path_is_refused() -> None:
    with pytest.raises(DatabaseFileError) as caught:
        Store(Path(""), "me")
    assert "no database file given" in str(caught.value)


def foreign_database(path: Path, version: int) -> Path:
    """Another program's SQLite file, with its own user_version (and no application id)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("version", [3, -1, 99])
def test_another_programs_database_with_a_version_gets_no_backup(tmp_path: Path,
                                                                 version: int) -> None:
    """Its user_version made it look like an older transfer-tui file: it was backed up
    (a stray file beside it) before the upgrade failed."""
    path = foreign_database(tmp_path / "theirs.db", version)
    assert "another program" in _refused(path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["theirs.db"]
