"""Records get history, undo, share and merge like every other row, values intact."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, TODAY, fixed_clock
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.store import Store

GLOBEX = demo_id("Globex Logistics")


@pytest.fixture
def handoff(store: Store):
    return store.handoffs.create("Acme", "Dana Whitfield", "Sam Okafor")


def test_history_names_a_record_by_its_title(store: Store, handoff) -> None:
    record = store.records.add(handoff.id, "license", {"plan": "Enterprise"})
    store.records.update("license", record.id, {"seats_bought": "250"})
    store.user = "Sam Okafor"  # nobody verifies what they wrote
    store.records.verify("license", record.id)
    history = store.history.of(record.id)
    assert [e.field for e in history] == ["verified_by", "verified_at", "seats_bought",
                                          "created"]
    assert {e.subject for e in history} == {"Enterprise"}
    channel = store.records.add(handoff.id, "channel", {"address": "#ops", "kind": "slack"})
    assert store.history.of(channel.id)[0].subject == "#ops"  # its title, not its kind
    assert store.history.activity(handoff.id)[0].subject == "#ops"


@pytest.mark.parametrize(
    ("kind", "start", "change", "field"),
    [
        ("ticket", {"title": "Export fails", "cc": True}, {"cc": False}, "cc"),
        ("license", {"plan": "Team", "renewal_date": "2027-01-10"},
         {"renewal_date": "2027-03-01"}, "renewal_date"),
        ("license", {"plan": "Team", "contract_value": "220k"}, {"contract_value": "1.5m"},
         "contract_value"),
        ("cadence", {"name": "Sync", "attendees": "Ana\nKim"}, {"attendees": "Ana"},
         "attendees"),
        ("health", {"day": "2026-11-01", "score": "70"}, {"score": ""}, "score"),
    ],
)
def test_undo_puts_every_kind_of_value_back(store: Store, handoff, kind, start, change,
                                           field) -> None:
    record = store.records.add(handoff.id, kind, start)
    store.now = lambda: NOW + timedelta(minutes=1)
    store.records.update(kind, record.id, change)
    assert "back to" in store.history.undo_last(handoff.id)
    assert store.records.get(kind, record.id).values[field] == record.values[field]


def test_undo_of_a_delete_brings_the_record_back_readable(store: Store, handoff) -> None:
    record = store.records.add(handoff.id, "promise", {"promise": "Dashboard"})
    store.user = "Sam Okafor"
    store.records.verify("promise", record.id)
    store.records.delete("promise", record.id)
    assert store.handoffs.summaries()[0].promises_open == 0
    assert "brought back" in store.history.undo_last(handoff.id)
    again = store.records.get("promise", record.id)
    assert again.values == record.values and again.verified_by == "Sam Okafor"
    assert again.verified_at.replace(tzinfo=None) == NOW.replace(tzinfo=None)
    assert store.handoffs.summaries()[0].promises_open == 1  # the trigger counted it again


def test_undo_of_a_verification_makes_it_unverified_again(store: Store, handoff) -> None:
    record = store.records.add(handoff.id, "stakeholder", {"name": "Lena"})
    store.user = "Sam Okafor"
    store.records.verify("stakeholder", record.id)
    store.history.undo_last(handoff.id)
    again = store.records.get("stakeholder", record.id)
    assert (again.verified_at, again.verified_by) == (None, None)
    assert again.unverified(handoff.created_at)


def test_undo_of_adding_a_record_removes_it(store: Store, handoff) -> None:
    store.records.add(handoff.id, "promise", {"promise": "Dashboard", "status": "pending"})
    store.history.undo_last(handoff.id)
    assert store.records.of_kind(handoff.id, "promise") == []
    assert store.handoffs.summaries()[0].promises_open == 0


def test_records_travel_with_a_shared_handoff(tmp_path: Path) -> None:
    dana = Store(tmp_path / "dana.db", "Priya Raman", clock=fixed_clock)
    load_demo(dana, today=TODAY)
    dana.sharing.share(GLOBEX, tmp_path / "globex.db")
    marco = Store(tmp_path / "marco.db", "Marco Bellini", clock=fixed_clock)
    marco.sharing.merge(tmp_path / "globex.db")
    assert marco.records.of_handoff(GLOBEX) == dana.records.of_handoff(GLOBEX)
    mine = next(s for s in marco.handoffs.summaries(TODAY) if s.id == GLOBEX)
    theirs = next(s for s in dana.handoffs.summaries(TODAY) if s.id == GLOBEX)
    assert (mine.done, mine.total, mine.promises_open) == (theirs.done, theirs.total, 2)

    marco.now = lambda: NOW + timedelta(minutes=5)
    (promise, *_) = marco.records.of_kind(GLOBEX, "promise")
    marco.records.update("promise", promise.id, {"status": "fulfilled"})
    marco.sharing.share(GLOBEX, tmp_path / "back.db")
    dana.sharing.merge(tmp_path / "back.db")
    assert dana.records.get("promise", promise.id).values["status"] == "fulfilled"
    back = next(s for s in dana.handoffs.summaries(TODAY) if s.id == GLOBEX)
    assert back.promises_open == 1  # counted again after the merge
    assert back.renewal == date(2027, 2, 15)
    dana.close()
    marco.close()
