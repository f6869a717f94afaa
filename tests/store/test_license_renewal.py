"""A license's renewal date drives the handoff's renewal anchor, so outreach tasks follow."""

from __future__ import annotations

from datetime import date

from transfer_tui.playbooks import get_builtin
from transfer_tui.store import Store


def outreach(store: Store, handoff_id: str):
    return next(t for t in store.handoffs.checklist(handoff_id).tasks
                if t.due_rule == "renewal-90d")


def test_license_renewal_sets_the_outreach_due_date(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ann", "Bo",
                                    playbook=get_builtin("sales-to-cs-internal"))
    assert outreach(store, handoff.id).due_date is None
    license = store.records.add(handoff.id, "license", {"plan": "Pro",
                                                        "renewal_date": "2027-06-30"})
    assert store.handoffs.checklist(handoff.id).handoff.renewal_date == date(2027, 6, 30)
    assert outreach(store, handoff.id).due_date == date(2027, 4, 1)
    store.records.update("license", license.id, {"renewal_date": "2027-09-30"})
    assert outreach(store, handoff.id).due_date == date(2027, 7, 2)


def test_a_renewal_date_set_on_the_handoff_is_not_overridden(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ann", "Bo", renewal_date="2027-01-31",
                                    playbook=get_builtin("sales-to-cs-internal"))
    store.records.add(handoff.id, "license", {"plan": "Pro", "renewal_date": "2027-06-30"})
    assert store.handoffs.checklist(handoff.id).handoff.renewal_date == date(2027, 1, 31)
    assert outreach(store, handoff.id).due_date == date(2026, 11, 2)


def test_with_several_licenses_the_next_renewal_ahead_wins_in_any_order(store: Store) -> None:
    # The store's clock is real; these dates sit far on either side of it.
    handoff = store.handoffs.create("Acme", "Ann", "Bo")
    store.records.add(handoff.id, "license", {"plan": "Add-on", "renewal_date": "2099-06-30"})
    store.records.add(handoff.id, "license", {"plan": "Old", "renewal_date": "2001-01-01"})
    store.records.add(handoff.id, "license", {"plan": "Main", "renewal_date": "2099-01-31"})
    assert store.handoffs.checklist(handoff.id).handoff.renewal_date == date(2099, 1, 31)


def test_when_every_license_renewal_has_passed_the_latest_one_stands(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ann", "Bo")
    store.records.add(handoff.id, "license", {"plan": "Old", "renewal_date": "2001-01-01"})
    store.records.add(handoff.id, "license", {"plan": "Older", "renewal_date": "2000-01-01"})
    assert store.handoffs.checklist(handoff.id).handoff.renewal_date == date(2001, 1, 1)


def test_a_hand_set_date_survives_a_second_license(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "Ann", "Bo", renewal_date="2099-03-31")
    store.records.add(handoff.id, "license", {"plan": "Main", "renewal_date": "2099-01-31"})
    store.records.add(handoff.id, "license", {"plan": "Add-on", "renewal_date": "2099-02-28"})
    assert store.handoffs.checklist(handoff.id).handoff.renewal_date == date(2099, 3, 31)
