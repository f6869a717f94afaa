"""One task's (or record's) history: every change, who made it and when, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from transfer_tui.store import HistoryEntry
from transfer_tui.widgets.history_table import HistoryTable, change_detail
from transfer_tui.widgets.safe_text import one_line


class HistoryScreen(ModalScreen[None]):
    """Read-only; escape or h closes it."""

    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape,h,q", "dismiss", "Close")]

    def __init__(self, subject: str, entries: Sequence[HistoryEntry]):
        super().__init__()
        self.subject = subject
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box") as box:
            box.border_title = Content(one_line(f"History · {self.subject}", 70))
            yield HistoryTable(with_subject=False, id="history")
            with VerticalScroll(id="change-box", can_focus=False):
                yield Static(id="change")
            count = len(self.entries)
            yield Label(Content(f"{count} change{'s' if count != 1 else ''} · escape closes"),
                        classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#history", HistoryTable)
        table.show(self.entries)
        table.focus()
        self.show_change()

    @on(DataTable.RowHighlighted, "#history")
    def show_change(self) -> None:
        entry = self.query_one("#history", HistoryTable).current_entry
        self.query_one("#change", Static).update(change_detail(entry))
