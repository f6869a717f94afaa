"""Sign-off by both sides: who may do what, when, and what reopens a handoff."""

from __future__ import annotations

import pytest

from transfer_tui.domain import HandoffState
from transfer_tui.playbooks import get_builtin
from transfer_tui.store import SignOffError, Store, ValidationError

OUT, IN = "Dana Whitfield", "Sam Okafor"


@pytest.fixture
def handoff_id(store: Store) -> str:
    """A small handoff (the RACI playbook, 11 tasks) made by the outgoing CSM."""
    store.user = OUT
    return store.create_handoff("Acme", OUT, IN, playbook=get_builtin("sales-to-cs-raci")).id


def finish(store: Store, handoff_id: str) -> None:
    """Every task done (the last n/a, with a note), and what the playbook's readiness rules
    ask recorded: an executive sponsor with an email, an objective with a target."""
    store.add_record(handoff_id, "stakeholder", {"name": "Ana Lopez", "sponsor": True,
                                                 "email": "ana@acme.example"})
    store.add_record(handoff_id, "objective", {"objective": "Faster close", "target": "3 days"})
    tasks = store.checklist(handoff_id).tasks
    for task in tasks[:-1]:
        store.update_task(task.id, status="done")
    store.update_task(tasks[-1].id, status="na", note="No other teams at this customer.")


def state(store: Store, handoff_id: str) -> HandoffState:
    return store.checklist(handoff_id).handoff.sign_off


def as_(store: Store, person: str) -> Store:
    store.user = person
    return store


def test_hand_over_needs_every_task_done_or_na(store: Store, handoff_id: str) -> None:
    with pytest.raises(SignOffError) as caught:
        store.hand_over(handoff_id)
    assert str(caught.value).startswith("Cannot hand over yet: 11 tasks not done or n/a yet "
                                        "(Identify the customer's significant people;")
    assert "and 8 more" in str(caught.value)
    assert state(store, handoff_id) is HandoffState.ACTIVE


def test_na_needs_a_note_saying_why(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    last = store.checklist(handoff_id).tasks[-1]
    store.update_task(last.id, note="  ")
    with pytest.raises(SignOffError) as caught:
        store.hand_over(handoff_id)
    assert caught.value.missing == ("1 n/a task without a note saying why (Introduce other "
                                    "company roles and how to reach them)",)


def test_only_the_outgoing_csm_hands_over(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    for person in (IN, "Someone Else"):
        with pytest.raises(SignOffError) as caught:
            as_(store, person).hand_over(handoff_id)
        assert f"Only {OUT} (Sales) can hand this handoff over" in str(caught.value)
        assert f"you are working as {person}" in str(caught.value)
    as_(store, " dana  WHITFIELD ").hand_over(handoff_id)  # case and spacing do not matter
    assert state(store, handoff_id) is HandoffState.HANDED_OVER


def test_hand_over_then_accept_records_who_and_when(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    with pytest.raises(SignOffError, match=r"Only Sam Okafor \(Customer Success\) can accept"):
        store.accept(handoff_id)
    as_(store, IN).accept(handoff_id)
    handoff = store.checklist(handoff_id).handoff
    assert handoff.sign_off is HandoffState.ACCEPTED
    assert (handoff.handed_over_by, handoff.accepted_by) == (OUT, IN)
    assert handoff.handed_over_at is not None and handoff.accepted_at is not None
    events = store.query("SELECT field, old, new, actor FROM event WHERE entity_id = ? AND "
                         "field = 'state' ORDER BY at, rowid", (handoff_id,))
    assert events == [("state", "active", "handed_over", OUT),
                      ("state", "handed_over", "accepted", IN)]
    (summary,) = store.summaries()
    assert summary.sign_off is HandoffState.ACCEPTED


def test_nothing_to_accept_before_hand_over(store: Store, handoff_id: str) -> None:
    with pytest.raises(SignOffError, match="Dana Whitfield has not handed this over yet"):
        as_(store, IN).accept(handoff_id)
    with pytest.raises(SignOffError, match="nothing to reject"):
        store.reject(handoff_id, "not ready")


def test_reject_needs_a_reason_which_is_kept(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    with pytest.raises(ValidationError, match="Say why"):
        as_(store, IN).reject(handoff_id, "   ")
    store.reject(handoff_id, "The ROI analysis is missing its data.")
    handoff = store.checklist(handoff_id).handoff
    assert handoff.sign_off is HandoffState.REJECTED
    assert (handoff.rejected_by, handoff.rejection_reason) == (
        IN, "The ROI analysis is missing its data.")
    with pytest.raises(SignOffError, match="must hand it over again first"):
        store.accept(handoff_id)
    as_(store, OUT).hand_over(handoff_id)  # after fixing it, hand over again
    assert state(store, handoff_id) is HandoffState.HANDED_OVER


def test_a_task_change_after_acceptance_reopens(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    as_(store, IN).accept(handoff_id)
    task = store.checklist(handoff_id).tasks[0]
    store.update_task(task.id, note="One more thing about the champion.")
    handoff = store.checklist(handoff_id).handoff
    assert handoff.sign_off is HandoffState.ACTIVE
    assert ("state", "accepted", "active") in store.query(
        "SELECT field, old, new FROM event WHERE entity_id = ?", (handoff_id,))


def test_reopening_is_in_the_same_transaction_as_the_task_change(store: Store,
                                                                handoff_id: str,
                                                                monkeypatch) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    as_(store, IN).accept(handoff_id)
    task = store.checklist(handoff_id).tasks[0]

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(type(store), "_reopen_after_task_change", broken)
    with pytest.raises(RuntimeError):
        store.update_task(task.id, status="todo")
    assert store.get_task(task.id).status == "done"  # the task change rolled back with it
    assert state(store, handoff_id) is HandoffState.ACCEPTED


def test_awaiting_acceptance_a_note_is_fine_but_reopening_a_task_is_not(
        store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    task = store.checklist(handoff_id).tasks[0]
    as_(store, IN).update_task(task.id, note="Checked with the customer: right.")
    assert state(store, handoff_id) is HandoffState.HANDED_OVER
    store.update_task(task.id, status="in_progress")
    assert state(store, handoff_id) is HandoffState.ACTIVE
    with pytest.raises(SignOffError, match="has not handed this over yet"):
        store.accept(handoff_id)


def test_hand_over_twice_and_after_acceptance(store: Store, handoff_id: str) -> None:
    finish(store, handoff_id)
    as_(store, OUT).hand_over(handoff_id)
    with pytest.raises(SignOffError, match="Already handed over on 2026-11-25: waiting for "
                                           "Sam Okafor"):
        store.hand_over(handoff_id)
    as_(store, IN).accept(handoff_id)
    with pytest.raises(SignOffError, match="already accepted this handoff"):
        as_(store, OUT).hand_over(handoff_id)


def _promise(store: Store, handoff_id: str, text: str, status: str, owner: str = OUT) -> str:
    return store.add_record(handoff_id, "promise", {"promise": text, "status": status,
                                                    "owner": owner}).id


@pytest.fixture
def promised_id(store: Store) -> str:
    """A small handoff whose playbook has the CSM transfer's promise rule: no open promise
    still owned by the outgoing CSM."""
    from dataclasses import replace

    raci = get_builtin("sales-to-cs-raci")
    rule = next(r for r in get_builtin("csm-account-transfer").ready
                if r.key == "promises-owned")
    store.user = OUT
    return store.create_handoff("Acme", OUT, IN,
                                playbook=replace(raci, ready=(*raci.ready, rule))).id


OWNED = "No open promise still owned by the outgoing CSM"


def test_an_open_promise_of_the_outgoing_csm_stops_the_hand_over_and_is_named(
        store: Store, promised_id: str) -> None:
    """Hers (however spelt): refused. Kept, or reassigned (still open): handed over."""
    finish(store, promised_id)
    sso = _promise(store, promised_id, "SSO by March", "pending")
    review = _promise(store, promised_id, "Quarterly review", "at_risk", owner=OUT.upper())
    _promise(store, promised_id, "Kick-off deck", "fulfilled")
    _promise(store, promised_id, "Roadmap call", "pending", owner="Lee Park (SE)")
    with pytest.raises(SignOffError) as caught:
        store.hand_over(promised_id)
    assert str(caught.value) in {  # one clock: the server may list them either way
        f"Cannot hand over yet: {OWNED} (2 falling short: {names}): fix them in Context → "
        "Promises" for names in ("SSO by March; Quarterly review",
                                 "Quarterly review; SSO by March")}
    assert state(store, promised_id) is HandoffState.ACTIVE
    store.update_record("promise", sso, {"status": "fulfilled"})
    store.update_record("promise", review, {"owner": IN})  # still open: the new CSM's now
    store.hand_over(promised_id)
    assert state(store, promised_id) is HandoffState.HANDED_OVER


def test_a_promise_back_with_the_outgoing_csm_sends_the_hand_over_back(
        store: Store, promised_id: str) -> None:
    """A promise opened after the hand-over, still hers, sends it back to active; accept
    checks the same rule should the state say otherwise."""
    finish(store, promised_id)
    store.hand_over(promised_id)
    _promise(store, promised_id, "Roadmap call", "pending", owner=IN)
    assert state(store, promised_id) is HandoffState.HANDED_OVER  # the new CSM's: fine
    _promise(store, promised_id, "SSO by March", "pending")
    assert state(store, promised_id) is HandoffState.ACTIVE
    with pytest.raises(SignOffError) as caught:
        as_(store, IN).accept(promised_id)
    assert "has not handed this over yet" in str(caught.value)
    from tests.server import poke

    poke(store.target, "UPDATE handoff SET state = 'handed_over' WHERE id = ?", (promised_id,))
    with pytest.raises(SignOffError) as caught:
        as_(store, IN).accept(promised_id)
    assert str(caught.value).startswith(f"Cannot accept: {OWNED} (1 falling short: SSO")


def test_an_accepted_handoff_stays_accepted_when_a_promise_is_open_again(
        store: Store, promised_id: str) -> None:
    """After acceptance the account's promises are the incoming CSM's day-to-day work."""
    finish(store, promised_id)
    kept = _promise(store, promised_id, "SSO by March", "fulfilled")
    as_(store, OUT).hand_over(promised_id)
    as_(store, IN).accept(promised_id)
    store.update_record("promise", kept, {"status": "at_risk", "owner": IN})
    assert state(store, promised_id) is HandoffState.ACCEPTED


def test_without_the_rule_the_outgoing_csms_open_promise_passes_to_the_incoming_csm(
        store: Store, handoff_id: str) -> None:
    """The RACI playbook (sales to CS) has no such rule: the AE's open promise is handed
    over, and acceptance makes it the incoming CSM's, which undo takes back."""
    finish(store, handoff_id)
    sso = _promise(store, handoff_id, "SSO by March", "pending")
    as_(store, OUT).hand_over(handoff_id)
    as_(store, IN).accept(handoff_id)
    assert store.get_record("promise", sso).values["owner"] == IN
    assert ("owner", OUT, IN) in [(e.field, e.old, e.new) for e in store.history(sso)]
    store.undo_last(handoff_id)
    assert store.get_record("promise", sso).values["owner"] == OUT
    assert state(store, handoff_id) is HandoffState.HANDED_OVER


def test_the_cli_says_which_promise_is_open(capsys, store: Store, promised_id: str) -> None:
    from transfer_tui.cli import main

    finish(store, promised_id)
    _promise(store, promised_id, "SSO by March", "pending")
    code = main(["--db", store.target, "--as", OUT, "handover", "Acme"])
    err = capsys.readouterr().err
    assert code == 1 and err == ("transfer-tui: error: Cannot hand over yet:\n"
                                 f"  - {OWNED} (1 falling short: SSO by March): fix them in "
                                 "Context → Promises\n")


