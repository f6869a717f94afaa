"""Two writers on one file: read-modify-write inside BEGIN IMMEDIATE loses nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from transfer_tui.store import ConflictError, Store

CHANGES = 150


def _append_notes(path: str, who: str, task_id: str) -> int:
    """Append a line to one shared note CHANGES times, re-reading after each conflict."""
    store = Store(Path(path), who)
    conflicts = 0
    for number in range(CHANGES):
        while True:
            task = store.get_task(task_id)
            try:
                store.update_task(task.id, expected_version=task.version,
                                  note=f"{task.note}{who}-{number}\n")
                break
            except ConflictError:
                conflicts += 1
    store.close()
    return conflicts


def test_two_processes_lose_no_change(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = Store(path, "setup")
    handoff = store.create_handoff("Acme", "A", "B")
    task = store.checklist(handoff.id).tasks[0]
    store.close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.starmap(_append_notes, [(str(path), "A", task.id),
                                               (str(path), "B", task.id)])
    store = Store(path, "check")
    saved = next(t for t in store.checklist(handoff.id).tasks if t.id == task.id)
    lines = saved.note.splitlines()
    assert sorted(lines) == sorted([f"A-{n}" for n in range(CHANGES)]
                                   + [f"B-{n}" for n in range(CHANGES)])
    assert saved.version == 1 + 2 * CHANGES
    assert store.query("SELECT count(*) FROM event WHERE entity_id = ?", (task.id,)) == [
        (2 * CHANGES,)]
    store.close()
