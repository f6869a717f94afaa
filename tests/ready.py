"""A handoff on the default playbook made ready for hand-over and acceptance: what its
readiness rules ask recorded by the outgoing CSM, then verified by the incoming one."""

from __future__ import annotations

from transfer_tui.store import Store

FACTS = (
    ("license", {"plan": "Team", "renewal_date": "2027-06-30"}),
    ("stakeholder", {"name": "Ana Lopez", "sponsor": True, "primary_contact": True,
                     "email": "ana.lopez@customer.example", "introduced_on": "2026-11-20"}),
    ("health", {"score": 70}),  # measured the day it is recorded
    ("cadence", {"name": "Weekly sync", "takeover_date": "2026-12-01"}),
)


def make_ready(store: Store, handoff_id: str, outgoing: str, incoming: str) -> None:
    user = store.user
    store.user = outgoing
    today = store.now().date()
    added = [store.add_record(handoff_id, kind, {"day": today, **values} if kind == "health"
                              else values) for kind, values in FACTS]
    store.user = incoming
    for record in added:
        store.verify_record(record.kind_key, record.id)
    store.user = user
