"""Sample handoffs in varied states, so a newcomer sees a living app at once.

Dates are relative to today (one handoff is always overdue, one always fresh).
Ids are derived from the account name, so loading twice adds nothing twice.
Every change is made through the store, by the person who would have made it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from transfer_tui.playbooks import get_builtin
from transfer_tui.store import Store

DEMO_NAMESPACE = uuid.UUID("6f1c2d8e-4b7a-4c55-9a43-2f0e6b1d9c70")


@dataclass
class Step:
    """One change on a task, made ``days`` after the handoff started, by one side."""

    key: str
    days: int
    by: str  # "outgoing" or "incoming"
    status: str | None = None
    owner: str | None = None
    note: str | None = None


@dataclass
class DemoHandoff:
    account: str
    outgoing: str
    incoming: str
    started: int  # days before today
    target: int | None  # days after today (negative: in the past)
    mode: str = "direct"
    steps: list[Step] = field(default_factory=list)
    finish_all: bool = False  # mark every task not mentioned done
    handed_over: int | None = None  # days after the start the outgoing CSM handed it over
    playbook: str = "csm-account-transfer"


def demo_id(account: str) -> str:
    return uuid.uuid5(DEMO_NAMESPACE, account).hex


HANDOFFS = [
    DemoHandoff(
        "Northwind Traders", "Dana Whitfield", "Sam Okafor", started=0, target=45,
    ),
    DemoHandoff(
        "Globex Logistics", "Priya Raman", "Marco Bellini", started=12, target=20,
        mode="shadowing",
        steps=[
            Step("health-open-tracking", 0, "incoming", "done"),
            Step("license-state", 2, "outgoing", "done",
                 note="Enterprise plan, 250 seats (231 used). 3-year term, renews in February.\n"
                      "Finance asked about moving to quarterly billing: not agreed yet."),
            Step("license-record", 3, "incoming", "done"),
            Step("channels-map", 3, "both", "done",
                 note="Slack shared channel #globex-ops for day to day; email for anything "
                      "contractual (legal@ is cc'd). Weekly call on Thursdays."),
            Step("channels-collab-project", 4, "incoming", "in_progress",
                 note="Collaboration project has 14 open issues; 5 look stale."),
            Step("channels-collab-cleanup", 5, "outgoing", "blocked",
                 note="Waiting for Globex's admin to restore Priya's access to the project."),
            Step("health-score-timeline", 5, "incoming", "done"),
            Step("health-history-outlook", 6, "both", "in_progress",
                 note="Health dipped to yellow after the April outage; recovering. Priya expects "
                      "a push for SSO before renewal."),
            Step("tickets-subscribe", 6, "incoming", "done"),
            Step("tickets-critical-open", 7, "incoming", "blocked",
                 note="Sev-1 on the data export is still open with Support; need an owner "
                      "before the customer's month-end close."),
            Step("cadence-shadow", 8, "outgoing", "in_progress",
                 note="Priya leads the Thursday calls until the 20th; Marco shadows and takes "
                      "the follow-ups."),
            Step("hosting-assess", 9, "incoming", "na",
                 note="SaaS only: nothing self-managed to assess."),
        ],
    ),
    DemoHandoff(
        "Initech", "Alex Chen", "Jordan Rivera", started=40, target=-5,
        steps=[
            Step("health-open-tracking", 0, "incoming", "done"),
            Step("license-state", 1, "both", "done", note="Team plan, 40 seats, monthly."),
            Step("license-record", 2, "incoming", "done"),
            Step("channels-map", 2, "both", "done"),
            Step("channels-collab-project", 5, "incoming", "done"),
            Step("channels-collab-cleanup", 6, "outgoing", "done"),
            Step("channels-email-history", 7, "incoming", "done"),
            Step("health-attributes", 8, "incoming", "done"),
            Step("health-score-timeline", 8, "incoming", "done"),
            Step("health-history-outlook", 10, "both", "done",
                 note="Champion (Bill L.) left in June; new sponsor not yet engaged."),
            Step("success-plan-review", 12, "incoming", "done"),
            Step("success-plan-build-out", 15, "both", "blocked",
                 note="Success plan is empty. Need 30 minutes with the new sponsor to rebuild "
                      "it; two invites declined."),
            Step("tickets-subscribe", 16, "incoming", "done"),
            Step("tickets-unsubscribe", 17, "outgoing", "done"),
            Step("cadence-schedule", 20, "incoming", "done"),
            Step("opportunities-renewal", 25, "incoming", "in_progress",
                 note="Renewal in 4 months; they hinted at cutting seats to 25."),
        ],
    ),
    DemoHandoff(
        # Every task ticked and nothing recorded: readiness refuses the hand-over.
        "Umbrella Health", "Hannah Schultz", "Sam Okafor", started=35, target=-2,
        finish_all=True,
        steps=[
            Step("hosting-assess", 10, "incoming", "na",
                 note="Hosted by us in the EU region; no customer-side environment."),
            Step("hosting-discuss", 10, "incoming", "na", note="As above: nothing to discuss."),
            Step("notes-recordings", 20, "incoming", "done",
                 note="Watched the last EBR recording and the product-feedback call."),
        ],
    ),
    DemoHandoff(
        "Blue Harbor Credit Union", "Marco Bellini", "Dana Whitfield", started=3, target=60,
        steps=[
            Step("health-open-tracking", 0, "incoming", "done"),
            Step("license-state", 2, "both", "in_progress",
                 note="Contract value in the CRM disagrees with the order form: checking with "
                      "Finance."),
            Step("notes-folder", 3, "outgoing", "done"),
        ],
    ),
    # One handoff on each of the other built-in playbooks.
    DemoHandoff(  # ready, handed over: waiting for Sam to accept it
        "Soylent Research", "Alex Chen", "Sam Okafor", started=20, target=5,
        finish_all=True, handed_over=18, playbook="desktop-study-handover",
    ),
    DemoHandoff(
        "Stark Analytics", "Priya Raman", "Lee Park", started=6, target=30,
        playbook="sales-to-cs-internal",
    ),
    DemoHandoff(
        "Wayne Freight", "Dana Whitfield", "Marco Bellini", started=2, target=40,
        playbook="post-sale-handoff",
    ),
    DemoHandoff(
        "Wonka Foods", "Alex Chen", "Dana Whitfield", started=9, target=21,
        playbook="sales-to-cs-raci",
    ),
]


@contextmanager
def _acting(store: Store, person: str, at: datetime) -> Iterator[None]:
    """Make the store record ``person`` at ``at``, as if they had made the change."""
    user, clock = store.user, store.now
    store.user, store.now = person, (lambda: at)
    try:
        yield
    finally:
        store.user, store.now = user, clock


def load_demo(store: Store, today: date | None = None) -> list[str]:
    """Add the sample handoffs missing from ``store``; return the accounts added.

    All in one transaction: stopped half-way (killed, a full disk), it adds none.
    """
    today = today or date.today()
    added = []
    with store.batch():
        existing = {s.id for s in store.summaries()}
        for sample in HANDOFFS:
            handoff_id = demo_id(sample.account)
            if handoff_id in existing:
                continue
            _add(store, sample, handoff_id, today)
            added.append(sample.account)
    return added


def _moment(day: date, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC) + timedelta(minutes=minutes)


def _add(store: Store, sample: DemoHandoff, handoff_id: str, today: date) -> None:
    start = today - timedelta(days=sample.started)
    target = today + timedelta(days=sample.target) if sample.target is not None else None
    with _acting(store, sample.incoming, _moment(start)):
        store.create_handoff(sample.account, sample.outgoing, sample.incoming,
                             target_date=target, mode=sample.mode, handoff_id=handoff_id,
                             playbook=get_builtin(sample.playbook))
    tasks = {task.key: task for task in store.checklist(handoff_id).tasks}
    people = {"outgoing": sample.outgoing, "incoming": sample.incoming, "both": sample.outgoing}
    for number, step in enumerate(sample.steps):
        task = tasks[step.key]
        with _acting(store, people[step.by], _moment(start + timedelta(days=step.days), number)):
            changes: dict[str, Any] = {
                k: v for k, v in (("status", step.status), ("owner", step.owner),
                                  ("note", step.note)) if v is not None}
            store.update_task(task.id, **changes)
    if sample.finish_all:
        mentioned = {step.key for step in sample.steps}
        finish = start + timedelta(days=max(sample.started - 3, 1))
        for number, task in enumerate(tasks.values()):
            if task.key in mentioned:
                continue
            with _acting(store, sample.incoming, _moment(finish, number)):
                store.update_task(task.id, status="done")
    _add_records(store, sample, handoff_id, start, today, people)
    if sample.handed_over is not None:
        with _acting(store, sample.outgoing, _moment(start + timedelta(days=sample.handed_over))):
            store.hand_over(handoff_id)


def _add_records(store: Store, sample: DemoHandoff, handoff_id: str, start: date, today: date,
                 people: dict[str, str]) -> None:
    """Every record kind, written and verified by the people who would have done it."""
    from transfer_tui.demo_records import RECORDS

    for number, item in enumerate(RECORDS.get(sample.account, [])):
        with _acting(store, people[item.by], _moment(start + timedelta(days=item.day), number)):
            record = store.add_record(handoff_id, item.kind, item.resolved(today),
                                      record_id=demo_id(f"{sample.account}/{number}"))
        if item.verified is not None:
            when = _moment(start + timedelta(days=item.verified), number + 1)
            with _acting(store, people[item.checker], when):
                store.verify_record(item.kind, record.id)
