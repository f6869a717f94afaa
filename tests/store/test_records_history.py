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
    return store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")


def test_history_names_a_record_by_its_title(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "license", {"plan": "Enterprise"})
    store.update_record("license", record.id, {"seats_bought": "250"})
    store.user = "Sam Okafor"  # nobody verifies what they wrote
    store.verify_record("license", record.id)
    history = store.history(record.id)
    assert [e.field for e in history] == ["verified_by", "verified_at", "seats_bought",
                                          "created"]
    assert {e.subject for e in history} == {"Enterprise"}
    channel = store.add_record(handoff.id, "channel", {"address": "#ops", "kind": "slack"})
    assert store.history(channel.id)[0].subject == "#ops"  # its title, not its kind
    assert store.activity(handoff.id)[0].subject == "#ops"


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
    record = store.add_record(handoff.id, kind, start)
    store.now = lambda: NOW + timedelta(minutes=1)
    store.update_record(kind, record.id, change)
    assert "back to" in store.undo_last(handoff.id)
    assert store.get_record(kind, record.id).values[field] == record.values[field]


def test_undo_of_a_delete_brings_the_record_back_readable(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "promise", {"promise": "Dashboard"})
    store.user = "Sam Okafor"
    store.verify_record("promise", record.id)
    store.delete_record("promise", record.id)
    assert store.summaries()[0].promises_open == 0
    assert "brought back" in store.undo_last(handoff.id)
    again = store.get_record("promise", record.id)
    assert again.values == record.values and again.verified_by == "Sam Okafor"
    assert again.verified_at.replace(tzinfo=None) == NOW.replace(tzinfo=None)
    assert store.summaries()[0].promises_open == 1  # the trigger counted it again


def test_undo_of_a_verification_makes_it_unverified_again(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "stakeholder", {"name": "Lena"})
    store.user = "Sam Okafor"
    store.verify_record("stakeholder", record.id)
    store.undo_last(handoff.id)
    again = store.get_record("stakeholder", record.id)
    assert (again.verified_at, again.verified_by) == (None, None)
    assert again.unverified(handoff.created_at)


def test_undo_of_adding_a_record_removes_it(store: Store, handoff) -> None:
    store.add_record(handoff.id, "promise", {"promise": "Dashboard", "status": "pending"})
    store.undo_last(handoff.id)
    assert store.records(handoff.id, "promise") == []
    assert store.summaries()[0].promises_open == 0


def test_records_travel_with_a_shared_handoff(tmp_path: Path) -> None:
    dana = Store(tmp_path / "dana.db", "Priya Raman", clock=fixed_clock)
    load_demo(dana, today=TODAY)
    dana.share(GLOBEX, tmp_path / "globex.db")
    marco = Store(tmp_path / "marco.db", "Marco Bellini", clock=fixed_clock)
    marco.merge(tmp_path / "globex.db")
    assert marco.handoff_records(GLOBEX) == dana.handoff_records(GLOBEX)
    mine = next(s for s in marco.summaries(TODAY) if s.id == GLOBEX)
    theirs = next(s for s in dana.summaries(TODAY) if s.id == GLOBEX)
    assert (mine.done, mine.total, mine.promises_open) == (theirs.done, theirs.total, 2)

    marco.now = lambda: NOW + timedelta(minutes=5)
    (promise, *_) = marco.records(GLOBEX, "promise")
    marco.update_record("promise", promise.id, {"status": "fulfilled"})
    marco.share(GLOBEX, tmp_path / "back.db")
    dana.merge(tmp_path / "back.db")
    assert dana.get_record("promise", promise.id).values["status"] == "fulfilled"
    back = next(s for s in dana.summaries(TODAY) if s.id == GLOBEX)
    assert back.promises_open == 1  # counted again after the merge
    assert back.renewal == date(2027, 2, 15)
    dana.close()
    marco.close()
