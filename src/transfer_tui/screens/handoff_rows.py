"""The home screen's rows: the columns, each handoff's cells, and the filter.

Cells are made only for the rows on screen (the table asks as it draws); the
filter looks in each handoff's text folded once per reload.
"""

from __future__ import annotations

from bisect import insort
from datetime import date

from rich.text import Text

from transfer_tui.domain import STATE_FILTERS, HandoffState
from transfer_tui.store import HandoffSummary
from transfer_tui.store.summary import list_order
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.lazy_table import Column
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import plain

COLUMNS = (
    Column("Account", key="account", share=4),
    Column("Outgoing → Incoming", key="people", share=5),
    Column("Progress · ✖ blocked", 21, key="progress"),
    Column("State", 8, key="state"),
    Column("Target", 12, key="target"),
    Column("Renewal", 12, key="renewal"),
)

STATE_STYLE = {
    HandoffState.ACTIVE: "dim",
    HandoffState.HANDED_OVER: "bold yellow",
    HandoffState.ACCEPTED: "green",
    HandoffState.REJECTED: "bold red",
}


def state_cell(state: HandoffState) -> Text:
    return Text(state.short, style=STATE_STYLE[state], no_wrap=True)


def renewal_cell(summary: HandoffSummary, today: date) -> Text:
    """When the next renewal is; ``⚠ reach out`` once its outreach day has passed."""
    if summary.renewal is None:
        return Text("—", style="dim")
    if summary.outreach_missed(today):
        return Text("⚠ reach out", style="bold yellow")
    return Text(days_until(summary.renewal, today), style="dim" if summary.complete else "")


def cells(summary: HandoffSummary, today: date) -> tuple[Text, ...]:
    """One row's cells: overdue handoffs stand out, complete ones fade."""
    overdue = summary.overdue(today)
    target = Text("—", style="dim")
    if summary.target_date is not None:  # relative while open: the date is one key away
        if overdue:
            target = Text(days_until(summary.target_date, today), "bold red")
        elif summary.complete:
            target = Text(summary.target_date.isoformat(), style="dim")
        else:
            target = Text(days_until(summary.target_date, today))
    account_style = "bold red" if overdue else ("dim" if summary.complete else "bold")
    people = plain(summary.outgoing, limit=24)
    people.append(" → ", style="dim")
    people.append_text(plain(summary.incoming, limit=24))
    progress = progress_bar(summary.done, summary.total, percent=False)
    if summary.blocked:
        progress.append(f" ✖{summary.blocked}", style="bold red")
    return (
        plain(summary.account, account_style, limit=40),
        people,
        progress,
        state_cell(summary.sign_off),
        target,
        renewal_cell(summary, today),
    )


def _pair_order(pair: tuple[str, HandoffSummary]) -> tuple[str, str, str]:
    return list_order(pair[1])


class Finder:
    """Filter-as-you-type over one reload's handoffs."""

    def __init__(self, everyone: list[HandoffSummary]):
        self.everyone = everyone
        # each summary with its haystack (made on first filter), and results by filter
        self._folded: list[tuple[str, HandoffSummary]] | None = None
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[str, HandoffSummary]]] = {}

    def updated(self, touched: set[str], changed: list[HandoffSummary]) -> Finder:
        """This list with the ``touched`` handoffs replaced by their ``changed`` lines (one
        that is not among them is gone), each put in its place in the list's order.

        The folded text of the others is kept, so a colleague's save costs a pass over
        the list, not a new summary and haystack for each handoff."""
        everyone = [s for s in self.everyone if s.id not in touched]
        for summary in changed:
            insort(everyone, summary, key=list_order)
        patched = Finder(everyone)
        if self._folded is not None:
            folded = [p for p in self._folded if p[1].id not in touched]
            for summary in changed:
                insort(folded, (summary.haystack, summary), key=_pair_order)
            patched._folded = folded
        return patched

    def matching(self, state_filter: str, needle: str) -> list[HandoffSummary]:
        """The handoffs the state filter and every word of ``needle`` let through.

        Each keystroke narrows the last result when it only adds to the words (10,000
        handoffs: about a millisecond); a result seen before (backspace) is kept.
        """
        everyone = self.everyone
        states = {state.value for state in STATE_FILTERS[state_filter]}
        if not needle:
            if state_filter == "all":
                return everyone
            return [s for s in everyone if s.state in states]
        words = tuple(needle.casefold().split())
        key = (state_filter, words)
        if key in self._found:
            return [s for _, s in self._found[key]]
        if self._folded is None:
            self._folded = [(s.haystack, s) for s in everyone]
        pairs, done = self._folded, ()
        for (state, before), found in reversed(self._found.items()):
            if state == state_filter and len(before) <= len(words) and all(
                    old in new for old, new in zip(before, words, strict=False)):
                pairs, done = found, before  # every match now was a match then
                break
        else:
            if state_filter != "all":
                pairs = [p for p in pairs if p[1].state in states]
        for index, word in enumerate(words):
            if index >= len(done) or word != done[index]:
                pairs = [p for p in pairs if word in p[0]]
        if len(self._found) > 64:
            self._found.clear()
        self._found[key] = pairs
        return [s for _, s in pairs]

