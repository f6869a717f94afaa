"""The home screen's rows: the columns, each handoff's cells, and the filter.

Cells are made only for the rows on screen (the table asks as it draws); the
filter looks in each handoff's text folded once per read of the list, and keeps its
results in step with each change a colleague saves.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date
from operator import itemgetter

from rich.cells import cell_len
from rich.text import Text

from transfer_tui.domain import STATE_FILTERS, HandoffState
from transfer_tui.store import HandoffSummary
from transfer_tui.store.summary import list_order
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.lazy_table import Column
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import plain


def _cells(text: str) -> int:
    """Its width on screen (printable ASCII, nearly every name: one cell a character)."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _account_width(summary: HandoffSummary) -> int:
    return min(_cells(summary.account), ACCOUNT_LIMIT)


def _people_width(summary: HandoffSummary) -> int:
    return (min(_cells(summary.outgoing), PERSON_LIMIT) + 3
            + min(_cells(summary.incoming), PERSON_LIMIT))


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
ALL = "all"
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
    if home_filter == ALL:
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


Line = tuple[str, HandoffSummary, int, int]  # folded text, the handoff, its names' widths
Found = tuple[list[Line], list[HandoffSummary], dict[int, int]]  # see Finder._found


def _line(summary: HandoffSummary) -> Line:
    return summary.haystack, summary, _account_width(summary), _people_width(summary)


def _line_order(line: Line) -> tuple[str, str, str]:
    return list_order(line[1])


_KEYS = [column.key for column in COLUMNS]
# the name columns (LazyTable's index) and their widths in a Line
_WIDTHS = {_KEYS.index("account"): itemgetter(2), _KEYS.index("people"): itemgetter(3)}
_SUMMARY = itemgetter(1)


def _longest(lines: list[Line]) -> dict[int, int]:
    """How wide each name column's longest cell is among ``lines`` (LazyTable's ``fits``)."""
    return {column: max(map(width, lines), default=0) for column, width in _WIDTHS.items()}


class Finder:
    """Filter-as-you-type over the handoffs read, kept in step with each change.

    Each handoff's text is folded and its names measured once (:meth:`prepared`, in
    the thread that read them); every result of the filter is kept with the width
    its names need, narrowed as a word grows, and patched when a handoff changes.
    """

    CACHED = 64  # results kept for backspace and for narrowing

    def __init__(self, everyone: list[HandoffSummary], today: date | None = None):
        self.everyone = everyone
        self.today = today or date.today()
        self._lines: list[Line] = []  # everyone's, in the same order (see _prepare)
        self._by_id: dict[str, HandoffSummary] = {}
        self._ready = False
        # by (state filter, words): the lines that pass, their handoffs, their longest names
        self._found: dict[tuple[str, tuple[str, ...]], Found] = {}

    def prepared(self) -> Finder:
        """Fold and measure every handoff now (50,000 handoffs: about 40 ms), not on the
        first key typed; for the thread that read the list."""
        self._prepare()
        return self

    def _prepare(self) -> None:
        if self._ready:
            return
        self._lines = list(map(_line, self.everyone))
        self._by_id = {summary.id: summary for summary in self.everyone}
        self._found[ALL, ()] = (self._lines, self.everyone, _longest(self._lines))
        self._ready = True

    def matching(self, state_filter: str, needle: str) -> list[HandoffSummary]:
        """The handoffs the state filter and every word of ``needle`` let through, in the
        list's order (kept: it changes with the next :meth:`update`)."""
        return self.found(state_filter, needle)[1]

    def longest(self, state_filter: str, needle: str) -> dict[int, int]:
        """The width of the longest cell of each name column among those handoffs."""
        lines, _, longest = found = self.found(state_filter, needle)
        if not longest:  # a widest line left it (update): measured again once
            longest.update(_longest(lines))
        return found[2]

    def found(self, state_filter: str, needle: str) -> Found:
        """The result for this filter: kept, or narrowed from the closest one kept.

        Each keystroke narrows the last result when it only adds to the words (50,000
        handoffs: about a millisecond); a result seen before (backspace) is kept.
        """
        self._prepare()
        words = tuple(needle.casefold().split())
        key = (state_filter, words)
        kept = self._found.get(key)
        if kept is not None:
            return kept
        lines = self._lines
        done: tuple[str, ...] = ()
        for (state, before), (found, _, _) in reversed(self._found.items()):
            if state == state_filter and len(before) <= len(words) and all(
                    old in new for old, new in zip(before, words, strict=False)):
                lines, done = found, before  # every match now was a match then
                break
        else:
            keep = keeps(state_filter, self.today)
            if keep is not None:
                lines = [line for line in lines if keep(line[1])]
        for index, word in enumerate(words):
            if index >= len(done) or word != done[index]:
                lines = [line for line in lines if word in line[0]]
        if len(self._found) > self.CACHED:  # the oldest go; everyone's list stays
            for old in list(self._found)[1:len(self._found) // 2]:
                del self._found[old]
        result = self._found[key] = (lines, list(map(_SUMMARY, lines)), _longest(lines))
        return result

    def update(self, touched: set[str], changed: list[HandoffSummary]) -> None:
        """Replace the ``touched`` handoffs by their ``changed`` lines (one that is not
        among them is gone), each put in its place in the list and in every result kept:
        a colleague's save costs a few lookups per result, not a pass over the list."""
        self._prepare()
        touched = touched | {summary.id for summary in changed}
        gone = [self._by_id.pop(i) for i in touched if i in self._by_id]
        new = [_line(summary) for summary in changed]
        for summary in changed:
            self._by_id[summary.id] = summary
        for (state, words), found in self._found.items():
            keep = keeps(state, self.today)
            _patch(found, gone, [line for line in new if (keep is None or keep(line[1]))
                                 and all(word in line[0] for word in words)])

    def position(self, rows: list[HandoffSummary], handoff_id: str | None) -> int | None:
        """Where this handoff is among ``rows`` (a result, in the list's order), found by
        its place in that order; None when it is not there."""
        summary = self._by_id.get(handoff_id) if handoff_id is not None else None
        if summary is None:
            return None
        at = bisect_left(rows, list_order(summary), key=list_order)
        return at if at < len(rows) and rows[at].id == handoff_id else None


def _patch(found: Found, gone: list[HandoffSummary], new: list[Line]) -> None:
    """Take the ``gone`` handoffs out of one result and put the ``new`` lines in; the
    names' widths stay known unless the widest left and nothing as wide came."""
    lines, rows, longest = found
    left: list[Line] = []
    for summary in gone:
        at = bisect_left(lines, list_order(summary), key=_line_order)
        if at < len(lines) and rows[at].id == summary.id:
            left.append(lines.pop(at))
            del rows[at]
    for line in new:
        at = bisect_left(lines, _line_order(line), key=_line_order)
        lines.insert(at, line)
        rows.insert(at, line[1])
    if not longest:
        return
    for column, width in _WIDTHS.items():
        came = max(map(width, new), default=0)
        if came >= longest[column]:
            longest[column] = came
        elif any(width(line) >= longest[column] for line in left):
            longest.clear()  # the widest may have left: measured when next asked
            return
