"""The home screen's rows: the columns, each handoff's cells, and the filter.

Cells are made only for the rows on screen (the table asks as it draws); the
filter looks in each handoff's text folded once per reload.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from datetime import date

from rich.cells import cell_len
from rich.text import Text

from transfer_tui.domain import STATE_FILTERS, HandoffState
from transfer_tui.store import HandoffSummary
from transfer_tui.store.summary import list_order
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.lazy_table import Column
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import plain


def _account_width(summary: HandoffSummary) -> int:
    return min(cell_len(summary.account), ACCOUNT_LIMIT)


def _people_width(summary: HandoffSummary) -> int:
    return (min(cell_len(summary.outgoing), PERSON_LIMIT) + 3
            + min(cell_len(summary.incoming), PERSON_LIMIT))


ACCOUNT_LIMIT, PERSON_LIMIT = 40, 24
# Names take the room they need first; in a narrow window the dates give way.
COLUMNS = (
    Column("Account", key="account", share=4, fits=_account_width),
    Column("Outgoing → Incoming", key="people", share=5, fits=_people_width),
    Column("Progress · ✖ blocked", 21, key="progress"),
    Column("State", 8, key="state"),
    Column("Target", 12, key="target", gives_way=2),
    Column("Renewal", 12, key="renewal", gives_way=1),
)

STATE_STYLE = {
    HandoffState.ACTIVE: "dim",
    HandoffState.HANDED_OVER: "bold yellow",
    HandoffState.ACCEPTED: "green",
    HandoffState.REJECTED: "bold red",
}


#: The home screen's ``f`` filter: the sign-off states, then "late" (see transfer_tui.lateness).
LATE = "late"
HOME_FILTERS = (*STATE_FILTERS, LATE)


def state_cell(state: HandoffState, late: bool = False) -> Text:
    """The sign-off state in one word; "late" instead while the handoff is late."""
    if late:
        return Text(LATE, style="bold red", no_wrap=True)
    return Text(state.short, style=STATE_STYLE[state], no_wrap=True)


def keeps(home_filter: str, today: date) -> Callable[[HandoffSummary], bool] | None:
    """What the ``f`` filter lets through; None for "all" (everyone)."""
    if home_filter == LATE:
        return lambda s: s.overdue(today)
    if home_filter == "all":
        return None
    states = {state.value for state in STATE_FILTERS[home_filter]}
    return lambda s: s.state in states


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
    people = plain(summary.outgoing, limit=PERSON_LIMIT)
    people.append(" → ", style="dim")
    people.append_text(plain(summary.incoming, limit=PERSON_LIMIT))
    progress = progress_bar(summary.done, summary.total, percent=False)
    if summary.blocked:
        progress.append(f" ✖{summary.blocked}", style="bold red")
    return (
        plain(summary.account, account_style, limit=ACCOUNT_LIMIT),
        people,
        progress,
        state_cell(summary.sign_off, overdue),
        target,
        renewal_cell(summary, today),
    )


def _pair_order(pair: tuple[str, HandoffSummary]) -> tuple[str, str, str]:
    return list_order(pair[1])


class Finder:
    """Filter-as-you-type over one reload's handoffs."""

    def __init__(self, everyone: list[HandoffSummary], today: date | None = None):
        self.everyone = everyone
        self.today = today or date.today()
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
        patched = Finder(everyone, self.today)
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
        keep = keeps(state_filter, self.today)
        if not needle:
            return everyone if keep is None else list(filter(keep, everyone))
        words = tuple(needle.casefold().split())
        key = (state_filter, words)
        if key in self._found:
            return [s for _, s in self._found[key]]
        if self._folded is None:
            self._folded = [(s.haystack, s) for s in everyone]
        pairs = self._folded
        done: tuple[str, ...] = ()
        for (state, before), found in reversed(self._found.items()):
            if state == state_filter and len(before) <= len(words) and all(
                    old in new for old, new in zip(before, words, strict=False)):
                pairs, done = found, before  # every match now was a match then
                break
        else:
            if keep is not None:
                pairs = [p for p in pairs if keep(p[1])]
        for index, word in enumerate(words):
            if index >= len(done) or word != done[index]:
                pairs = [p for p in pairs if word in p[0]]
        if len(self._found) > 64:
            self._found.clear()
        self._found[key] = pairs
        return [s for _, s in pairs]

