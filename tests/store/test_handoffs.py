"""The store on its own: creating, reading, finding and deleting handoffs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.conftest import TODAY, fixed_clock
from transfer_tui.domain import Mode, Owner, Status
from transfer_tui.playbooks import get_builtin
from transfer_tui.store import NotFoundError, Store, ValidationError, check_new_handoff


def test_create_copies_every_playbook_task_in_order(store: Store) -> None:
    playbook = get_builtin("csm-account-transfer")
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor",
                                   target_date="2026-12-31", mode="shadowing")
    checklist = store.checklist(handoff.id)
    expected = [(s.key, t.key) for s in playbook.sections for t in s.tasks]
    assert [(t.section_key, t.key) for t in checklist.tasks] == expected
    assert [s.title for s in checklist.sections] == [s.title for s in playbook.sections]
    assert checklist.handoff.target_date == date(2026, 12, 31)
    assert checklist.handoff.transition is Mode.SHADOWING
    assert checklist.handoff.created_by == "Dana Whitfield"
    assert all(t.state is Status.TODO for t in checklist.tasks)


def test_the_list_shares_repeated_values_between_handoffs(store: Store) -> None:
    """50,000 lines in memory: a person, a date or a state is one string, not one per line
    (the list's memory target); each line still reads as its own row."""
    for number in range(3):
        store.create_handoff(f"Acme {number}", "Dana Whitfield", "Sam Okafor",
                             target_date="2026-12-31")
    first, *others = store.summaries()
    assert [s.account for s in (first, *others)] == ["Acme 0", "Acme 1", "Acme 2"]
    for other in others:
        assert other.outgoing is first.outgoing and other.incoming is first.incoming
        assert other.target_text is first.target_text and other.state is first.state
        assert other.playbook is first.playbook
        assert other.id is not first.id


def test_relative_due_dates_resolve_against_start_and_target(store: Store) -> None:
    playbook = get_builtin("csm-account-transfer")
    handoff = store.create_handoff("Acme", "A", "B", target_date="2027-01-31")
    tasks = {t.key: t for t in store.checklist(handoff.id).tasks}
    for section in playbook.sections:
        for template in section.tasks:
            if template.due is None:
                assert tasks[template.key].due_date is None
                continue
            base = {"start": TODAY, "target": date(2027, 1, 31)}[template.due.anchor]
            assert tasks[template.key].due_date == base + timedelta(days=template.due.days)


def test_summary_counts_follow_task_changes(store: Store) -> None:
    handoff = store.create_handoff("Acme", "A", "B")
    tasks = store.checklist(handoff.id).tasks
    total = len(tasks)
    store.update_task(tasks[0].id, status="done")
    store.update_task(tasks[1].id, status="blocked")
    store.update_task(tasks[2].id, status="na")
    (summary,) = store.summaries()
    assert (summary.done, summary.total, summary.blocked) == (1, total - 1, 1)
    store.update_task(tasks[1].id, status="done")
    (summary,) = store.summaries()
    assert (summary.done, summary.blocked) == (2, 0)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (dict(account="  ", outgoing="A", incoming="B"), "account", "required"),
        (dict(account="X", outgoing="", incoming="B"), "outgoing", "required"),
        (dict(account="X", outgoing="A", incoming=""), "incoming", "required"),
        (dict(account="X", outgoing="Dana", incoming=" dana "), "incoming", "different"),
        (dict(account="X", outgoing="A", incoming="B", target_date="31/12/2026"), "target_date",
         "not a date"),
        (dict(account="X", outgoing="A", incoming="B", target_date="2026-02-30"), "target_date",
         "not a date"),
        (dict(account="X", outgoing="A", incoming="B", mode="fast"), "mode", "direct or shadowing"),
        (dict(account="a\nb", outgoing="A", incoming="B"), "account", "one line"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(store: Store, fields: dict, field: str,
                                                     words: str) -> None:
    _, errors = check_new_handoff(**fields)
    assert words in errors[field]
    with pytest.raises(ValidationError) as caught:
        store.create_handoff(**fields)
    assert caught.value.field == field
    assert store.summaries() == []


def test_find_by_id_prefix_account_or_part_of_it(store: Store) -> None:
    first = store.create_handoff("Acme Corp", "A", "B")
    store.create_handoff("Acme Labs", "A", "B")
    assert [s.id for s in store.find_handoffs(first.id)] == [first.id]
    assert [s.id for s in store.find_handoffs(first.id[:6])] == [first.id]
    assert [s.account for s in store.find_handoffs("acme corp")] == ["Acme Corp"]
    assert sorted(s.account for s in store.find_handoffs("acme")) == ["Acme Corp", "Acme Labs"]
    assert store.find_handoffs("nothing like it") == []


def test_a_part_of_a_name_is_found_in_sql_as_python_folds_it(store: Store) -> None:
    """The database narrows the search (ASCII letters folded); letters beyond ASCII are
    compared as Python casefolds them; a % or _ typed is that character, not a wildcard."""
    for account in ("Hauptstraße GmbH", "STRASSE AG", "Rabatt 50% Ltd", "Rabatt 500 Ltd",
                    "a_b Co", "axb Co"):
        store.create_handoff(account, "A", "B")

    def found(ref: str) -> list[str]:
        return sorted(s.account for s in store.find_handoffs(ref))

    assert found("strasse") == ["Hauptstraße GmbH", "STRASSE AG"]
    assert found("STRAßE") == ["Hauptstraße GmbH", "STRASSE AG"]
    assert found("tt 50%") == ["Rabatt 50% Ltd"]
    assert found("a_b") == ["a_b Co"]
    assert found("hauptstr") == ["Hauptstraße GmbH"]


def test_delete_removes_tasks_but_keeps_history(store: Store) -> None:
    handoff = store.create_handoff("Acme", "A", "B")
    store.delete_handoff(handoff.id)
    assert store.summaries() == []
    assert store.query("SELECT count(*) FROM task")[0][0] == 0
    (old,) = store.query("SELECT old FROM event WHERE entity_id = ? AND field = 'deleted'",
                         (handoff.id,))[0]
    saved = json.loads(old)  # the whole row, as it was, so it could be rebuilt
    assert (saved["account"], saved["tasks_total"], saved["version"]) == ("Acme", 38, 1)
    deleted_tasks = store.query("SELECT old FROM event WHERE entity = 'task' AND "
                                "field = 'deleted' AND handoff_id = ?", (handoff.id,))
    assert len(deleted_tasks) == 38
    assert {"title", "status", "note", "version"} <= json.loads(deleted_tasks[0][0]).keys()
    with pytest.raises(NotFoundError):
        store.checklist(handoff.id)


def test_everything_survives_closing_and_reopening(db_path, store: Store) -> None:
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    task = store.checklist(handoff.id).tasks[3]
    store.update_task(task.id, status="blocked", owner="incoming", note="line 1\nline 2")
    store.close()
    again = Store(store.target, "Sam Okafor", clock=fixed_clock)
    saved = next(t for t in again.checklist(handoff.id).tasks if t.id == task.id)
    assert (saved.state, saved.side, saved.note) == (Status.BLOCKED, Owner.INCOMING,
                                                      "line 1\nline 2")
    assert saved.changed_by == "Dana Whitfield"
    again.close()


def test_names_leave_control_characters_out(store) -> None:
    """"\\x1b" alone passed as an account and then showed as nothing everywhere."""
    import pytest

    from transfer_tui.store import ValidationError, check_new_handoff

    values, errors = check_new_handoff("\x1b[31mAcme\x1b[0m\t Inc", "Dana", "Sam")
    assert not errors and values["account"] == "[31mAcme[0m  Inc"
    _, errors = check_new_handoff("\x1b\x07", "Dana", "Sam")
    assert errors == {"account": "Account is required"}
    with pytest.raises(ValidationError):
        store.create_handoff("\x00", "Dana", "Sam")
