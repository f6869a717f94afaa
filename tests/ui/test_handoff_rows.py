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


def test_a_change_put_in_place_keeps_every_kept_result_right(demo_store) -> None:
    """A colleague's changes are patched into the list and into every result the filter
    kept (for backspace and narrowing): afterwards each result, and the widths of its
    names, are what a fresh filter over the new list gives."""
    from transfer_tui.screens.handoff_rows import _line, _longest
    from transfer_tui.store.summary import list_order

    everyone = demo_store.handoffs.summaries()
    finder = Finder(list(everyone), TODAY)
    for state_filter in HOME_FILTERS:
        for needle in TYPED:
            finder.matching(state_filter, needle)  # every one kept
    globex, first, last = everyone[2], everyone[0], everyone[-1]
    renamed = globex._replace(account="Zeta Okafor Freight", outgoing="Sam Dana")
    grown = first._replace(done=first.total, state="accepted")
    made = last._replace(id="new-one", account="Aardvark Okafor", created_text="2026-11-01")
    now = sorted([renamed, grown, made, *everyone[1:2], *everyone[3:-1]], key=list_order)
    finder.update({globex.id, first.id, last.id}, [renamed, grown, made])
    assert [s.id for s in finder.everyone] == [s.id for s in now]
    fresh = Finder(now, TODAY)
    for state_filter in HOME_FILTERS:
        for needle in TYPED:
            assert [s.id for s in finder.matching(state_filter, needle)] == \
                [s.id for s in fresh.matching(state_filter, needle)], (state_filter, needle)
            lines = [_line(s) for s in finder.matching(state_filter, needle)]
            assert finder.longest(state_filter, needle) == _longest(lines)
    assert finder.position(finder.matching("all", "okafor"), renamed.id) == \
        [s.id for s in finder.matching("all", "okafor")].index(renamed.id)
    assert finder.position(finder.matching("all", "zz"), renamed.id) is None
