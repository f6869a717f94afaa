"""Relative due dates: resolved when the handoff is made, and following its dates after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import TODAY
from transfer_tui.playbooks import get_builtin
from transfer_tui.store import ConflictError, Store


def tasks_by_key(store: Store, handoff_id: str) -> dict:
    return {t.key: t for t in store.handoffs.checklist(handoff_id).tasks}


def test_renewal_outreach_is_due_90_days_before_the_renewal(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31",
                                    renewal_date="2027-06-30",
                                    playbook=get_builtin("sales-to-cs-internal"))
    tasks = tasks_by_key(store, handoff.id)
    outreach = tasks["start-renewal-outreach"]
    assert outreach.due_rule == "renewal-90d"
    assert outreach.due_date == date(2027, 6, 30) - timedelta(days=90)
    assert tasks["share-use-case"].due_date == TODAY + timedelta(days=3)
    assert tasks["confirm-renewal-date"].due_date == date(2026, 12, 31)


def test_without_a_renewal_date_the_rule_waits(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam",
                                    playbook=get_builtin("sales-to-cs-internal"))
    outreach = tasks_by_key(store, handoff.id)["start-renewal-outreach"]
    assert (outreach.due_rule, outreach.due_date) == ("renewal-90d", None)
    saved, moved = store.schedule.change_dates(handoff.id, renewal_date="2027-03-01")
    assert saved.renewal_date == date(2027, 3, 1)
    assert tasks_by_key(store, handoff.id)["start-renewal-outreach"].due_date == date(2026, 12, 1)
    assert moved == 1


def test_due_dates_follow_the_target_date(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31",
                                    playbook=get_builtin("sales-to-cs-raci"))
    before = tasks_by_key(store, handoff.id)
    assert before["step-01"].due_date == date(2026, 12, 24)  # target-7d
    _, moved = store.schedule.change_dates(handoff.id, target_date="2027-01-31")
    after = tasks_by_key(store, handoff.id)
    assert moved == 11  # every step counts from the target date
    assert after["step-01"].due_date == date(2027, 1, 24)
    assert after["step-11"].due_date == date(2027, 2, 14)  # target+14d
    assert after["step-01"].version == before["step-01"].version + 1
    events = store.query("SELECT field, old, new FROM event WHERE entity_id = ?",
                         (before["step-01"].id,))
    assert ("due_date", "2026-12-24", "2027-01-24") in events
    assert ("target_date", "2026-12-31", "2027-01-31") in store.query(
        "SELECT field, old, new FROM event WHERE entity_id = ?", (handoff.id,))


def test_start_rules_do_not_move_and_clearing_the_target_clears_its_dates(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31")
    start_task = tasks_by_key(store, handoff.id)["license-state"]  # start+7d
    store.schedule.change_dates(handoff.id, target_date=None)
    tasks = tasks_by_key(store, handoff.id)
    assert tasks["license-state"].due_date == start_task.due_date
    assert tasks["cadence-shadow"].due_date is None  # target+0d, no target any more


def test_a_due_date_set_by_hand_stays_put(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31")
    task = tasks_by_key(store, handoff.id)["cadence-shadow"]
    saved = store.tasks.update(task.id, due_date="2027-01-15")
    assert saved.due_rule is None
    store.schedule.change_dates(handoff.id, target_date="2027-03-31")
    tasks = tasks_by_key(store, handoff.id)
    assert tasks["cadence-shadow"].due_date == date(2027, 1, 15)
    assert tasks["notes-recordings"].due_date == date(2027, 3, 31)  # its neighbour follows
    assert ("due_rule", "target", None) in store.query(
        "SELECT field, old, new FROM event WHERE entity_id = ?", (task.id,))


def test_stale_dates_are_refused(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31")
    store.schedule.change_dates(handoff.id, target_date="2027-01-31",
                                expected_version=handoff.version)
    with pytest.raises(ConflictError):
        store.schedule.change_dates(handoff.id, target_date="2027-02-28",
                                    expected_version=handoff.version)
