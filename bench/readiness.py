"""Readiness on a big handoff: python bench/readiness.py [--records N] [--runs N]

The checklist evaluates its playbook's readiness rules on every reload (each saved
key press), so the check must stay far below what a person notices: the target is
5 ms for a handoff with 200 records. Prints one table:

1. the rules alone (``transfer_tui.rules.evaluate``) on N records in memory;
2. what the checklist does: ``readiness_of`` on the handoff (its kept rules read
   back, then evaluated) with the records already read;
3. for scale, reading those N records from a database file (``handoff_records``),
   which the checklist does anyway.

Each figure is the median of ``--runs`` runs. Nothing here is a test: the figures
depend on the machine; the README records them with the machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from transfer_tui.playbooks import get_builtin
from transfer_tui.rules import evaluate, rules_for
from transfer_tui.store import Store, readiness_of

TARGET_MS = 5.0
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OUT, IN = "Hannah Schultz", "Sam Okafor"


def samples(n: int) -> list[tuple[str, dict]]:
    """N records spread over the kinds the rules read, each kind in its usual shape."""
    day = date(2026, 11, 20)
    make = [
        lambda i: ("stakeholder", {"name": f"Person {i}", "email": f"p{i}@acme.example",
                                   "sponsor": i % 7 == 0, "primary_contact": i % 5 == 0}),
        lambda i: ("health", {"day": day - timedelta(days=i % 300), "score": 40 + i % 50}),
        lambda i: ("risk", {"risk": f"Risk {i}", "severity": ("high", "medium", "low")[i % 3],
                            "owner": IN, "mitigation": "watch it"}),
        lambda i: ("ticket", {"title": f"Ticket {i}", "severity": "high", "status": "open",
                              "cc": True}),
        lambda i: ("promise", {"promise": f"Promise {i}", "status": "fulfilled", "owner": OUT}),
        lambda i: ("key_date", {"name": f"Date {i}", "day": day + timedelta(days=i)}),
    ]
    found = [("license", {"plan": "Enterprise", "renewal_date": date(2027, 3, 1)}),
             ("cadence", {"name": "Weekly", "takeover_date": date(2026, 12, 1)})]
    found += [make[i % len(make)](i) for i in range(n - len(found))]
    return found


def timed(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db", OUT, clock=lambda: NOW)
        handoff = store.handoffs.create("Acme", OUT, IN)
        with store.batch():
            for kind, values in samples(args.records):
                store.records.add(handoff.id, kind, values)
        records = store.records.of_handoff(handoff.id)
        count = sum(len(found) for found in records.values())
        rules = rules_for(get_builtin("csm-account-transfer").ready, "hand_over")
        today = NOW.date()
        checklist = store.handoffs.checklist(handoff.id)
        found = readiness_of(checklist.handoff, records, today)
        figures = [
            ("rules alone (evaluate)", timed(lambda: evaluate(
                rules, records, outgoing=OUT, started=NOW, today=today), args.runs)),
            ("the checklist's check (readiness_of)", timed(lambda: readiness_of(
                checklist.handoff, records, today), args.runs)),
            ("for scale: reading the records", timed(lambda: store.records.of_handoff(
                handoff.id), max(args.runs // 10, 5))),
        ]
        store.close()
    print(f"transfer-tui readiness benchmark: {count} records, {len(rules)} rules, "
          f"{found.header if found else 'no rules'}; median of {args.runs} runs")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()}")
    print()
    print("| # | figure | ms | target |")
    print("|---|---|---|---|")
    for number, (name, ms) in enumerate(figures, start=1):
        target = f"< {TARGET_MS:g} ms: {'ok' if ms < TARGET_MS else 'MISSED'}" if number < 3 \
            else "-"
        print(f"| {number} | {name} | {ms:.3f} | {target} |")


if __name__ == "__main__":
    main()
