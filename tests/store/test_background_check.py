"""The background integrity check of a big file gives way to every save: a colleague's
(another process) and the app's own (another connection), with SQLite's real locks.
A check cut short says nothing; one left alone still finds real damage."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from transfer_tui.store import BusyError, Store, opening

#: Holds the check's read for ever (only an interrupt ends it), as a check of a 4 GB
#: file holds it for tens of seconds: the join with sqlite_schema takes the file's
#: shared lock, which a save must wait for before it can commit.
ENDLESS_READ = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                "SELECT count(*) FROM n, (SELECT name FROM sqlite_schema LIMIT 1)")


@pytest.fixture
def long_check(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The first check holds its read until it is interrupted; later ones are real."""
    seen: dict[str, object] = {"calls": 0, "started": threading.Event()}

    def first_problem(conn, *, quick: bool):
        seen["calls"] = int(seen["calls"]) + 1  # type: ignore[call-overload]
        if seen["calls"] > 1:
            return opening.first_problem(conn, quick=quick)
        seen["started"].set()  # type: ignore[attr-defined]
        conn.execute(ENDLESS_READ).fetchall()
        seen["finished"] = True  # never: only an interrupt ends the read
        return None

    monkeypatch.setattr("transfer_tui.store.database.first_problem", first_problem)
    return seen


def _in_background(store: Store, **options: float) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def check() -> None:
        try:
            outcome.append(store.verify_in_background(**options))
        except Exception as exc:  # the test says what it was
            outcome.append(exc)

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    return thread, outcome


def test_a_colleagues_save_is_not_refused_while_the_check_runs(
        demo_store: Store, long_check) -> None:
    thread, outcome = _in_background(demo_store, tries=2, pause=0)
    assert long_check["started"].wait(60)  # type: ignore[attr-defined]
    colleague = subprocess.run(  # another process, with its own locks on the file
        [sys.executable, "-m", "transfer_tui", "--db", str(demo_store.path), "--as", "Kim",
         "new", "Saved meanwhile", "--from", "Kim", "--to", "Lee"],
        capture_output=True, text=True, timeout=120, check=False)
    assert colleague.returncode == 0, colleague.stderr  # was: busy after 15 s
    thread.join(60)
    assert outcome == [None]  # gave way, tried again, found the file whole; said nothing
    assert long_check["calls"] == 2 and "finished" not in long_check
    accounts = [s.account for s in demo_store.handoffs.summaries()]
    assert "Saved meanwhile" in accounts


def test_the_apps_own_save_is_not_held_up_by_the_check(demo_store: Store,
                                                       long_check) -> None:
    thread, outcome = _in_background(demo_store, tries=1, pause=0)
    assert long_check["started"].wait(60)  # type: ignore[attr-defined]
    made = demo_store.handoffs.create("Saved by me", "Sam", "Lee")  # another connection
    thread.join(60)
    assert outcome == [None]  # cut short, not tried again (tries=1): nothing is said
    assert not thread.is_alive() and "finished" not in long_check
    assert demo_store.handoffs.checklist(made.id).handoff.account == "Saved by me"


def test_a_check_cut_short_by_a_save_is_busy_not_damaged(demo_store: Store,
                                                        long_check) -> None:
    outcome: list[object] = []

    def check() -> None:
        try:
            outcome.append(demo_store.verify())
        except BusyError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    assert long_check["started"].wait(60)  # type: ignore[attr-defined]
    demo_store.handoffs.create("Saved by me", "Sam", "Lee")
    thread.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], BusyError)
    assert "damaged" not in str(outcome[0])


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 40 * page
    for number in (20, 21, 30):  # pages in the middle: tasks and events
        data[number * page:(number + 1) * page] = bytes((i * 7 + 3) % 251 for i in range(page))
    path.write_bytes(bytes(data))


def test_the_check_finds_real_damage_when_nobody_saves(demo_store: Store) -> None:
    assert demo_store.verify_in_background(tries=1, pause=0) is None
    assert demo_store.path is not None
    _damage(demo_store.path)
    problem = demo_store.verify_in_background(tries=1, pause=0)
    assert problem and "interrupt" not in problem
    assert demo_store.verify() == problem
