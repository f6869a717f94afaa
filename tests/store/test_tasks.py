"""Changing tasks: every change saved, logged, and never silently over someone else's."""

from __future__ import annotations

import pytest

from transfer_tui.domain import Owner, Status
from transfer_tui.store import ConflictError, Store, ValidationError


@pytest.fixture
def task(store: Store):
    handoff = store.handoffs.create("Acme", "Dana Whitfield", "Sam Okafor")
    return store.handoffs.checklist(handoff.id).tasks[0]


def test_change_records_who_when_and_the_event(store: Store, task) -> None:
    saved = store.tasks.update(task.id, status="in progress", expected_version=task.version)
    assert saved.state is Status.IN_PROGRESS
    assert saved.version == task.version + 1
    assert saved.changed_by == "Dana Whitfield"
    events = store.query("SELECT field, old, new, actor FROM event WHERE entity_id = ? "
                         "AND field != 'created'", (task.id,))
    assert events == [("status", "todo", "in_progress", "Dana Whitfield")]


def test_no_op_change_writes_nothing(store: Store, task) -> None:
    saved = store.tasks.update(task.id, status="todo")
    assert saved.version == task.version
    assert store.query("SELECT count(*) FROM event WHERE entity_id = ? AND field != 'created'",
                       (task.id,)) == [(0,)]


def test_stale_version_is_refused_with_their_value(store: Store, task) -> None:
    store.user = "Sam Okafor"
    store.tasks.update(task.id, status="done", expected_version=task.version)
    store.user = "Dana Whitfield"
    with pytest.raises(ConflictError) as caught:
        store.tasks.update(task.id, status="blocked", expected_version=task.version)
    assert caught.value.by == "Sam Okafor"
    assert caught.value.theirs == "done"
    assert "Sam Okafor" in str(caught.value)
    assert store.handoffs.checklist(task.handoff_id).tasks[0].state is Status.DONE


def test_owner_note_and_due_date(store: Store, task) -> None:
    saved = store.tasks.update(task.id, owner=Owner.INCOMING, note="[bold]x[/] `y`",
                               due_date="2026-12-01")
    assert saved.side is Owner.INCOMING
    assert saved.note == "[bold]x[/] `y`"
    assert saved.due_date.isoformat() == "2026-12-01"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"owner": "nobody"}, "owner"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"note": "x" * 100_001}, "note"),
    ],
)
def test_bad_values_change_nothing(store: Store, task, change: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        store.tasks.update(task.id, **change)
    assert caught.value.field == field
    again = store.handoffs.checklist(task.handoff_id).tasks[0]
    assert again.version == task.version


def test_status_words_people_type() -> None:
    assert Status.parse("n/a") is Status.NA
    assert Status.parse("In Progress") is Status.IN_PROGRESS
    assert [s.cycled() for s in Status] == [Status.IN_PROGRESS, Status.DONE, Status.BLOCKED,
                                            Status.NA, Status.TODO]
