"""A colleague working on the same file: one task status change saved every second.

    python bench/colleague.py DB [SECONDS]

Runs until killed (or for SECONDS); each save goes through the store, as the app's
own saves do, so the open app sees "someone else saved" once a second.
"""

from __future__ import annotations

import sys
import time


def main() -> None:
    from transfer_tui.store import Store

    db = sys.argv[1]
    until = time.monotonic() + float(sys.argv[2]) if len(sys.argv) > 2 else float("inf")
    from transfer_tui.store import BusyError

    store = Store(db, "Colleague")
    ids = [r[0] for r in store.query("SELECT id FROM task ORDER BY random() LIMIT 500")]
    print("ready", flush=True)
    number = busy = 0
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            task = store.tasks.get(ids[number % len(ids)])
            store.tasks.update(task.id, expected_version=task.version,
                               seen={"status": task.status}, status=task.state.cycled())
        except BusyError:  # a long read holds the file (the app's integrity check of a
            busy += 1      # big file): a person would try again, and so does this
            print(f"busy ({busy})", file=sys.stderr, flush=True)
        number += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


if __name__ == "__main__":
    main()
