"""Home: every handoff in the database, with its progress, blockers, target and renewal.

A renewal whose outreach day (90 days before) has passed on a handoff still
open stands out: that customer should already be hearing about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from transfer_tui.domain import STATE_FILTERS, HandoffState
from transfer_tui.store import HandoffSummary, StoreError
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import clean, plain

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

EMPTY_HELP = (
    "No handoffs yet.\n\n"
    "Press n to start one: the account, who hands it over and who takes it.\n"
    "Or run  transfer-tui demo  in a shell to load a few sample handoffs."
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
        self.state_filter = "all"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by account or person…", id="filter")
        yield DataTable(id="handoffs", cursor_type="row", zebra_stripes=True)
        yield Static(Content(EMPTY_HELP), id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#handoffs", DataTable)
        table.add_column("Account", key="account")
        table.add_column("Outgoing → Incoming", key="people")
        table.add_column("Progress · ✖ blocked", key="progress")
        table.add_column("State", key="state")
        table.add_column("Target", key="target")
        table.add_column("Renewal", key="renewal")
        self.reload()
        self.prewarm_store()

    def on_screen_resume(self) -> None:
        self.reload()

    def refresh_from_store(self) -> None:
        """Someone else saved to the file: show it, keeping the cursor and the filter."""
        self.reload()

    @work(thread=True, exclusive=True, group="prewarm")
    def prewarm_store(self) -> None:
        """Import SQLAlchemy and the models after the first paint, before anyone needs them."""
        _ = self.app.store.engine
        import transfer_tui.store.models  # noqa: F401

    def reload(self, select: str | None = None) -> None:
        try:
            self.summaries = self.app.store.summaries()
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            self.summaries = []
        self.show(select)

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value.strip()

    def show(self, select: str | None = None) -> None:
        """Fill the table with the handoffs that pass the filter, keeping the cursor."""
        table = self.query_one("#handoffs", DataTable)
        current = select or self.current_id()
        needle = self.filter_text
        states = STATE_FILTERS[self.state_filter]
        rows = [s for s in self.summaries
                if s.sign_off in states and (not needle or s.matches(needle))]
        table.clear()
        today = self.app.today
        for summary in rows:
            table.add_row(*self.cells(summary, today), key=summary.id)
        if current is not None:
            try:
                table.move_cursor(row=table.get_row_index(current))
            except Exception:
                pass
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
        count = f"{len(rows)} of {len(self.summaries)}" if filtered else len(rows)
        shown = "" if self.state_filter == "all" else f" · {self.state_filter}"
        table.border_title = Content(clean(f"Handoffs ({count}){shown}"))

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
        table = self.query_one("#handoffs", DataTable)
        if table.row_count == 0:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:
            return None
        return row_key.value

    # -- actions -------------------------------------------------------------------------

    def action_new(self) -> None:
        from transfer_tui.screens.new_handoff import NewHandoffScreen

        self.app.push_screen(NewHandoffScreen(), self.created)

    def created(self, handoff_id: str | None) -> None:
        if handoff_id:
            self.query_one("#filter", Input).value = ""
            self.reload(select=handoff_id)
            self.open(handoff_id)

    @on(DataTable.RowSelected, "#handoffs")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open(event.row_key.value)

    def action_open(self) -> None:
        handoff_id = self.current_id()
        if handoff_id:
            self.open(handoff_id)

    def open(self, handoff_id: str) -> None:
        from transfer_tui.screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(handoff_id))

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#handoffs", DataTable).focus()

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
        self.query_one("#handoffs", DataTable).focus()

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
