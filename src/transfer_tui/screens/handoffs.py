"""Home: every handoff in the database, with its progress, blockers, target and renewal.

A renewal whose outreach day (90 days before) has passed on a handoff still
open stands out: that customer should already be hearing about it.

A team's file holds thousands of handoffs, so the table is a :class:`LazyTable`:
it keeps the summaries and turns into cells only the rows on screen, and the
filter looks through text folded once per reload.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from transfer_tui.domain import STATE_FILTERS, HandoffState
from transfer_tui.store import HandoffSummary, StoreError
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.lazy_table import Column, LazyTable
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import clean, plain

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

EMPTY_HELP = (
    "No handoffs yet.\n\n"
    "Press n to start one: the account, who hands it over and who takes it.\n"
    "Or run  transfer-tui demo  in a shell to load a few sample handoffs."
)


COLUMNS = (
    Column("Account", key="account", share=4),
    Column("Outgoing → Incoming", key="people", share=5),
    Column("Progress · ✖ blocked", 21, key="progress"),
    Column("State", 8, key="state"),
    Column("Target", 12, key="target"),
    Column("Renewal", 12, key="renewal"),
)

FIRST_PAGE = 100  # more rows than a screen shows: what the first paint needs

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


class HandoffsScreen(Screen[None]):
    """The list of handoffs: find one, open it, or start a new one."""

    CSS_PATH = "handoffs.tcss"
    AUTO_FOCUS = "#handoffs"
    BINDINGS = [
        Binding("n", "new", "New handoff"),
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "filter", "Filter"),
        Binding("f", "cycle_state", "State"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    app: TransferApp

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[HandoffSummary] = []
        # each summary with its haystack (made on first filter), and results by filter
        self._folded: list[tuple[str, HandoffSummary]] | None = None
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[str, HandoffSummary]]] = {}
        self._total: int | None = None  # while only the first page is read: how many in all
        self._read_once = False
        self.state_filter = "all"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by account or person…", id="filter")
        yield LazyTable(COLUMNS, self.row_cells, id="handoffs")
        yield Static(Content(EMPTY_HELP), id="empty")
        yield Footer()

    def on_screen_resume(self) -> None:
        """First shown, or back from a checklist: read the list (once: not on mount too).

        The first time, only the first page is read, so the screen paints at once;
        the rest comes right after that paint.
        """
        if self._read_once:
            self.reload()
            return
        self._read_once = True
        try:
            self.summaries = self.app.store.summaries(limit=FIRST_PAGE)
            if len(self.summaries) == FIRST_PAGE:
                self._total = self.app.store.count_handoffs()
                self.call_after_refresh(self.reload)
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
        self.show()
        self.call_after_refresh(self.prewarm_store)

    def refresh_from_store(self) -> None:
        """Someone else saved to the file: show it, keeping the cursor and the filter."""
        self.reload()

    @work(thread=True, exclusive=True, group="prewarm")
    def prewarm_store(self) -> None:
        """Import SQLAlchemy and the models after the first paint, before anyone needs them.

        Then every object alive (modules, classes: some 80,000) is set aside from garbage
        collection: a full collection scanned them all, 50 ms at random moments, such as
        in the middle of a keystroke.
        """
        _ = self.app.store.engine
        import transfer_tui.store.models
        import transfer_tui.store.record_models  # noqa: F401

        gc.freeze()

    def reload(self, select: str | None = None) -> None:
        try:
            self.summaries = self.app.store.summaries()
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            self.summaries = []
        self._folded = None
        self._found = {}
        self._total = None
        self.query_one("#handoffs", LazyTable).forget_lines()
        self.show(select)

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value.strip()

    def matching(self, needle: str) -> list[HandoffSummary]:
        """The handoffs the state filter and every word of ``needle`` let through.

        Each keystroke narrows the last result when it only adds to the words (10,000
        handoffs: about a millisecond); a result seen before (backspace) is kept.
        """
        everyone = self.summaries
        states = {state.value for state in STATE_FILTERS[self.state_filter]}
        if not needle:
            if self.state_filter == "all":
                return everyone
            return [s for s in everyone if s.state in states]
        words = tuple(needle.casefold().split())
        key = (self.state_filter, words)
        if key in self._found:
            return [s for _, s in self._found[key]]
        if self._folded is None:
            self._folded = [(s.haystack, s) for s in everyone]
        pairs, done = self._folded, ()
        for (state, before), found in reversed(self._found.items()):
            if state == self.state_filter and len(before) <= len(words) and all(
                    old in new for old, new in zip(before, words, strict=False)):
                pairs, done = found, before  # every match now was a match then
                break
        else:
            if self.state_filter != "all":
                pairs = [p for p in pairs if p[1].state in states]
        for index, word in enumerate(words):
            if index >= len(done) or word != done[index]:
                pairs = [p for p in pairs if word in p[0]]
        if len(self._found) > 64:
            self._found.clear()
        self._found[key] = pairs
        return [s for _, s in pairs]

    def show(self, select: str | None = None) -> None:
        """Fill the table with the handoffs that pass the filter, keeping the cursor."""
        table = self.query_one("#handoffs", LazyTable)
        current = select or self.current_id()
        needle = self.filter_text
        if self._total is not None and (needle or self.state_filter != "all"):
            self.reload(current)  # someone filtered before the rest was read
            return
        rows = self.matching(needle)
        cursor = 0
        if current is not None:
            cursor = next((i for i, s in enumerate(rows) if s.id == current), 0)
        table.set_items(rows, cursor)
        empty = self.query_one("#empty", Static)
        if not self.summaries:
            empty.update(Content(EMPTY_HELP))
        elif not rows and needle:
            empty.update(Content(f"No handoff matches {needle!r}"
                                 + ("" if self.state_filter == "all"
                                    else f" among those {self.state_filter}")
                                 + ". Escape clears the filter; f changes the state shown."))
        elif not rows:
            empty.update(Content(f"No handoff is {self.state_filter}. f shows the others."))
        empty.display = not rows
        table.display = bool(rows)
        filtered = bool(needle) or self.state_filter != "all"
        count = f"{len(rows)} of {len(self.summaries)}" if filtered else self._total or len(rows)
        shown = "" if self.state_filter == "all" else f" · {self.state_filter}"
        table.border_title = Content(clean(f"Handoffs ({count}){shown}"))

    def row_cells(self, summary: HandoffSummary) -> tuple[Text, ...]:
        """One row's cells, made when the row is drawn."""
        return tuple(self.cells(summary, self.app.today))

    @staticmethod
    def cells(summary: HandoffSummary, today: date) -> Iterable[Text]:
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

    def current_id(self) -> str | None:
        summary = self.query_one("#handoffs", LazyTable).current
        return summary.id if summary is not None else None

    # -- actions -------------------------------------------------------------------------

    def action_new(self) -> None:
        from transfer_tui.screens.new_handoff import NewHandoffScreen

        self.app.push_screen(NewHandoffScreen(), self.created)

    def created(self, handoff_id: str | None) -> None:
        if handoff_id:
            self.query_one("#filter", Input).value = ""
            self.reload(select=handoff_id)
            self.open(handoff_id)

    @on(LazyTable.Selected, "#handoffs")
    def row_selected(self, event: LazyTable.Selected) -> None:
        self.open(event.table.items[event.index].id)

    def action_open(self) -> None:
        handoff_id = self.current_id()
        if handoff_id:
            self.open(handoff_id)

    def open(self, handoff_id: str) -> None:
        self.app.open_checklist(handoff_id)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#handoffs", LazyTable).focus()

    def action_cycle_state(self) -> None:
        """all → active → awaiting acceptance → done."""
        names = list(STATE_FILTERS)
        self.state_filter = names[(names.index(self.state_filter) + 1) % len(names)]
        self.show()

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.show()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#handoffs", LazyTable).focus()

    @work
    async def action_delete(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        handoff_id = self.current_id()
        summary = next((s for s in self.summaries if s.id == handoff_id), None)
        if summary is None:
            return
        question = (
            f"Delete the handoff of {summary.account} ({summary.outgoing} → {summary.incoming}) "
            "with its tasks, notes and records? This cannot be undone."
        )
        if not await self.app.push_screen_wait(Confirm(question)):
            return
        try:
            self.app.store.delete_handoff(summary.id)
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            return
        self.app.tell(f"Deleted the handoff of {summary.account}.")
        self.reload()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New handoff", "Start handing over an account (n)", self.action_new)
        yield SystemCommand("Open handoff", "Open the highlighted handoff (enter)",
                            self.action_open)
        yield SystemCommand("Filter handoffs", "Filter by account or person (/)",
                            self.action_filter)
        yield SystemCommand("Show by state", "all → active → awaiting acceptance → done (f)",
                            self.action_cycle_state)
        yield SystemCommand("Delete handoff", "Delete the highlighted handoff (d)",
                            self.action_delete)
