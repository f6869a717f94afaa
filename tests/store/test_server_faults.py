"""The server killed mid-session (``pg_ctl stop -m immediate`` on a server of the test's
own, tests/throwaway.py) and started again: the store says so in one line while it is
away, reconnects by itself once it is back, and nothing saved before is lost."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock
from transfer_tui.store import Store, StoreError


def _one_line(exc: pytest.ExceptionInfo[StoreError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_killed_server_is_one_line_then_reconnected_and_nothing_is_lost(
        throwaway_server) -> None:
    store = Store(throwaway_server.url, "Dana", clock=fixed_clock)
    try:
        store.listen()  # as the app does
        handoff = store.create_handoff("Acme", "Dana", "Sam")
        tasks = store.checklist(handoff.id).tasks
        store.update_task(tasks[0].id, status="done", note="saved before the crash")
        before = store.reconnects

        throwaway_server.kill()
        with pytest.raises(StoreError) as caught:
            store.update_task(tasks[1].id, note="typed while it was away")
        assert "nothing was changed" in _one_line(caught)
        with pytest.raises(StoreError) as caught:
            store.summaries()
        assert "127.0.0.1" in _one_line(caught)
        refused = []
        for _ in range(3):  # the app's watch, each second: the drop is found, not mended
            try:
                store.changed_elsewhere()
            except StoreError as exc:
                refused.append(str(exc))
        assert refused and refused[-1].startswith("cannot reach the server at 127.0.0.1")
        assert store.reconnects == before  # not back yet, and not said to be

        throwaway_server.start()
        assert [s.id for s in store.summaries()] == [handoff.id]  # by itself
        assert any(store.changed_elsewhere() for _ in range(3))  # listening again
        assert store.reconnects > before
        saved = store.update_task(tasks[1].id, note="typed while it was away")
        assert saved.note == "typed while it was away"
        again = store.checklist(handoff.id).tasks
        assert (again[0].status, again[0].note) == ("done", "saved before the crash")
        notes = [e.new for e in store.history(tasks[1].id) if e.field == "note"]
        assert notes == ["typed while it was away"]  # the refused save left no trace
    finally:
        store.close()
