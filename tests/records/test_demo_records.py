"""The sample handoffs carry every record kind, in every state the screens show."""

from __future__ import annotations

from tests.conftest import TODAY, fixed_clock
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.records import KINDS, needs_attention
from transfer_tui.store import Store
from transfer_tui.timefmt import aware


def test_two_handoffs_fill_every_kind_with_all_states(demo_store: Store) -> None:
    for account in ("Globex Logistics", "Initech"):
        handoff_id = demo_id(account)
        started = demo_store.handoffs.checklist(handoff_id).handoff.created_at
        records = demo_store.records.of_handoff(handoff_id)
        assert all(records[kind.key] for kind in KINDS), account
        everything = [r for kind in records.values() for r in kind]
        assert any(r.unverified(started) for r in everything)
        assert any(not r.unverified(started) for r in everything)
        assert needs_attention(everything)
    globex = demo_store.records.of_handoff(demo_id("Globex Logistics"))
    started = demo_store.handoffs.checklist(demo_id("Globex Logistics")).handoff.created_at
    everything = [r for kind in globex.values() for r in kind]
    assert all(aware(r.created_at) >= aware(started) for r in everything)
    assert {r.verified_by for r in everything} == {None, "Priya Raman", "Marco Bellini"}


def test_demo_is_the_same_every_time(tmp_path) -> None:
    def dump(path) -> list:
        store = Store(path, "me", clock=fixed_clock)
        load_demo(store, today=TODAY)
        rows = [(r.kind_key, r.id, r.values, r.created_at, r.verified_by, r.verified_at)
                for s in store.handoffs.summaries()
                for kind in store.records.of_handoff(s.id).values()
                for r in kind]
        store.close()
        return rows

    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_globex_outreach_is_overdue_and_initech_is_not(demo_store: Store) -> None:
    summaries = {s.account: s for s in demo_store.handoffs.summaries(TODAY)}
    assert summaries["Globex Logistics"].outreach_missed(TODAY)
    assert not summaries["Initech"].outreach_missed(TODAY)
    assert summaries["Globex Logistics"].promises_open == 2
