"""backup and check: a consistent copy while someone saves, and an honest report."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from transfer_tui.store import DatabaseFileError, Store, StoreError
from transfer_tui.store.maintenance import backup, check

pytestmark = pytest.mark.file_only  # backup and check look after a file

_WRITER = """
import sys
from pathlib import Path
from transfer_tui.store import Store
store = Store(Path(sys.argv[1]), "writer")
ids = sys.argv[2].split(",")
number = 0
while True:
    task = store.get_task(ids[number % len(ids)])
    store.update_task(task.id, status="todo" if task.status == "done" else "done",
                      note=task.note + "x" * 500)
    print(number, flush=True)
    number += 1
"""


def _consistent(path: Path) -> None:
    """Counters kept by triggers match the tasks; every task version has its events."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for done, counted in conn.execute(
            "SELECT tasks_done, (SELECT count(*) FROM task WHERE handoff_id = handoff.id "
            "AND status = 'done') FROM handoff"):
        assert done == counted
    for version, changes in conn.execute(
            "SELECT version, (SELECT count(DISTINCT change_id) FROM event WHERE entity_id = "
            "task.id AND field != 'created') FROM task"):
        assert version == 1 + changes
    conn.close()


def test_backup_while_another_program_saves(tmp_path: Path) -> None:
    path = tmp_path / "handoffs.db"
    store = Store(path, "setup")
    handoff = store.create_handoff("Acme", "A", "B")
    ids = [t.id for t in store.checklist(handoff.id).tasks][:6]
    store.close()
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), ",".join(ids)],
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    copies = []
    try:
        for number in range(3):
            for _ in range(15):
                writer.stdout.readline()  # it is busy saving
            copies.append(backup(path, tmp_path / f"copy-{number}.db"))
    finally:
        writer.kill()
        writer.wait()
    for copy in copies:
        _consistent(copy)
        opened = Store(copy, "me")
        assert opened.summaries()[0].account == "Acme"
        opened.close()
    assert check(copies[-1]).ok


def test_backup_default_name_and_no_overwrite(tmp_path: Path, store: Store) -> None:
    store.create_handoff("Acme", "A", "B")
    made = backup(store.path)
    assert made.parent == store.path.parent and made.name.startswith("handoffs-backup-")
    with pytest.raises(StoreError, match="already exists"):
        backup(store.path, made)


def test_backup_refuses_what_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(DatabaseFileError):
        backup(path, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_check_reports_counts_and_version(store: Store) -> None:
    handoff = store.create_handoff("Acme", "A", "B")
    store.update_task(store.checklist(handoff.id).tasks[0].id, status="done")
    report = check(store.path)
    assert report.ok and report.schema == report.latest
    from transfer_tui.records import KINDS

    assert report.counts == {"handoff": 1, "task": 38, "event": 40,
                             **{kind.key: 0 for kind in KINDS}}


def test_check_finds_damage(tmp_path: Path, store: Store) -> None:
    from tests.conftest import TODAY
    from transfer_tui.demo import load_demo

    load_demo(store, today=TODAY)
    (page,) = store.query("SELECT rootpage FROM sqlite_schema WHERE name = 'task'")[0]
    store.close()
    data = bytearray(store.path.read_bytes())
    start = (page - 1) * 4096  # the task table's own page, past its header: rows are lost
    data[start + 1000: start + 4096] = b"\xff" * 3096
    store.path.write_bytes(bytes(data))
    report = check(store.path)
    assert not report.ok
    assert all("\n" not in problem for problem in report.problems)


@pytest.mark.parametrize("version", [0, 3, -1])
def test_check_fails_on_another_programs_database(tmp_path: Path, capsys, version) -> None:
    from tests.store.test_open import foreign_database
    from transfer_tui.cli import main

    path = foreign_database(tmp_path / "theirs.db", version)
    assert main(["--db", str(path), "check"]) == 1
    assert "another program" in capsys.readouterr().out


def test_check_fails_on_empty_files(tmp_path: Path, capsys) -> None:
    """A 0-byte file, and an empty SQLite file that carries only our application id."""
    from transfer_tui.cli import main
    from transfer_tui.store.connection import APPLICATION_ID

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert main(["--db", str(empty), "check"]) == 1
    assert "empty file" in capsys.readouterr().err
    marked = tmp_path / "marked.db"
    conn = sqlite3.connect(marked)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    conn.close()
    assert main(["--db", str(marked), "check"]) == 1
    assert "holds no transfer-tui data" in capsys.readouterr().out
