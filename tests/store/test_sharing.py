"""share and merge: one handoff out to a small closed file and back, without losing a
change on either side."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, TODAY
from tests.store.records import add_risk, add_risk_table, delete_risk, risk, set_risk
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.store import DatabaseFileError, Store, StoreError
from transfer_tui.store.connection import APPLICATION_ID
from transfer_tui.store.migrations import LATEST

FIXTURE = Path(__file__).parent.parent / "fixtures" / "release-0.1.0.db"
GLOBEX = demo_id("Globex Logistics")


def at(minutes: int):
    return lambda: NOW + timedelta(minutes=minutes)


@pytest.fixture
def dana(tmp_path: Path):
    store = Store(tmp_path / "dana.db", "Priya Raman", clock=at(0))
    load_demo(store, today=TODAY)
    store.now = at(0)
    yield store
    store.close()


@pytest.fixture
def marco(tmp_path: Path, dana: Store):
    """Marco's own database, holding Globex as Priya shared it."""
    store = Store(tmp_path / "marco.db", "Marco Bellini", clock=at(0))
    dana.share(GLOBEX, tmp_path / "globex.db")
    store.merge(tmp_path / "globex.db")
    yield store
    store.close()


def _state(store: Store, handoff_id: str = GLOBEX) -> list[tuple]:
    checklist = store.checklist(handoff_id)
    handoff = checklist.handoff
    return [(handoff.account, handoff.tasks_done, handoff.tasks_total, handoff.tasks_blocked),
            *[(t.id, t.status, t.owner, t.note, t.due_date) for t in checklist.tasks]]


def _event_ids(store: Store, handoff_id: str = GLOBEX) -> set[str]:
    return {r[0] for r in store.query("SELECT id FROM event WHERE handoff_id = ?",
                                      (handoff_id,))}


def test_share_writes_a_small_closed_file_with_only_that_handoff(tmp_path, dana) -> None:
    target = tmp_path / "out" / "globex.db"
    report = dana.share(GLOBEX, target)
    records = sum(len(kind) for kind in dana.handoff_records(GLOBEX).values())
    assert report.account == "Globex Logistics" and report.rows == 1 + 38 + records
    assert not (tmp_path / "out" / "globex.db-journal").exists()
    assert [p.name for p in target.parent.iterdir()] == ["globex.db"]
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("SELECT id, tasks_done, tasks_total FROM handoff").fetchall() == [
        (GLOBEX, 6, 37)]
    assert conn.execute("SELECT count(DISTINCT handoff_id) FROM task").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == report.events
    conn.close()
    assert target.stat().st_size < dana.path.stat().st_size * 0.6  # empty record tables: ~80 kB
    with pytest.raises(StoreError, match="already exists"):
        dana.share(GLOBEX, target)


def test_merge_adds_a_new_handoff_and_twice_changes_nothing(tmp_path, dana, marco) -> None:
    assert _state(marco) == _state(dana)
    assert _event_ids(marco) == _event_ids(dana)
    before = marco.path.read_bytes()
    report = marco.merge(tmp_path / "globex.db")
    assert not report.changed and report.conflicts == []
    assert marco.path.read_bytes() == before


def test_a_change_on_one_side_only_takes_that_side(tmp_path, dana, marco) -> None:
    tasks = [t for t in marco.checklist(GLOBEX).tasks if t.status == "todo"]
    marco.now = at(5)
    marco.update_task(tasks[2].id, status="done", note="Recorded in the CRM")
    dana.update_task(tasks[3].id, owner="outgoing" if tasks[3].owner != "outgoing"
                     else "incoming")  # Priya, meanwhile, on another task
    marco.share(GLOBEX, tmp_path / "back.db")
    report = dana.merge(tmp_path / "back.db")
    assert (report.updated, report.added, report.conflicts) == (1, 0, [])
    merged = {t.id: t for t in dana.checklist(GLOBEX).tasks}
    assert (merged[tasks[2].id].status, merged[tasks[2].id].note) == ("done",
                                                                      "Recorded in the CRM")
    assert merged[tasks[3].id].owner != tasks[3].owner  # her own change stands
    assert dana.checklist(GLOBEX).handoff.tasks_done == 7
    assert _event_ids(marco) <= _event_ids(dana)  # history of both sides kept
    assert len(_event_ids(dana)) == len(_event_ids(marco)) + 1


def test_a_row_changed_on_both_sides_keeps_the_later_change(tmp_path, dana, marco) -> None:
    task = marco.checklist(GLOBEX).tasks[4]
    dana.now, marco.now = at(10), at(20)
    dana.update_task(task.id, note="Priya's word", status="blocked")
    marco.update_task(task.id, note="Marco's word")
    dana.share(GLOBEX, tmp_path / "from-dana.db")
    marco.share(GLOBEX, tmp_path / "from-marco.db")

    report = dana.merge(tmp_path / "from-marco.db")
    (conflict,) = report.conflicts
    assert (conflict.field, conflict.mine, conflict.theirs, conflict.kept) == (
        "note", "Priya's word", "Marco's word", "theirs")
    assert (conflict.my_by, conflict.their_by) == ("Priya Raman", "Marco Bellini")
    assert conflict.subject == task.title
    saved = dana.get_task(task.id)
    assert (saved.note, saved.status) == ("Marco's word", "blocked")  # field by field

    report = marco.merge(tmp_path / "from-dana.db")
    (conflict,) = report.conflicts
    assert (conflict.mine, conflict.theirs, conflict.kept) == ("Marco's word",
                                                               "Priya's word", "mine")
    assert _state(marco) == _state(dana)  # both sides end up the same
    assert _event_ids(marco) == _event_ids(dana)
    # merging either file again changes nothing
    for store, name in ((dana, "from-marco.db"), (marco, "from-dana.db")):
        again = store.merge(tmp_path / name)
        assert not again.changed and again.conflicts == []


def test_records_travel_too(tmp_path, dana, marco) -> None:
    for store in (dana, marco):
        add_risk_table(store)
    kept = add_risk(dana, GLOBEX, "Champion leaves", "high")
    gone = add_risk(dana, GLOBEX, "Budget freeze")
    dana.share(GLOBEX, tmp_path / "1.db", replace=True)
    assert marco.merge(tmp_path / "1.db").added == 2
    marco.now = at(3)
    set_risk(marco, kept, severity="medium", mitigated=True)
    delete_risk(marco, gone)
    marco.share(GLOBEX, tmp_path / "2.db")
    report = dana.merge(tmp_path / "2.db")
    assert (report.updated, report.removed) == (1, 1)
    assert risk(dana, kept) == {"title": "Champion leaves", "severity": "medium",
                                "mitigated": 1, "version": 2}
    assert risk(dana, gone) is None
    assert not dana.merge(tmp_path / "2.db").changed


def test_a_handoff_deleted_here_is_not_brought_back(tmp_path, dana, marco) -> None:
    marco.share(GLOBEX, tmp_path / "back.db")
    dana.delete_handoff(GLOBEX)
    report = dana.merge(tmp_path / "back.db")
    assert report.accounts == [] and "deleted here by Priya Raman" in report.skipped[0]
    assert GLOBEX not in [s.id for s in dana.summaries()]


def test_merge_of_an_older_file_brings_it_up_to_date(tmp_path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURE, old)
    before = old.read_bytes()
    store = Store(tmp_path / "mine.db", "me")
    report = store.merge(old)
    assert len(report.accounts) == 6 and report.added == 6 + 204
    assert old.read_bytes() == before  # only read
    store.close()


@pytest.mark.parametrize("content", [b"", b"hello\n" * 50, bytes(range(256)) * 20])
def test_merge_refuses_what_is_not_a_share_file(tmp_path, dana, content) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseFileError):
        dana.merge(path)
    assert path.read_bytes() == content


def test_merge_refuses_the_database_itself(dana) -> None:
    with pytest.raises(StoreError, match="itself"):
        dana.merge(dana.path)
