"""The rollback journal is kept between saves while the file is open (faster saves) and
deleted on close; a kept journal never looks like an unfinished save."""

from __future__ import annotations

import sqlite3

import pytest

from transfer_tui.store import Store


def test_journal_is_kept_while_open_inert_and_gone_after_close(tmp_path) -> None:
    path = tmp_path / "team.db"
    journal = tmp_path / "team.db-journal"
    store = Store(path, "Ann")
    handoff = store.handoffs.create("Acme", "Ann", "Bo")
    task = store.handoffs.checklist(handoff.id).tasks[0]
    store.tasks.update(task.id, status="done")
    assert journal.exists()
    assert journal.read_bytes()[:8] == bytes(8)  # zeroed: not a save to roll back
    other = sqlite3.connect(path)  # a second reader sees the committed change
    assert other.execute("SELECT status FROM task WHERE id = ?", (task.id,)).fetchone() == (
        "done",)
    other.close()
    store.close()
    assert not journal.exists()
    assert Store(path, "Bo").tasks.get(task.id).status == "done"


def test_a_wal_file_is_still_switched_back_not_kept_in_wal(tmp_path) -> None:
    path = tmp_path / "team.db"
    Store(path, "Ann").close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    store = Store(path, "Ann")
    store.handoffs.create("Acme", "Ann", "Bo")
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not (tmp_path / "team.db-wal").exists()


# -- a save cut short: the journal a killed program leaves behind ---------------------------

_HALF_SAVE = """
import sys, time
from transfer_tui.store.connection import connect
conn = connect(sys.argv[1])
conn.execute("PRAGMA cache_size = 2")  # spill: the journal is synced, pages hit the file
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE task SET note = printf('%.*c', 3000, 'x')")
print("mid-save", flush=True)
time.sleep(60)
"""


def left_mid_save(path) -> None:
    """Kill a writer after it has written part of a save to the file: a hot journal."""
    import os
    import signal
    import subprocess
    import sys

    writer = subprocess.Popen([sys.executable, "-c", _HALF_SAVE, str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "mid-save"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    journal = path.with_name(path.name + "-journal")
    assert journal.read_bytes()[:8] == bytes.fromhex("d9d505f920a163d7")  # hot


def _notes(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {note for (note,) in conn.execute("SELECT note FROM task")}
    finally:
        conn.close()


def test_every_reader_rolls_a_killed_save_back_where_the_file_is_writable(tmp_path) -> None:
    """check, backup, share (read-only connections) and a normal open all finish undoing
    the save; before, each said "damaged ... attempt to write a readonly database"."""
    from transfer_tui.store.maintenance import backup, check

    path = tmp_path / "team.db"
    store = Store(path, "Ann")
    handoff_id = store.handoffs.create("Acme", "Ann", "Bo").id
    store.close()
    for open_it in (
        lambda: check(path).ok,
        lambda: backup(path, tmp_path / f"copy-{len(list(tmp_path.iterdir()))}.db").exists(),
        lambda: Store(path, "Ann").sharing.share(handoff_id, tmp_path / "out.db",
                                                 replace=True).rows,
        lambda: Store(path, "Ann", readonly=True).handoffs.summaries()[0].account == "Acme",
        lambda: Store(path, "Ann").handoffs.summaries()[0].account == "Acme",
    ):
        left_mid_save(path)
        assert open_it()
        assert _notes(path) == {""}  # the half save is undone, nothing else changed
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_killed_save_in_a_file_we_may_not_write_says_what_to_do(tmp_path, monkeypatch
                                                                    ) -> None:
    from transfer_tui.store import DatabaseFileError
    from transfer_tui.store.maintenance import check

    path = tmp_path / "team.db"
    Store(path, "Ann").handoffs.create("Acme", "Ann", "Bo")
    left_mid_save(path)
    before = path.read_bytes()
    # root may write anywhere: fake a file and folder we may not write
    monkeypatch.setattr("transfer_tui.store.connection.os.access", lambda *_a, **_k: False)
    for open_it in (lambda: Store(path, "Ann"), lambda: check(path)):
        with pytest.raises(DatabaseFileError) as refused:
            open_it()
        message = str(refused.value)
        assert "middle of a save" in message and "write access" in message
        assert "damaged" not in message and "\n" not in message
    assert path.read_bytes() == before
