"""Quit is immediate: reads still running in the background are interrupted, not waited
for, and one cut short is never reported as a damaged file."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import fixed_clock
from transfer_tui.app import TransferApp
from transfer_tui.store import Store

ENDLESS = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
           "SELECT count(*) FROM n")


@pytest.fixture
def endless_check(monkeypatch: pytest.MonkeyPatch) -> dict[str, threading.Event]:
    """The integrity check replaced by a query that never ends on its own (only
    sqlite3's interrupt stops it): as a check of a very big file, for ever."""
    events = {"started": threading.Event(), "ended": threading.Event()}
    found: list[object] = []

    def first_problem(conn, *, quick: bool):
        events["started"].set()
        try:
            conn.execute(ENDLESS).fetchall()
        finally:
            events["ended"].set()
        found.append("finished")  # never: the query has no end
        return None

    monkeypatch.setattr("transfer_tui.store.database.first_problem", first_problem)
    return events


def test_an_interrupted_check_reports_nothing(demo_store: Store, endless_check) -> None:
    answer: list[object] = []
    worker = threading.Thread(target=lambda: answer.append(demo_store.verify()))
    worker.start()
    assert endless_check["started"].wait(60)
    for _ in range(600):  # until the query is under way (an interrupt before it is moot)
        demo_store.interrupt()
        worker.join(0.1)
        if not worker.is_alive():
            break
    assert answer == [None]  # cut short: not "damaged (interrupted)"


async def test_quit_while_the_background_check_runs_ends_it(demo_store: Store, endless_check,
                                                             monkeypatch) -> None:
    monkeypatch.setattr(Store, "needs_background_check", property(lambda self: True))
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert endless_check["started"].wait(60)
        await pilot.press("q")
        await pilot.pause()
    assert endless_check["ended"].wait(60)  # without the interrupt it would run for ever
    assert not any("damaged" in n.message for n in app._notifications)
    assert app.return_code == 0


def test_a_check_not_begun_when_the_app_exits_never_begins(demo_store: Store,
                                                           monkeypatch) -> None:
    """Quit right after the first paint: the check of a big file was about to start (its
    thread not yet running); it must not then read the whole file while the app exits."""
    checked: list[bool] = []
    monkeypatch.setattr("transfer_tui.store.database.first_problem",
                        lambda conn, *, quick: checked.append(quick))
    demo_store.interrupt()
    assert demo_store.verify() is None
    assert checked == []


def test_the_check_runs_when_nobody_is_leaving(demo_store: Store, monkeypatch) -> None:
    checked: list[bool] = []

    def first_problem(conn, *, quick: bool) -> str:
        checked.append(quick)
        return "page 7: bad"

    monkeypatch.setattr("transfer_tui.store.database.first_problem", first_problem)
    assert demo_store.verify() == "page 7: bad"
    assert checked == [True]


def test_on_a_server_exiting_cancels_a_read_and_does_not_wait_for_it(server_url) -> None:
    """The list read in a daemon thread on a server (50,000 summaries over the network):
    the app's exit cancels it, and closing the store does not wait for it."""
    from transfer_tui.store import StoreError

    store = Store(server_url, "Dana", clock=fixed_clock)
    outcome: list[object] = []
    reading = threading.Event()

    def read_for_ever() -> None:
        try:
            with store.reading_plain() as raw:
                reading.set()
                raw.execute("SELECT pg_sleep(60)").fetchall()
            outcome.append("finished")
        except StoreError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=read_for_ever, daemon=True)
    thread.start()
    assert reading.wait(30)
    for _ in range(100):  # until the query is on the server (a cancel before it is moot)
        store.interrupt()
        thread.join(0.2)
        if not thread.is_alive():
            break
    store.close()
    assert len(outcome) == 1 and isinstance(outcome[0], StoreError)
