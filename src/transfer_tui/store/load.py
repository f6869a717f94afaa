"""Many people saving at once on one server: the load the team-mode test and the
benchmark both run (bench/server.py prints its throughput).

Each client is a thread with a store of its own (its own connections), saving notes
on tasks the way the checklist saves them: with the version and the value it saw.
Half of a client's changes go to a few tasks every client shares, half to a task of
its own. A change refused because someone else saved first is a conflict: reported
(counted), the task read again, the change saved again, as a person would. Nothing
else may go wrong, and nothing may be lost.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from transfer_tui.store.errors import ConflictError, StoreError

SHARED_TASKS = 10


@dataclass
class LoadResult:
    saved: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    final_notes: dict[str, str] = field(default_factory=dict)  # own task -> last note
    # each saved note -> the note its author saw when saving it (what it replaced, unless a
    # conflict went unreported)
    replaced: dict[str, str | None] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.saved / self.seconds if self.seconds else 0.0


def run_load(target: str, clients: int, changes: int) -> LoadResult:
    """``clients`` threads of ``changes`` saves each on the database at ``target``
    (which this sets up: enough handoffs for a task per client, plus the shared ones)."""
    from transfer_tui.store import Store

    setup = Store(target, "load")
    try:
        tasks: list[str] = []
        while len(tasks) < clients + SHARED_TASKS:
            handoff = setup.create_handoff(f"Load {len(tasks)}", "Out Going", "In Coming")
            tasks += [t.id for t in setup.checklist(handoff.id).tasks]
    finally:
        setup.close()
    shared, own = tasks[:SHARED_TASKS], tasks[SHARED_TASKS:SHARED_TASKS + clients]
    result = LoadResult()
    lock = threading.Lock()
    start_line = threading.Barrier(clients)

    def client(number: int) -> None:
        store = Store(target, f"client {number}")  # never listens: one connection
        saved = conflicts = 0
        replaced: dict[str, str | None] = {}
        try:
            start_line.wait()
            for change in range(changes):
                task_id = shared[change % SHARED_TASKS] if change % 2 else own[number]
                note = f"client {number} change {change}"
                task = store.get_task(task_id)
                while True:
                    try:
                        store.update_task(task_id, expected_version=task.version,
                                          seen={"note": task.note}, note=note)
                        saved += 1
                        replaced[note] = task.note
                        break
                    except ConflictError:
                        conflicts += 1
                        task = store.get_task(task_id)
        except StoreError as exc:
            with lock:
                result.errors.append(f"client {number}: {exc}")
        finally:
            store.close()
            with lock:
                result.saved += saved
                result.conflicts += conflicts
                result.replaced.update(replaced)
                result.final_notes[own[number]] = f"client {number} change {changes - 2}"

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result
