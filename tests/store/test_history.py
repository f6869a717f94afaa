"""History and undo, read from the events, for tasks and for any record table."""

from __future__ import annotations

import pytest

from tests.store.records import add_risk, add_risk_table, delete_risk, risk, set_risk
from transfer_tui.store import Store, UndoError


@pytest.fixture
def handoff(store: Store):
    return store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")


@pytest.fixture
def task(store: Store, handoff):
    return store.checklist(handoff.id).tasks[0]


def test_history_says_who_when_and_old_to_new_newest_first(store: Store, task) -> None:
    store.update_task(task.id, status="in progress")
    store.user = "Sam Okafor"
    store.update_task(task.id, status="done", note="Checked with finance")
    history = store.history(task.id)
    assert [(e.actor, e.field, e.old, e.new) for e in history[:3]] == [
        ("Sam Okafor", "note", "", "Checked with finance"),
        ("Sam Okafor", "status", "in_progress", "done"),
        ("Dana Whitfield", "status", "todo", "in_progress"),
    ]
    assert history[0].change_id == history[1].change_id != history[2].change_id
    assert history[-1].field == "created" and history[-1].subject == task.title
    assert all(e.subject == task.title for e in history)


def test_activity_is_the_whole_handoff_newest_first(store: Store, handoff) -> None:
    tasks = store.checklist(handoff.id).tasks
    store.update_task(tasks[0].id, status="done")
    store.update_task(tasks[5].id, note="Read them all")
    feed = store.activity(handoff.id)
    assert [(e.subject, e.field) for e in feed[:2]] == [(tasks[5].title, "note"),
                                                      (tasks[0].title, "status")]
    created = [e for e in feed if e.field == "created"]
    assert len(created) == len(tasks) + 1  # the handoff and each task, as JSON rows


def test_undo_steps_back_through_my_own_changes(store: Store, task) -> None:
    store.update_task(task.id, status="in progress")
    store.update_task(task.id, note="first")
    store.update_task(task.id, status="done", note="second")  # one key press, two fields
    assert "back to" in store.undo_last(task.handoff_id)
    again = store.get_task(task.id)
    assert (again.status, again.note) == ("in_progress", "first")
    store.undo_last(task.handoff_id)
    assert store.get_task(task.id).note == ""
    store.undo_last(task.handoff_id)  # not a redo: further back
    again = store.get_task(task.id)
    assert (again.status, again.note, again.version) == ("todo", "", task.version + 6)
    with pytest.raises(UndoError, match="creating this handoff"):
        store.undo_last(task.handoff_id)
    undos = [e for e in store.history(task.id) if e.undoes]
    assert len(undos) == 4 and all(e.actor == "Dana Whitfield" for e in undos)


def test_undo_takes_back_only_my_changes(store: Store, handoff) -> None:
    tasks = store.checklist(handoff.id).tasks
    store.update_task(tasks[0].id, status="done")
    store.user = "Sam Okafor"
    store.update_task(tasks[1].id, status="blocked")
    store.user = "Dana Whitfield"
    store.undo_last(handoff.id)
    assert store.get_task(tasks[0].id).status == "todo"
    assert store.get_task(tasks[1].id).status == "blocked"


def test_undo_refuses_when_someone_else_changed_it_since(store: Store, task) -> None:
    store.update_task(task.id, status="done")
    store.user = "Sam Okafor"
    store.update_task(task.id, status="blocked")
    store.update_task(task.id, status="done")  # back to what I set: still moved on
    store.user = "Dana Whitfield"
    before = store.get_task(task.id)
    with pytest.raises(UndoError, match="Sam Okafor changed the status"):
        store.undo_last(task.handoff_id)
    after = store.get_task(task.id)
    assert (after.status, after.version) == (before.status, before.version)


def test_undo_of_one_field_ignores_their_other_fields(store: Store, task) -> None:
    store.update_task(task.id, status="done")
    store.user = "Sam Okafor"
    store.update_task(task.id, note="Sam's note")
    store.user = "Dana Whitfield"
    store.undo_last(task.handoff_id)
    again = store.get_task(task.id)
    assert (again.status, again.note) == ("todo", "Sam's note")


def test_nothing_to_undo(store: Store, handoff) -> None:
    store.user = "Jordan"
    with pytest.raises(UndoError, match="Nothing of yours"):
        store.undo_last(handoff.id)


def test_history_and_undo_work_for_a_record_table(store: Store, handoff) -> None:
    add_risk_table(store)
    risk_id = add_risk(store, handoff.id, "Champion leaves", "high")
    set_risk(store, risk_id, severity="medium", mitigated=True)
    assert [e.field for e in store.history(risk_id)] == ["mitigated", "severity", "created"]
    assert store.history(risk_id)[0].subject == "Champion leaves"
    store.undo_last(handoff.id)
    assert risk(store, risk_id) == {"title": "Champion leaves", "severity": "high",
                                    "mitigated": 0, "version": 3}
    store.undo_last(handoff.id)  # undoing a created row removes it
    assert risk(store, risk_id) is None
    assert store.history(risk_id)[0].field == "deleted"


def test_undo_brings_a_deleted_record_back_whole(store: Store, handoff) -> None:
    add_risk_table(store)
    risk_id = add_risk(store, handoff.id, "Budget cut", "high")
    set_risk(store, risk_id, mitigated=True)
    delete_risk(store, risk_id)
    assert risk(store, risk_id) is None
    assert "brought back" in store.undo_last(handoff.id)
    assert risk(store, risk_id) == {"title": "Budget cut", "severity": "high",
                                    "mitigated": 1, "version": 2}


def test_deleting_a_handoff_logs_every_row_whole(store: Store, handoff) -> None:
    add_risk_table(store)
    add_risk(store, handoff.id, "Champion leaves")
    store.delete_handoff(handoff.id)
    deleted = store.query("SELECT entity, count(*) FROM event WHERE field = 'deleted' "
                          "GROUP BY entity ORDER BY entity")
    assert deleted == [("handoff", 1), ("hazard", 1), ("task", 38)]
    assert store.query("SELECT count(*) FROM hazard") == [(0,)]
