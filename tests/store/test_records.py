"""Records through the database: every kind round-trips, every change is checked and logged."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from tests.conftest import NOW, TODAY, fixed_clock
from transfer_tui.records import KINDS, FieldType
from transfer_tui.store import ConflictError, ReadOnlyError, Store, ValidationError

#: Every field of every kind filled, as a person would type it, and what it becomes.
SAMPLES: dict[str, tuple[dict, dict]] = {
    "license": (
        {"plan": "Enterprise [bold]", "seats_bought": "1,250", "seats_used": "1 190",
         "contract_value": "220k", "value_basis": "ACV (per year)", "currency": "eur",
         "billing": "quarterly", "contract_start": "2026-04-01", "contract_end": "2029-03-31",
         "renewal_date": "2029-04-01", "notes": "Line one\nLine *two* | pipe"},
        {"plan": "Enterprise [bold]", "seats_bought": 1250, "seats_used": 1190,
         "contract_value": 22_000_000, "value_basis": "acv", "currency": "EUR",
         "billing": "quarterly", "contract_start": date(2026, 4, 1),
         "contract_end": date(2029, 3, 31), "renewal_date": date(2029, 4, 1),
         "notes": "Line one\nLine *two* | pipe"}),
    "channel": (
        {"kind": "Slack", "address": "#acme-ops", "purpose": "day to day", "is_primary": "yes"},
        {"kind": "slack", "address": "#acme-ops", "purpose": "day to day", "is_primary": True}),
    "health": (
        {"day": "2026-11-20", "score": "72", "colour": "yellow", "comment": "dip\nafter outage"},
        {"day": date(2026, 11, 20), "score": 72, "colour": "yellow",
         "comment": "dip\nafter outage"}),
    "objective": (
        {"objective": "Cut fuel cost", "metric": "fuel spend", "baseline": "$1.2M",
         "target": "-15%", "due_date": "2027-03-31", "owner": "Derek", "status": "at risk"},
        {"objective": "Cut fuel cost", "metric": "fuel spend", "baseline": "$1.2M",
         "target": "-15%", "due_date": date(2027, 3, 31), "owner": "Derek",
         "status": "at_risk"}),
    "ticket": (
        {"reference": "#48213", "title": "Export times out", "severity": "critical",
         "status": "waiting on customer", "cc": True},
        {"reference": "#48213", "title": "Export times out", "severity": "critical",
         "status": "waiting", "cc": True}),
    "cadence": (
        {"name": "Weekly sync", "cadence": "every two weeks", "day_time": "Thu 16:00",
         "attendees": "Ana Lopez\n\n  Kim   Park \n", "lead": "outgoing",
         "takeover_date": "2026-12-15", "agenda_link": "https://example.com/a?b=1&c=2"},
        {"name": "Weekly sync", "cadence": "biweekly", "day_time": "Thu 16:00",
         "attendees": ["Ana Lopez", "Kim Park"], "lead": "outgoing",
         "takeover_date": date(2026, 12, 15), "agenda_link": "https://example.com/a?b=1&c=2"}),
    "stakeholder": (
        {"name": "Sarah Chen", "job_title": "VP Ops", "role": "economic buyer",
         "email": " sarah.chen@acme.example ", "phone": "+1 555 0100", "sponsor": "yes",
         "primary_contact": "no", "style": "Numbers first", "introduced_on": "2026-03-02",
         "disposition": "skeptical", "preferred_contact": "email", "personal_win": "promotion",
         "notes": "Numbers only."},
        {"name": "Sarah Chen", "job_title": "VP Ops", "role": "economic_buyer",
         "email": "sarah.chen@acme.example", "phone": "+1 555 0100", "sponsor": True,
         "primary_contact": False, "style": "Numbers first",
         "introduced_on": date(2026, 3, 2),
         "disposition": "skeptical", "preferred_contact": "email", "personal_win": "promotion",
         "notes": "Numbers only."}),
    "promise": (
        {"promise": "Dedicated onboarding lead", "made_to": "Derek", "made_when": "Feb 2026",
         "explicit": "implied", "status": "at_risk", "owner": "CS team"},
        {"promise": "Dedicated onboarding lead", "made_to": "Derek", "made_when": "Feb 2026",
         "explicit": "implied", "status": "at_risk", "owner": "CS team"}),
    "risk": (
        {"risk": "CFO ROI checkpoint", "category": "commercial", "severity": "high",
         "signal": "asks for a review", "mitigation": "ROI from day 1", "owner": "Jordan"},
        {"risk": "CFO ROI checkpoint", "category": "commercial", "severity": "high",
         "signal": "asks for a review", "mitigation": "ROI from day 1", "owner": "Jordan"}),
    "key_date": (
        {"name": "Go-live", "day": "2026-05-15", "notes": "all regions"},
        {"name": "Go-live", "day": date(2026, 5, 15), "notes": "all regions"}),
    "product": (
        {"name": "RouteMaster", "status": "competitor's", "vendor": "RouteMaster Inc.",
         "details": "$160K/year, weaker optimisation", "notes": "Evaluated\nin January"},
        {"name": "RouteMaster", "status": "competitor", "vendor": "RouteMaster Inc.",
         "details": "$160K/year, weaker optimisation", "notes": "Evaluated\nin January"}),
    "opportunity": (
        {"name": "Predictive maintenance", "kind": "Expansion", "value": "45k",
         "value_basis": "acv", "currency": "usd", "stage": "proposal sent",
         "expected_close": "2027-01-15", "interest": "high",
         "trigger_event": "ROI review goes well", "owner": "Lauren", "notes": "Year 2"},
        {"name": "Predictive maintenance", "kind": "expansion", "value": 4_500_000,
         "value_basis": "acv", "currency": "USD", "stage": "proposal",
         "expected_close": date(2027, 1, 15), "interest": "high",
         "trigger_event": "ROI review goes well", "owner": "Lauren", "notes": "Year 2"}),
    "feature_request": (
        {"title": "Bulk export API", "link": " https://git.example.com/issues/12?x=1&y=2 ",
         "status": "planned", "priority": "high", "asked_by": "Kevin",
         "notes": "Workaround:\nnightly CSV"},
        {"title": "Bulk export API", "link": "https://git.example.com/issues/12?x=1&y=2",
         "status": "planned", "priority": "high", "asked_by": "Kevin",
         "notes": "Workaround:\nnightly CSV"}),
    "environment": (
        {"name": "Production", "hosting": "self-managed", "location": "AWS eu-central-1",
         "product_version": "17.4", "identity_provider": "Azure AD (SAML)",
         "integrations": "SAP TM\n Salesforce ", "quirks": "Change freeze\nin December",
         "docs_link": "/shared/Customers/Acme/architecture.pdf"},
        {"name": "Production", "hosting": "self_managed", "location": "AWS eu-central-1",
         "product_version": "17.4", "identity_provider": "Azure AD (SAML)",
         "integrations": ["SAP TM", "Salesforce"], "quirks": "Change freeze\nin December",
         "docs_link": "/shared/Customers/Acme/architecture.pdf"}),
    "document": (
        {"title": "Order form 2026", "kind": "order form",
         "link": "C:\\Deals\\Acme\\order form.pdf", "day": "2026-03-28",
         "notes": "Page 3: the seat true-up"},
        {"title": "Order form 2026", "kind": "order_form",
         "link": "C:\\Deals\\Acme\\order form.pdf", "day": date(2026, 3, 28),
         "notes": "Page 3: the seat true-up"}),
}


def test_samples_fill_every_field_of_every_kind() -> None:
    assert set(SAMPLES) == {kind.key for kind in KINDS}
    for kind in KINDS:
        typed, expected = SAMPLES[kind.key]
        assert set(typed) == set(expected) == set(kind.names), kind.key


@pytest.fixture
def handoff(store: Store):
    return store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_kind_round_trips_through_the_database(store: Store, handoff, db_path,
                                                     kind: str) -> None:
    typed, expected = SAMPLES[kind]
    added = store.add_record(handoff.id, kind, typed)
    assert added.values == expected
    store.close()

    again = Store(store.target, "Sam Okafor", clock=fixed_clock)
    (record,) = again.records(handoff.id, kind)
    assert record.values == expected
    assert (record.id, record.version, record.created_by) == (added.id, 1, "Dana Whitfield")
    assert record.verified_at is None  # creating does not verify
    created = again.query("SELECT field, new FROM event WHERE entity = ? AND entity_id = ?",
                          (kind, record.id))
    assert [field for field, _ in created] == ["created"]
    row = json.loads(created[0][1])
    assert row["id"] == record.id and row["handoff_id"] == handoff.id
    assert set(row) >= set(expected)
    again.close()


def test_update_logs_each_changed_field_and_no_op_writes_nothing(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "risk", {"risk": "Champion leaves"})
    same = store.update_record("risk", record.id, {"risk": " Champion leaves "})
    assert same.version == 1
    saved = store.update_record("risk", record.id, {"severity": "high", "owner": "Sam"},
                                expected_version=1)
    assert saved.version == 2 and saved.changed_by == "Dana Whitfield"
    events = store.query("SELECT field, old, new FROM event WHERE entity_id = ? AND field != "
                         "'created' ORDER BY field", (record.id,))
    assert events == [("owner", "", "Sam"), ("severity", "medium", "high")]


def test_stale_version_is_refused_with_their_value(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "ticket", {"title": "Export fails"})
    store.user = "Sam Okafor"
    store.update_record("ticket", record.id, {"status": "solved"}, expected_version=1)
    store.user = "Dana Whitfield"
    with pytest.raises(ConflictError) as caught:
        store.update_record("ticket", record.id, {"status": "waiting"}, expected_version=1)
    assert caught.value.by == "Sam Okafor"
    assert caught.value.theirs == "solved"
    with pytest.raises(ConflictError):
        store.delete_record("ticket", record.id, expected_version=1)
    assert store.get_record("ticket", record.id).values["status"] == "solved"


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("license", {"plan": ""}, "plan"),
        ("license", {"plan": "Team", "seats_bought": "many"}, "seats_bought"),
        ("license", {"plan": "Team", "contract_value": "$100"}, "contract_value"),
        ("license", {"plan": "Team", "renewal_date": "2027-02-30"}, "renewal_date"),
        ("license", {"plan": "Team", "contract_start": "2027-01-01",
                     "contract_end": "2026-01-01"}, "contract_end"),
        ("health", {"day": "2026-11-01", "score": "101"}, "score"),
        ("channel", {"address": "x", "kind": "carrier pigeon"}, "kind"),
        ("promise", {"promise": "two\nlines"}, "promise"),
        ("ticket", {"title": "x", "cc": "maybe"}, "cc"),
        ("key_date", {"name": "Go-live", "colour": "red"}, "colour"),
        ("feature_request", {"title": "x", "link": "javascript:alert(1)"}, "link"),
        ("feature_request", {"title": "x", "priority": "urgent"}, "priority"),
        ("document", {"title": "x", "link": "file://server/share/x.pdf"}, "link"),
        ("document", {"title": "x", "link": "notes.txt; rm -rf ~"}, "link"),
        ("document", {"title": "x", "day": "1899-12-31"}, "day"),
        ("environment", {"name": "x", "docs_link": "https://"}, "docs_link"),
        ("environment", {"name": "x", "integrations": "y" * 201}, "integrations"),
        ("opportunity", {"name": "x", "value": "-5"}, "value"),
        ("opportunity", {"name": "x", "stage": "maybe"}, "stage"),
        ("opportunity", {"name": "x", "expected_close": "2200-01-01"}, "expected_close"),
        ("product", {"name": "x", "status": "stolen"}, "status"),
        ("product", {"name": "x" * 501}, "name"),
    ],
)
def test_invalid_values_save_nothing(store: Store, handoff, kind, values, field) -> None:
    events = store.query("SELECT count(*) FROM event")
    with pytest.raises(ValidationError) as caught:
        store.add_record(handoff.id, kind, values)
    assert caught.value.field == field
    assert "\n" not in str(caught.value)
    assert store.records(handoff.id, kind) == []
    assert store.query("SELECT count(*) FROM event") == events


def test_invalid_change_saves_nothing(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "health", {"day": "2026-11-01", "score": 60})
    with pytest.raises(ValidationError):
        store.update_record("health", record.id, {"score": "60", "day": "yesterday"})
    assert store.get_record("health", record.id) == record


def test_verified_by_rule(store: Store, handoff) -> None:
    """Verified since the handoff started, or it stands out; editing does not verify."""
    started = handoff.created_at
    record = store.add_record(handoff.id, "stakeholder", {"name": "Lena"})
    assert record.unverified(started)

    store.user = "Sam Okafor"
    verified = store.verify_record("stakeholder", record.id, expected_version=1)
    assert (verified.verified_by, verified.verified_at) == ("Sam Okafor", NOW)
    assert verified.version == 2 and verified.changed_by == "Dana Whitfield"
    assert not verified.unverified(started)
    events = store.query("SELECT field, new FROM event WHERE entity_id = ? AND field LIKE "
                         "'verified%' ORDER BY field", (record.id,))
    assert events == [("verified_at", "2026-11-25 09:00:00.000000"), ("verified_by",
                                                                      "Sam Okafor")]

    store.now = lambda: NOW + timedelta(hours=1)
    edited = store.update_record("stakeholder", record.id, {"disposition": "neutral"})
    assert edited.changed_by == "Sam Okafor"
    assert edited.verified_at == verified.verified_at  # an edit is not a verification
    assert edited.changed_since_verified

    # a record last verified before this handoff began is only the old CSM's word
    store.now = lambda: NOW - timedelta(days=200)
    store.user = "Someone Else"  # Sam changed it last: someone else verifies
    old = store.verify_record("stakeholder", record.id)
    store.now = fixed_clock
    assert old.unverified(started)


def test_records_leave_with_their_handoff(store: Store, handoff) -> None:
    for kind, (typed, _) in SAMPLES.items():
        store.add_record(handoff.id, kind, typed)
    store.delete_handoff(handoff.id)
    for kind in SAMPLES:
        assert store.query(f"SELECT count(*) FROM {kind}") == [(0,)]


def test_delete_keeps_the_whole_row_in_history(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "cadence", SAMPLES["cadence"][0])
    store.delete_record("cadence", record.id, expected_version=1)
    assert store.records(handoff.id, "cadence") == []
    (old,) = store.query("SELECT old FROM event WHERE entity_id = ? AND field = 'deleted'",
                         (record.id,))[0]
    row = json.loads(old)
    assert row["name"] == "Weekly sync" and json.loads(row["attendees"]) == ["Ana Lopez",
                                                                             "Kim Park"]


def test_promises_count_as_open_work(store: Store, handoff) -> None:
    def figures() -> tuple[int, int, int]:
        (summary,) = store.summaries()
        return summary.done, summary.total, summary.promises_open

    done, total, _ = figures()
    promise = store.add_record(handoff.id, "promise", {"promise": "Custom dashboard"})
    store.add_record(handoff.id, "promise", {"promise": "Training", "status": "at risk"})
    assert figures() == (done, total + 2, 2)
    store.update_record("promise", promise.id, {"status": "fulfilled"})
    assert figures() == (done + 1, total + 2, 1)
    store.delete_record("promise", promise.id)
    assert figures() == (done, total + 1, 1)
    checklist = store.checklist(handoff.id)
    assert (checklist.handoff.progress_done, checklist.handoff.progress_total) == (done,
                                                                                   total + 1)


@pytest.mark.parametrize(
    ("days_to_renewal", "missed"),
    [(120, False), (91, False), (90, False), (89, True), (0, True), (-1, False)],
)
def test_missed_renewal_outreach(store: Store, handoff, days_to_renewal, missed) -> None:
    renewal = TODAY + timedelta(days=days_to_renewal)
    store.add_record(handoff.id, "license", {"plan": "Team", "renewal_date": renewal})
    (summary,) = store.summaries(TODAY)
    assert summary.outreach_missed(TODAY) is missed


def test_next_renewal_skips_passed_ones_and_complete_handoffs_do_not_stand_out(
        store: Store, handoff) -> None:
    store.add_record(handoff.id, "license", {"plan": "Old", "renewal_date": "2026-01-01"})
    store.add_record(handoff.id, "license", {"plan": "Add-on", "renewal_date": "2027-01-10"})
    (summary,) = store.summaries(TODAY)
    assert summary.renewal == date(2027, 1, 10)
    for task in store.checklist(handoff.id).tasks:
        store.update_task(task.id, status="done")
    (summary,) = store.summaries(TODAY)
    assert summary.complete and not summary.outreach_missed(TODAY)


def test_read_only_database_refuses_record_changes(tmp_path, monkeypatch) -> None:
    path = tmp_path / "ro.db"
    store = Store(path, "me")
    handoff = store.create_handoff("Acme", "A", "B")
    record = store.add_record(handoff.id, "key_date", {"name": "Go-live"})
    store.close()
    monkeypatch.setattr("transfer_tui.store.connection.os.access", lambda *_a, **_k: False)
    store = Store(path, "me")
    with pytest.raises(ReadOnlyError):
        store.verify_record("key_date", record.id)
    with pytest.raises(ReadOnlyError):
        store.add_record(handoff.id, "key_date", {"name": "QBR"})
    assert store.records(handoff.id, "key_date") == [record]
    store.close()


def test_unknown_kind_and_field_are_refused(store: Store, handoff) -> None:
    with pytest.raises(ValidationError):
        store.add_record(handoff.id, "contract", {"name": "x"})
    record = store.add_record(handoff.id, "key_date", {"name": "QBR"})
    with pytest.raises(ValidationError) as caught:
        store.update_record("key_date", record.id, {"colour": "red"})
    assert caught.value.field == "colour"


def test_health_entries_newest_first(store: Store, handoff) -> None:
    for day in ("2026-10-01", "2026-11-20", "2026-06-01"):
        store.add_record(handoff.id, "health", {"day": day, "colour": "green"})
    days = [r.values["day"].isoformat() for r in store.records(handoff.id, "health")]
    assert days == ["2026-11-20", "2026-10-01", "2026-06-01"]


def test_every_field_type_is_exercised() -> None:
    used = {spec.type for kind in KINDS for spec in kind.fields}
    assert used == set(FieldType)


def test_times_are_utc(store: Store, handoff) -> None:
    record = store.add_record(handoff.id, "key_date", {"name": "QBR"})
    again = store.get_record("key_date", record.id)
    assert again.created_at.replace(tzinfo=None) == NOW.replace(tzinfo=None)
    assert isinstance(again.created_at, datetime)
