"""Writers killed at random points, many times over (SIGKILL, SIGTERM, SIGHUP): after each
kill, every command opens the file, nothing a writer reported saved is lost, and what it
did not finish is not there at all (an import and the demo are all or nothing).

Real processes, real signals: a save cut short leaves a "hot" journal that the next
opener must roll back (see store/connection.py). About half a minute in all.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transfer_tui.cli import main
from transfer_tui.demo import HANDOFFS
from transfer_tui.store import Store

ROUNDS = 18
IMPORT_ROWS = 40
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGHUP)

_TASK_WRITER = """
import sys
from pathlib import Path
from transfer_tui.store import Store
store = Store(Path(sys.argv[1]), "writer")
ids = sys.argv[2].split(",")
number = int(sys.argv[3])
while True:
    task_id = ids[number % len(ids)]
    store.tasks.update(task_id, note=f"token-{number}\\n" + "x" * 90000)
    print(task_id, number, flush=True)
    number += 1
"""


def _cli(*args: str) -> int:
    return main(list(args))


def _every_command_opens(path: Path, work: Path, number: int, capsys) -> dict:
    """list, list --json, check, backup, new, export (one and --all) and the store itself."""
    db = ["--db", str(path)]
    assert _cli(*db, "check") == 0, capsys.readouterr()
    assert _cli(*db, "list") == 0, capsys.readouterr()
    capsys.readouterr()
    assert _cli(*db, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert _cli(*db, "backup", "-o", str(work / f"backup-{number}.db")) == 0
    assert _cli(*db, "new", f"Opened {number}", "--from", "A", "--to", "B") == 0
    capsys.readouterr()
    assert _cli(*db, "export", f"Opened {number}") == 0
    assert _cli(*db, "export", "--all", "-o", str(work / "out"), "--force") == 0
    capsys.readouterr()
    store = Store(path, "checker")
    try:
        assert store.verify() is None
        assert store.query("PRAGMA integrity_check") == [("ok",)]
    finally:
        store.close()
    return {row["account"]: row for row in listed}


def _writer(kind: str, path: Path, work: Path, number: int, task_ids: list[str],
            next_token: int) -> subprocess.Popen:
    if kind == "tasks":
        args = ["-c", _TASK_WRITER, str(path), ",".join(task_ids), str(next_token)]
    elif kind == "import":
        csv = work / f"round-{number}.csv"
        csv.write_text("account,from,to,target date\n" + "".join(
            f"Round {number} #{row},Ann,Bo,2027-01-{1 + row % 28:02d}\n"
            for row in range(IMPORT_ROWS)))
        args = ["-m", "transfer_tui", "--db", str(path), "import", str(csv)]
    else:
        args = ["-m", "transfer_tui", "--db", str(path), "demo"]
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def test_writers_killed_at_random_points_never_break_the_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "team.db"
    work = tmp_path / "work"
    work.mkdir()
    store = Store(path, "setup")
    handoff = store.handoffs.create("Acme", "Ann", "Bo")
    task_ids = [t.id for t in store.handoffs.checklist(handoff.id).tasks][:6]
    store.close()
    chance = random.Random(os.environ.get("KILL_SEED", time.time_ns()))
    reported: dict[str, int] = {}
    next_token = 0
    kinds = ["tasks", "import", "demo"] * (ROUNDS // 3)
    chance.shuffle(kinds)
    for number, kind in enumerate(kinds):
        writer = _writer(kind, path, work, number, task_ids, next_token)
        assert writer.stdout is not None
        if kind == "tasks":  # killed after some saves it reported, at some point of another
            for _ in range(chance.randint(1, 15)):
                task_id, token = writer.stdout.readline().split()
                reported[task_id] = int(token)
                next_token = int(token) + 1
            time.sleep(chance.uniform(0, 0.01))
        else:
            time.sleep(chance.uniform(0.3, 1.5))
        writer.send_signal(chance.choice(SIGNALS))
        writer.wait()
        if kind == "tasks" and writer.stdout:
            # saved before the signal landed; a last line the signal cut short (no newline
            # yet) was not reported, so nothing is owed for it
            for line in writer.stdout.read().split("\n")[:-1]:
                task_id, token = line.split()
                reported[task_id] = int(token)
                next_token = int(token) + 1

        listed = _every_command_opens(path, work, number, capsys)
        imported = [a for a in listed if a.startswith(f"Round {number} #")]
        assert len(imported) in (0, IMPORT_ROWS), f"round {number}: half an import"
        demo = [sample.account for sample in HANDOFFS if sample.account in listed]
        assert len(demo) in (0, len(HANDOFFS)), f"round {number}: half the demo: {demo}"
        store = Store(path, "checker")
        try:
            for task_id, token in reported.items():
                note = store.tasks.get(task_id).note
                assert int(note.split("\n")[0].split("-")[1]) >= token  # never lost
            if demo:  # take the samples out again so the next demo round writes them anew
                for summary in store.handoffs.summaries():
                    if summary.account in demo:
                        store.handoffs.delete(summary.id)
        finally:
            store.close()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hup_stop_a_big_import_cleanly(tmp_path: Path, number) -> None:
    """Caught as Ctrl+C is: nothing imported, and the private staging file removed."""
    path = tmp_path / "team.db"
    Store(path, "setup").handoffs.create("Acme", "Ann", "Bo")
    before = path.read_bytes()
    csv = tmp_path / "big.csv"
    csv.write_text("account,from,to\n" + "".join(f"Account {n},Ann,Bo\n" for n in range(600)))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    importer = subprocess.Popen([sys.executable, "-m", "transfer_tui", "--db", str(path),
                                 "import", str(csv)], env={**os.environ, "TMPDIR": str(scratch)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not list(scratch.iterdir()) and time.monotonic() < deadline:  # staging began
        time.sleep(0.05)
    time.sleep(0.3)
    importer.send_signal(number)
    importer.wait(timeout=30)
    assert importer.returncode == 130
    assert list(scratch.iterdir()) == []
    assert path.read_bytes() == before
