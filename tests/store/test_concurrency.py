"""Two writers on one file, and a writer killed mid-save: nothing is lost, nothing is
silently overwritten, and the file stays whole."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from transfer_tui.store import BusyError, ConflictError, Store, StoreError

CHANGES = 500


def _edit(path: str, who: str, shared: list[str], own: list[str], start, out: str) -> None:
    """CHANGES changes, every other one to a task the other process edits too.

    Each change appends a token to the task's note, saved against the version
    that was read. On a conflict the person "applies theirs": reads again and
    saves once more. Every attempt is logged: (task, version read, outcome, token).
    """
    store = Store(Path(path), who)
    log = []
    start.wait()
    for number in range(CHANGES):
        task_id = shared[number % len(shared)] if number % 2 == 0 else own[number % len(own)]
        token = f"{who}-{number}"
        while True:
            task = store.tasks.get(task_id)
            try:
                store.tasks.update(task_id, expected_version=task.version,
                                   note=f"{task.note}{token}\n")
            except ConflictError as exc:
                assert exc.by != who and exc.version > task.version
                log.append((task_id, task.version, "conflict", token))
                continue
            log.append((task_id, task.version, "saved", token))
            break
    store.close()
    Path(out).write_text(json.dumps(log))


def test_two_processes_500_changes_each_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = Store(path, "setup")
    handoff = store.handoffs.create("Acme", "A", "B")
    ids = [t.id for t in store.handoffs.checklist(handoff.id).tasks]
    store.close()
    shared, own = {"A": ids[4:6], "B": ids[4:6]}, {"A": ids[10:13], "B": ids[20:23]}
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [context.Process(target=_edit, args=(str(path), who, shared[who], own[who], start,
                                                   str(tmp_path / f"{who}.json")))
               for who in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0, 0]  # zero crashes
    attempts = [entry for who in ("A", "B")
                for entry in json.loads((tmp_path / f"{who}.json").read_text())]

    store = Store(path, "check")
    saved_tokens = {}
    for task in store.handoffs.checklist(handoff.id).tasks:
        saved_tokens[task.id] = task.note.splitlines()
    expected = {}
    for task_id, _version, outcome, token in attempts:
        if outcome == "saved":
            expected.setdefault(task_id, []).append(token)
    # zero lost changes: every saved token is in its note exactly once, nothing else is
    assert sum(len(v) for v in expected.values()) == 2 * CHANGES
    for task_id, tokens in expected.items():
        assert sorted(saved_tokens[task_id]) == sorted(tokens)
    # the n-th note change of a task took it from version n to n + 1: a save made on a
    # version someone else had already moved on from would show up here
    made = {}
    for entity_id, new in store.query("SELECT entity_id, new FROM event WHERE field = 'note' "
                                      "ORDER BY rowid"):
        made.setdefault(entity_id, []).append(new.splitlines()[-1])
    conflicts = 0
    for task_id, version, outcome, token in attempts:
        writer = made[task_id][version - 1]
        if outcome == "saved":
            assert writer == token
        else:  # every conflict reported was real: the other process saved that version
            assert writer.split("-")[0] != token.split("-")[0]
            conflicts += 1
    assert conflicts > 0  # both really wrote to the same tasks at the same time
    assert store.query("PRAGMA integrity_check") == [("ok",)]
    store.close()


_KILLED_WRITER = """
import sys
from pathlib import Path
from transfer_tui.store import Store
store = Store(Path(sys.argv[1]), "writer")
ids = sys.argv[2].split(",")
filler = "x" * 30000
number = 0
while True:
    task_id = ids[number % len(ids)]
    token = f"token-{number}"
    store.tasks.update(task_id, note=f"{token}\\n{filler}{number}")
    print(task_id, token, flush=True)
    number += 1
"""


def test_killed_mid_save_keeps_every_reported_change(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = Store(path, "setup")
    handoff = store.handoffs.create("Acme", "A", "B")
    ids = [t.id for t in store.handoffs.checklist(handoff.id).tasks][:8]
    store.close()
    reported: dict[str, str] = {}
    for rounds in (40, 70):  # killed twice, each time at some point of a save
        writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(path),
                                   ",".join(ids)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None
        for _ in range(rounds):
            task_id, token = writer.stdout.readline().split()
            reported[task_id] = token
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL
        store = Store(path, "check")  # opening rolls back any save cut short
        assert store.query("PRAGMA integrity_check") == [("ok",)]
        for task_id, token in reported.items():
            # the last reported token of each task, or a later one saved after it
            first_line = store.tasks.get(task_id).note.splitlines()[0]
            assert int(first_line.split("-")[1]) >= int(token.split("-")[1])
        store.close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()


@pytest.mark.file_only
def test_a_file_held_too_long_is_one_clear_message(store: Store, monkeypatch) -> None:
    """Wait (busy timeout), retry, then say so: never a "database is locked" crash."""
    monkeypatch.setattr("transfer_tui.store.connection.BUSY_TIMEOUT_MS", 50)
    handoff = store.handoffs.create("Acme", "A", "B")
    task = store.handoffs.checklist(handoff.id).tasks[0]
    store.close()
    busy_store = Store(store.path, "me")  # its connections wait 50 ms, not 5 s
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program keeps the file to itself
    try:
        with pytest.raises(BusyError) as caught:
            busy_store.tasks.update(task.id, status="done")
        assert "busy" in str(caught.value) and "nothing was changed" in str(caught.value)
        with pytest.raises(StoreError):
            busy_store.handoffs.summaries()
        with pytest.raises(StoreError):
            busy_store.changed_elsewhere()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy_store.tasks.update(task.id, status="done").status == "done"  # then it works
    busy_store.close()


@pytest.mark.file_only
def test_the_file_watch_waits_only_a_moment(store: Store, monkeypatch) -> None:
    """Polled every second by the screens: it must not wait the busy timeout each time."""
    from transfer_tui.store import database

    seen = []
    real = database.Database.data_version

    def data_version(self):
        seen.append(self._conn.execute("PRAGMA busy_timeout").fetchone()[0])
        return real(self)

    monkeypatch.setattr(database.Database, "data_version", data_version)
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(BusyError):
            store.changed_elsewhere()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert seen == [database.POLL_WAIT_MS]
    assert store.query("PRAGMA busy_timeout") == [(5000,)]  # the other calls still wait
    assert store.changed_elsewhere() is False


@pytest.mark.file_only
def test_a_busy_file_is_busy_never_damaged_wherever_it_is_opened(store: Store, capsys,
                                                                 monkeypatch) -> None:
    """During a colleague's long save (an import's copy), opening said "damaged or not a
    database (database is locked)"."""
    from transfer_tui.cli import main
    from transfer_tui.store.maintenance import backup, check

    monkeypatch.setattr("transfer_tui.store.connection.BUSY_TIMEOUT_MS", 50)
    handoff = store.handoffs.create("Acme", "A", "B")
    store.close()
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # what a writer holds once its cache spills
    try:
        for open_it in (lambda: Store(store.path, "me"),
                        lambda: Store(store.path, "me", readonly=True),
                        lambda: check(store.path),
                        lambda: backup(store.path, store.path.with_name("copy.db"))):
            with pytest.raises(BusyError) as caught:
                open_it()
            assert "busy" in str(caught.value) and "damaged" not in str(caught.value)
        for args in (["list"], ["check"], ["export", handoff.id], ["new", "X", "--from", "A",
                                                                    "--to", "B"]):
            assert main(["--db", str(store.path), *args]) == 1
            err = capsys.readouterr().err
            assert "busy" in err and "damaged" not in err and err.count("\n") == 1
        opened = Store(store.path.with_name("other.db"), "me")  # the app's check after paint
        opened.path = store.path
        with pytest.raises(BusyError):
            opened.verify()  # said "looks damaged (database is locked)"
        opened.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Store(store.path, "me").handoffs.summaries()[0].account == "Acme"
