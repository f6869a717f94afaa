"""The home screen's filter remembers results to narrow from; it must agree with the
plain rule (state filter, then every word in the account or a name) after every key."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from transfer_tui.domain import STATE_FILTERS
from transfer_tui.lateness import is_late
from transfer_tui.screens.handoff_rows import HOME_FILTERS, Finder, cells

TYPED = ["o", "ok", "okafor", "okafor d", "okafor", "ok", "", "sam", "sam ok", "zz", "sam", ""]


def plain_rule(everyone, state_filter: str, needle: str) -> list[str]:
    if state_filter == "late":
        return [s.id for s in everyone if s.matches(needle) and is_late(
            s.target_date, s.state, s.done, s.total, TODAY)]
    states = {state.value for state in STATE_FILTERS[state_filter]}
    return [s.id for s in everyone
            if (state_filter == "all" or s.state in states) and s.matches(needle)]


@pytest.mark.parametrize("state_filter", HOME_FILTERS)
def test_finder_agrees_with_the_plain_rule_key_by_key(demo_store, state_filter) -> None:
    everyone = demo_store.handoffs.summaries()
    finder = Finder(everyone, TODAY)
    for needle in TYPED:
        for which in (state_filter, "all", state_filter):  # switching filters mid-typing
            found = [s.id for s in finder.matching(which, needle)]
            assert found == plain_rule(everyone, which, needle), (which, needle)


def test_every_row_has_one_cell_per_column(demo_store) -> None:
    from tests.conftest import TODAY
    from transfer_tui.screens.handoff_rows import COLUMNS

    for summary in demo_store.handoffs.summaries():
        row = cells(summary, TODAY)
        assert len(row) == len(COLUMNS)
        assert row[0].plain == summary.account


def test_the_demo_has_late_handoffs_and_home_says_so(demo_store) -> None:
    """Late (past target, open, work left) reads "late" in the State column; others not."""
    everyone = demo_store.handoffs.summaries()
    late = [s for s in everyone if s.overdue(TODAY)]
    assert late and len(late) < len(everyone)
    for summary in everyone:
        state = cells(summary, TODAY)[3].plain
        assert (state == "late") == (summary in late), summary.account
    assert [s.id for s in Finder(everyone, TODAY).matching("late", "")] == [s.id for s in late]
