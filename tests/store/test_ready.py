"""Ready means ready (issue 13), through the store: hand-over checks the facts, nobody
verifies their own, ownership moves on acceptance, accounts outlive handoffs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import fixed_clock
from transfer_tui.demo import demo_id
from transfer_tui.domain import HandoffState
from transfer_tui.playbooks import get_builtin
from transfer_tui.records import KINDS
from transfer_tui.store import SignOffError, Store, ValidationError
from transfer_tui.store.connection import APPLICATION_ID

UMBRELLA = demo_id("Umbrella Health")
GLOBEX = demo_id("Globex Logistics")


def test_umbrella_health_cannot_be_handed_over_as_it_is(demo_store: Store) -> None:
    """Every task ticked, nothing recorded: refused, saying what to record and where."""
    demo_store.user = "Hannah Schultz"
    assert demo_store.summaries()  # all 36 tasks are done
    handoff = demo_store.checklist(UMBRELLA).handoff
    assert handoff.tasks_done == handoff.tasks_total
    with pytest.raises(SignOffError) as caught:
        demo_store.hand_over(UMBRELLA)
    assert caught.value.missing[0] == ("A license with its renewal date: record it in "
                                       "Context → License")
    assert "An executive sponsor with an email: record it in Context → Stakeholders" in (
        caught.value.missing)
    assert demo_store.checklist(UMBRELLA).handoff.sign_off is HandoffState.ACTIVE


def test_recording_the_facts_lets_umbrella_be_handed_over(demo_store: Store) -> None:
    demo_store.user = "Hannah Schultz"
    add = demo_store.add_record
    add(UMBRELLA, "license", {"plan": "Enterprise", "renewal_date": "2027-03-01"})
    add(UMBRELLA, "stakeholder", {"name": "Dr. Mei Tan", "sponsor": True,
                                  "primary_contact": True, "email": "mei.tan@umbrella.example",
                                  "introduced_on": "2026-11-24"})
    add(UMBRELLA, "health", {"day": "2026-11-20", "score": 71})
    add(UMBRELLA, "cadence", {"name": "Monthly review", "takeover_date": "2026-12-01"})
    assert demo_store.hand_over(UMBRELLA).sign_off is HandoffState.HANDED_OVER
    demo_store.user = "Sam Okafor"
    with pytest.raises(SignOffError) as caught:  # nobody has checked Hannah's word yet
        demo_store.accept(UMBRELLA)
    assert caught.value.missing == ("Every record verified by someone other than its author "
                                    "(4 not verified: Enterprise; 2026-11-20; Monthly review and "
                                    "1 more): verify them in Context",)
    for kind, records in demo_store.handoff_records(UMBRELLA).items():
        for record in records:
            demo_store.verify_record(kind, record.id)
    assert demo_store.accept(UMBRELLA).sign_off is HandoffState.ACCEPTED


def test_the_outgoing_csm_cannot_verify_her_own_facts(demo_store: Store) -> None:
    demo_store.user = "Priya Raman"
    (unverified,) = [r for r in demo_store.records(GLOBEX, "channel")
                     if r.verified_at is None]
    with pytest.raises(ValidationError) as caught:
        demo_store.verify_record("channel", unverified.id)
    assert str(caught.value).endswith("You added this channel: someone else (Marco Bellini, "
                                      "the incoming CSM) must verify it")
    assert demo_store.get_record("channel", unverified.id).verified_at is None
    demo_store.user = "Marco Bellini"
    assert demo_store.verify_record("channel", unverified.id).verified_by == "Marco Bellini"


def test_acceptance_moves_what_the_outgoing_csm_owned_and_undo_takes_it_back(
        store: Store) -> None:
    out, incoming = "Dana Whitfield", "Sam Okafor"
    store.user = out
    handoff = store.create_handoff("Acme", out, incoming,
                                   playbook=get_builtin("sales-to-cs-raci"))
    for task in store.checklist(handoff.id).tasks:
        store.update_task(task.id, status="done")
    store.add_record(handoff.id, "stakeholder", {"name": "Ana", "sponsor": True,
                                                 "email": "ana@acme.example"})
    store.add_record(handoff.id, "objective", {"objective": "Close faster", "target": "3d"})
    kept = store.add_record(handoff.id, "promise", {"promise": "Training", "owner": out,
                                                    "status": "fulfilled"})
    risk = store.add_record(handoff.id, "risk", {"risk": "Churn", "owner": "dana  whitfield"})
    store.hand_over(handoff.id)
    store.user = incoming
    assert [m.line for m in store.moves_on_accept(handoff.id)] == [
        "risk 'Churn': dana  whitfield → Sam Okafor"]
    store.accept(handoff.id)
    assert store.get_record("risk", risk.id).values["owner"] == incoming
    assert store.get_record("promise", kept.id).values["owner"] == out  # kept: stays
    moved = [e for e in store.history(risk.id) if e.field == "owner"]
    assert moved and moved[0].actor == incoming
    store.undo_last(handoff.id)
    assert store.get_record("risk", risk.id).values["owner"] == "dana  whitfield"
    assert store.checklist(handoff.id).handoff.sign_off is HandoffState.HANDED_OVER


def test_an_open_promise_owned_by_the_outgoing_csm_moves_on_accept(store: Store) -> None:
    """Playbooks without the "not owned by the outgoing CSM" rule: acceptance moves it."""
    store.user = "Dana Whitfield"
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor",
                                   playbook=get_builtin("sales-to-cs-raci"))
    promise = store.add_record(handoff.id, "promise", {"promise": "SSO",
                                                       "owner": "Dana Whitfield"})
    moves = store.moves_on_accept(handoff.id)
    assert [(m.kind_key, m.record_id, m.new) for m in moves] == [
        ("promise", promise.id, "Sam Okafor")]


def test_a_second_handoff_of_globex_starts_with_globex_records(demo_store: Store) -> None:
    before = demo_store.handoff_records(GLOBEX)
    demo_store.user = "Marco Bellini"
    again = demo_store.create_handoff("globex  logistics", "Marco Bellini", "Dana Whitfield")
    after = demo_store.handoff_records(again.id)
    assert {k: sorted(r.values.items().__repr__() for r in v) for k, v in after.items()} == {
        k: sorted(r.values.items().__repr__() for r in v) for k, v in before.items()}
    assert all(r.verified_at is None for v in after.values() for r in v)
    assert all(after[kind.key] for kind in KINDS)  # products ... documents included
    assert demo_store.records(GLOBEX, "license")[0].verified_at is not None  # untouched
    summary = next(s for s in demo_store.summaries() if s.id == again.id)
    assert summary.promises_open == 2  # the triggers counted the carried promises


def test_an_account_id_tells_two_accounts_of_one_name_apart(store: Store) -> None:
    store.user = "Dana Whitfield"
    first = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor", account_id="ACME-EU")
    store.add_record(first.id, "license", {"plan": "Team"})
    other = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor", account_id="ACME-US")
    assert store.handoff_records(other.id)["license"] == []
    same = store.create_handoff("Acme", "Sam Okafor", "Dana Whitfield", account_id="acme-eu")
    assert [r.values["plan"] for r in store.handoff_records(same.id)["license"]] == ["Team"]
    with pytest.raises(ValidationError) as caught:
        store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor", account_id="no spaces")
    assert caught.value.field == "account_id"


def test_a_stakeholder_email_must_be_an_address(store: Store) -> None:
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    with pytest.raises(ValidationError) as caught:
        store.add_record(handoff.id, "stakeholder", {"name": "Ana",
                                                     "email": "ana@x\r\nBcc: y@z.example"})
    assert caught.value.field == "email"
    assert store.records(handoff.id, "stakeholder") == []


@pytest.mark.file_only  # reaches the file by its path (the command line, sqlite3)
def test_rules_that_do_not_read_never_stop_anyone(store: Store) -> None:
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    store.query("SELECT 1")
    raw = sqlite3.connect(store.path)
    raw.execute("UPDATE handoff SET ready_rules = '[{\"key\": 1}]' WHERE id = ?", (handoff.id,))
    raw.commit()
    raw.close()
    reopened = Store(store.path, "Dana Whitfield", clock=fixed_clock)
    try:
        for task in reopened.checklist(handoff.id).tasks:
            reopened.update_task(task.id, status="done")
        assert reopened.hand_over(handoff.id).sign_off is HandoffState.HANDED_OVER
    finally:
        reopened.close()


def test_the_previous_release_file_migrates_with_nothing_lost(tmp_path: Path) -> None:
    """A file at the step before 7: its stakeholders gain the new, empty fields
    and its handoffs the built-in playbook's rules."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from transfer_tui.store.migrations import _run_step

    for number in range(1, 7):  # step 7 brought the stakeholders' fields and account ids
        _run_step(conn, number)
    conn.execute("PRAGMA user_version = 6")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO handoff (id, account, outgoing, incoming, playbook_id, "
                 "playbook_name, created_at, created_by, updated_at, updated_by) VALUES "
                 "('h1', 'Acme', 'Dana', 'Sam', 'csm-account-transfer', 'CSM', "
                 "'2026-11-01 09:00:00', 'Dana', '2026-11-01 09:00:00', 'Dana')")
    conn.execute("INSERT INTO stakeholder (id, handoff_id, name, created_at, created_by, "
                 "changed_at, changed_by) VALUES ('s1', 'h1', 'Lena', '2026-11-01 09:00:00', "
                 "'Dana', '2026-11-01 09:00:00', 'Dana')")
    conn.commit()
    conn.close()
    store = Store(path, "Dana", clock=fixed_clock)
    try:
        (lena,) = store.records("h1", "stakeholder")
        assert lena.values["name"] == "Lena" and lena.values["email"] == ""
        assert lena.values["sponsor"] is False and lena.values["introduced_on"] is None
        with pytest.raises(SignOffError) as caught:
            store.hand_over("h1")
        assert "A license with its renewal date: record it in Context → License" in (
            caught.value.missing)
    finally:
        store.close()


@pytest.mark.file_only  # reaches the file by its path (the command line, sqlite3)
def test_accept_from_the_shell_says_what_is_now_yours(capsys, store: Store) -> None:
    from transfer_tui.cli import main

    out, incoming = "Dana Whitfield", "Sam Okafor"
    handoff = store.create_handoff("Acme", out, incoming,
                                   playbook=get_builtin("desktop-study-handover"))
    for task in store.checklist(handoff.id).tasks:
        store.update_task(task.id, status="done")
    store.add_record(handoff.id, "objective", {"objective": "Fit the cold chain"})
    store.add_record(handoff.id, "stakeholder", {"name": "Ines", "primary_contact": True,
                                                 "email": "ines@acme.example"})
    store.add_record(handoff.id, "key_date", {"name": "Read-out", "day": "2026-12-10"})
    store.add_record(handoff.id, "risk", {"risk": "Budget freeze", "owner": out})
    store.hand_over(handoff.id)
    code = main(["--db", str(store.path), "--as", incoming, "accept", "Acme"])
    printed = capsys.readouterr().out
    assert code == 0 and printed.endswith(
        "  now yours: risk 'Budget freeze': Dana Whitfield → Sam Okafor\n")


def test_the_export_shows_the_accounts_handoffs_and_the_playbooks_labels(
        demo_store: Store) -> None:
    """A second handoff of Globex: its history in Markdown and JSON; a post-sale handoff
    says Account Executive -> CSM, not outgoing and incoming CSM."""
    import json

    from transfer_tui.export import ExportOptions, render_json, render_markdown

    demo_store.user = "Marco Bellini"
    again = demo_store.create_handoff("Globex Logistics", "Marco Bellini", "Dana Whitfield")
    page = render_markdown(demo_store.snapshot(again.id), ExportOptions())
    assert "**Account history** (every handoff of this account, oldest first):" in page
    assert "- 2026-11-13 Priya Raman → Marco Bellini: active\n" in page
    assert "→ Dana Whitfield: active (this handoff)" in page
    data = json.loads(render_json(demo_store.snapshot(again.id), ExportOptions()))
    history = data["handoff"]["account_history"]
    assert [(t["outgoing"], t["current"]) for t in history] == [
        ("Priya Raman", False), ("Marco Bellini", True)]
    post_sale = next(s for s in demo_store.summaries()
                     if demo_store.checklist(s.id).handoff.playbook_id == "post-sale-handoff")
    snapshot = demo_store.snapshot(post_sale.id)
    page = render_markdown(snapshot, ExportOptions())
    assert f"{snapshot.outgoing} (Account Executive) → {snapshot.incoming} (CSM)" in page
    assert "outgoing CSM" not in page and "incoming CSM" not in page
    data = json.loads(render_json(snapshot, ExportOptions()))
    assert (data["handoff"]["outgoing_label"], data["handoff"]["incoming_label"]) == (
        "Account Executive", "CSM")
    assert "Account history" not in page  # its first handoff: nothing to add


def test_the_demo_shows_each_builtin_playbook(demo_store: Store) -> None:
    from transfer_tui.playbooks import builtin_playbooks

    used = {demo_store.checklist(s.id).handoff.playbook_id for s in demo_store.summaries()}
    assert {p.id for p in builtin_playbooks()} <= used
