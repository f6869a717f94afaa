"""The Activity tab: the account's handoffs (who held it, when, accepted when), then what
happened on this handoff, newest first, and by whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from transfer_tui.store import Turn
from transfer_tui.widgets.history_table import HistoryTable, change_detail
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import call_store

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

LIMIT = 500


def counted(changes: int, rows: int) -> str:
    """What the title says is what the list shows: several changes saved at once (a batch
    of tasks done) are one row, so both counts are given when they differ."""
    latest = "the latest " if changes >= LIMIT else ""
    noun = "change" if changes == 1 else "changes"
    if rows == changes:
        return f"{latest}{changes} {noun}"
    return f"{rows} row{'s' if rows != 1 else ''} for {latest}{changes} {noun}"


class ActivityPane(Vertical):
    """Every change to the handoff, its tasks and records; u undoes your own last one."""

    app: TransferApp

    def __init__(self, handoff_id: str, *, id: str | None = None):
        super().__init__(id=id)
        self.handoff_id = handoff_id
        self._built = False

    def compose(self) -> ComposeResult:
        yield Static(id="account-history")
        yield HistoryTable(with_subject=True, id="activity")
        with VerticalScroll(id="change-box", can_focus=False):
            yield Static(id="change")

    def on_mount(self) -> None:
        """Built on first showing the tab: fill it and take the keys."""
        self._built = True
        self.show()
        self.focus_feed()

    def focus_feed(self) -> None:
        if self._built:
            self.query_one("#activity", HistoryTable).focus()

    def show(self) -> None:
        """Read the feed again (in a worker), keeping the cursor on the same change when it
        is still there."""
        if not self._built:
            return  # on_mount shows it
        store, handoff_id = self.app.store, self.handoff_id
        call_store(self, lambda: (store.activity(handoff_id, limit=LIMIT),
                                  store.account_history(handoff_id)),
                   lambda read: self.fill(handoff_id, *read),
                   lambda exc: self.app.tell(str(exc), severity="error"), group="activity")

    def fill(self, handoff_id: str, entries: list, turns: list[Turn]) -> None:
        if handoff_id != self.handoff_id:
            return  # read for the handoff shown before
        table = self.query_one("#activity", HistoryTable)
        self.show_account(turns)
        table.show(entries)
        self.show_change()
        table.border_title = Content(f"Activity ({counted(len(entries), table.row_count)}, "
                                     "newest first) · u undoes your last")

    def show_account(self, turns: list[Turn]) -> None:
        """One line per handoff of the account, oldest first; hidden when this is its
        first."""
        box = self.query_one("#account-history", Static)
        box.display = len(turns) > 1
        if not box.display:
            return
        text = Text("Account history: ", style="bold")
        for number, turn in enumerate(turns):
            if number:
                text.append("\n")
            text.append(turn.describe(lambda name: one_line(name, 30)),
                        style="bold" if turn.current else "")
        box.update(text)

    @on(DataTable.RowHighlighted, "#activity")
    def show_change(self) -> None:
        entry = self.query_one("#activity", HistoryTable).current_entry
        self.query_one("#change", Static).update(change_detail(entry))
