"""The readiness, verification and ownership rules on their own: plain records in, answers out."""

from __future__ import annotations

from datetime import UTC, date, datetime

from transfer_tui.playbooks import get_builtin
from transfer_tui.records.record import Record
from transfer_tui.rules import (
    ReadyRule,
    evaluate,
    moves_on_accept,
    rules_for,
    verified,
    why_not_verify,
)

OUT, IN = "Hannah Schultz", "Sam Okafor"
STARTED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
_count = iter(range(10_000))


def record(kind: str, by: str = OUT, verified_by: str | None = None, **values) -> Record:
    when = datetime(2026, 10, 2, tzinfo=UTC)
    return Record(kind, f"r{next(_count)}", "h", values, 1, when, by, when, by,
                  verified_at=datetime(2026, 10, 3, tzinfo=UTC) if verified_by else None,
                  verified_by=verified_by)


def check(rules, records: list[Record]):
    grouped: dict[str, list[Record]] = {}
    for one in records:
        grouped.setdefault(one.kind_key, []).append(one)
    return evaluate(rules, grouped, outgoing=OUT, started=STARTED, today=TODAY)


CSM = get_builtin("csm-account-transfer").ready
HAND_OVER = rules_for(CSM, "hand_over")


def ready_records() -> list[Record]:
    return [
        record("license", plan="Enterprise", renewal_date=date(2027, 2, 1)),
        record("stakeholder", name="Henrik", sponsor=True, email="h@x.example",
               introduced_on=date(2026, 11, 25)),
        record("stakeholder", name="Lena", primary_contact=True, email="l@x.example",
               introduced_on=date(2026, 11, 25)),
        record("health", day=date(2026, 11, 20), score=70),
        record("cadence", name="Weekly", takeover_date=date(2026, 12, 1)),
    ]


def test_nothing_recorded_meets_only_the_rules_about_what_is_absent() -> None:
    found = check(HAND_OVER, [])
    # no high risk, ticket or open promise; no sponsor or primary contact to introduce
    assert (found.met, found.total) == (5, 10)
    assert found.header == "ready: 5 of 10"
    assert found.first_kind() == "license"
    assert found.missing[0].line == ("A license with its renewal date: record it in "
                                     "Context → License")


def test_the_facts_make_it_ready() -> None:
    assert check(HAND_OVER, ready_records()).ready


def test_a_key_stakeholder_not_yet_introduced_holds_the_hand_over() -> None:
    records = ready_records()
    records[1] = record("stakeholder", name="Henrik", sponsor=True, email="h@x.example")
    found = check(HAND_OVER, records)
    assert [r.rule.key for r in found.missing] == ["sponsors-introduced"]
    assert found.missing[0].line == (
        "Every executive sponsor introduced to the incoming CSM (1 falling short: Henrik): "
        "fix them in Context → Stakeholders")


def test_a_license_without_its_renewal_date_is_not_enough() -> None:
    records = ready_records()
    records[0] = record("license", plan="Enterprise")
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["license-renewal"]


def test_a_sponsor_needs_an_email_and_the_flag() -> None:
    records = ready_records()
    records[1] = record("stakeholder", name="Henrik", sponsor=True,
                        introduced_on=date(2026, 11, 25))
    records.append(record("stakeholder", name="Other", email="o@x.example"))
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["sponsor"]


def test_health_older_than_30_days_does_not_count() -> None:
    records = ready_records()
    records[3] = record("health", day=date(2026, 10, 25), score=70)
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["recent-health"]


def test_every_high_risk_needs_owner_and_mitigation_and_names_the_one_short() -> None:
    records = [*ready_records(),
               record("risk", risk="Churn", severity="high", owner="Sam"),
               record("risk", risk="Minor", severity="low")]
    (missing,) = check(HAND_OVER, records).missing
    assert missing.rule.key == "high-risks" and "1 falling short: Churn" in missing.line


def test_open_critical_ticket_needs_the_incoming_csm_in_cc() -> None:
    records = [*ready_records(),
               record("ticket", title="Export", severity="critical", status="open", cc=False),
               record("ticket", title="Old", severity="critical", status="solved", cc=False)]
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["tickets-cc"]


def test_an_open_promise_owned_by_the_outgoing_csm_blocks_a_kept_one_does_not() -> None:
    records = [*ready_records(),
               record("promise", promise="SSO", status="pending", owner=" hannah  SCHULTZ "),
               record("promise", promise="Training", status="fulfilled", owner=OUT)]
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["promises-owned"]


def test_acceptance_also_needs_the_facts_verified_by_someone_else() -> None:
    (rule,) = [r for r in CSM if r.at == "accept"]
    records = ready_records()
    assert not check([rule], records).ready
    checked = [record(r.kind_key, verified_by=IN, **r.values) for r in records]
    assert check([rule], checked).ready
    self_checked = [record("license", verified_by=OUT, plan="x")]
    assert not check([rule], self_checked).ready


def test_verified_before_the_handoff_started_is_for_another_pair() -> None:
    old = Record("license", "r", "h", {}, 1, STARTED, OUT, STARTED, OUT,
                 verified_at=datetime(2026, 9, 1, tzinfo=UTC), verified_by=IN)
    assert not verified(old, STARTED)


def test_some_with_least_counts_the_records_passing() -> None:
    rule = ReadyRule("two", "Two stakeholders", "stakeholder", filled=("email",), least=2)
    found = check([rule], [record("stakeholder", name="A", email="a@x.example")])
    assert not found.ready and found.missing[0].detail == "1 of 2"


def test_nobody_verifies_what_they_wrote() -> None:
    mine = record("license", by=OUT, plan="x")
    assert why_not_verify("hannah schultz", mine) == (
        "You added this license: someone else (the incoming CSM) must verify it")
    assert why_not_verify(IN, mine) is None


def test_acceptance_moves_open_promises_risks_and_opportunities_the_outgoing_csm_owns() -> None:
    records = {
        "promise": [record("promise", promise="SSO", status="pending", owner=OUT),
                    record("promise", promise="Kept", status="fulfilled", owner=OUT),
                    record("promise", promise="Theirs", status="pending", owner="Someone"),
                    record("promise", promise="Nobody's", status="at_risk", owner="")],
        "risk": [record("risk", risk="Churn", owner=OUT)],
        "opportunity": [record("opportunity", name="Add-on", stage="proposal", owner=OUT),
                        record("opportunity", name="Signed", stage="won", owner=OUT)],
    }
    moves = moves_on_accept(records, OUT, IN)
    assert [(m.kind_key, m.title, m.new) for m in moves] == [
        ("promise", "SSO", IN), ("promise", "Nobody's", IN), ("risk", "Churn", IN),
        ("opportunity", "Add-on", IN)]
    assert moves[0].line == f"promise 'SSO': {OUT} → {IN}"
    assert moves[1].line == f"promise \"Nobody's\": (nobody) → {IN}"


def test_an_open_promise_nobody_owns_is_still_the_outgoing_csms() -> None:
    records = [*ready_records(), record("promise", promise="SSO", status="pending")]
    assert [r.rule.key for r in check(HAND_OVER, records).missing] == ["promises-owned"]
    records[-1] = record("promise", promise="SSO", status="pending", owner=IN)
    assert check(HAND_OVER, records).ready
