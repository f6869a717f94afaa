"""Late, declared once (transfer_tui.lateness): the Python rule, its SQL twin, home and list."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import TODAY
from transfer_tui.cli import main
from transfer_tui.lateness import is_late, late_by


@pytest.mark.parametrize(("target", "state", "done", "total", "late"), [
    (None, "active", 0, 5, False),                      # no target: never late
    (TODAY, "active", 0, 5, False),                     # due today is not late yet
    (TODAY - timedelta(days=1), "active", 0, 5, True),
    (TODAY - timedelta(days=1), "rejected", 4, 5, True),
    (TODAY - timedelta(days=1), "handed_over", 4, 5, True),
    (TODAY - timedelta(days=1), "accepted", 0, 5, False),  # accepted: done with
    (TODAY - timedelta(days=1), "handed_over", 5, 5, False),  # complete: only a signature
    (TODAY + timedelta(days=3), "active", 0, 5, False),
])
def test_the_rule(target, state, done, total, late) -> None:
    assert is_late(target, state, done, total, TODAY) is late


def test_late_by_counts_days_past_the_target() -> None:
    assert late_by(TODAY - timedelta(days=6), TODAY) == 6
    assert late_by(TODAY, TODAY) == 0
    assert late_by(None, TODAY) == 0


@pytest.mark.parametrize("offset", [-40, -10, 0, 7, 30, 90])
def test_the_sql_counts_what_the_python_rule_counts(demo_store, offset) -> None:
    """The Team view's late count (SQL) equals the home screen's (Python) on any day."""
    day = TODAY + timedelta(days=offset)
    expected = [s for s in demo_store.handoffs.summaries(day) if s.overdue(day)]
    figures = demo_store.team.figures(day)
    assert figures.late == len(expected)
    assert sum(week.late for week in figures.weeks) == len(expected)
    lines = {line.id: line.late_days for line in demo_store.team.lines(day)}
    assert {i for i, days in lines.items() if days} == {s.id for s in expected}


def test_list_says_late_in_text_and_json(capsys, db_path: Path) -> None:
    today = date.today()
    past = (today - timedelta(days=3)).isoformat()
    assert main(["--db", str(db_path), "new", "Acme", "--from", "Dana", "--to", "Sam",
                 "--target", past]) == 0
    assert main(["--db", str(db_path), "new", "Beta", "--from", "Dana", "--to", "Sam",
                 "--target", (today + timedelta(days=3)).isoformat()]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "list"]) == 0
    out = capsys.readouterr().out
    acme = next(line for line in out.splitlines() if "Acme" in line)
    beta = next(line for line in out.splitlines() if "Beta" in line)
    assert acme.endswith("active, late 3 days")
    assert beta.endswith("active")
    assert main(["--db", str(db_path), "list", "--json"]) == 0
    rows = {row["account"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["Acme"]["late"], rows["Acme"]["late_days"]) == (True, 3)
    assert (rows["Beta"]["late"], rows["Beta"]["late_days"]) == (False, 0)
