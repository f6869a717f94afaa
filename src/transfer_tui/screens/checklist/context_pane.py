"""The Context tab: what the incoming CSM must learn about the account, as records.

Record kinds on the left (with counts, ⚠ unverified, ! needs action), the
chosen kind's records on the right, the highlighted record spelled out below.
`a` adds, `enter` edits, `delete` removes (asks first), `v` marks verified,
`h` shows the record's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static

from transfer_tui.records import Record, RecordKind, get_kind
from transfer_tui.screens.checklist.host import checklist_screen
from transfer_tui.widgets.kind_list import KindList
from transfer_tui.widgets.record_detail import record_detail
from transfer_tui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist.screen import ChecklistScreen


class ContextPane(Horizontal):
    """Record and check the account's facts; every change is saved at once."""

    BINDINGS = [
        Binding("a", "add_record", "Add"),
        Binding("v", "verify_record", "Verified"),
        Binding("delete", "delete_record", "Delete"),
        Binding("h", "record_history", "History"),
        Binding("right_square_bracket", "kind(1)", "Next kind", show=False),
        Binding("left_square_bracket", "kind(-1)", "Prev kind", show=False),
    ]

    app: TransferApp

    @property
    def host(self) -> ChecklistScreen:
        """The checklist screen this pane is on."""
        return checklist_screen(self)


    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.records: dict[str, list[Record]] = {}
        self._built = False
        self._kind: str | None = None  # asked for before the pane was built

    def compose(self) -> ComposeResult:
        yield KindList(id="kinds")
        with Vertical(id="context-right"):
            yield RecordTable(id="records", zebra_stripes=True)
            with VerticalScroll(id="record-detail-box"):  # tab, then arrows scroll long notes
                yield Static(id="record-detail")

    def on_mount(self) -> None:
        """Built the first time the tab is shown: fill it with the screen's records."""
        self.query_one("#kinds", KindList).border_title = "Records"
        self._built = True
        self.show(self.records)
        if self._kind is not None:
            self.select_kind(self._kind)
        self.focus_records()

    def focus_records(self) -> None:
        """The keys go to the records, or to the kinds when this kind has none."""
        if self._built:
            table = self.query_one("#records", RecordTable)
            (table if table.row_count else self.query_one("#kinds", KindList)).focus()

    @property
    def kind(self) -> RecordKind:
        return get_kind(self.query_one("#kinds", KindList).current_key)

    def show(self, records: dict[str, list[Record]]) -> None:
        self.records = records
        if not self._built:
            return  # on_mount shows them
        self.query_one("#kinds", KindList).show(records, self.host.started)
        self.show_records()

    def show_records(self) -> None:
        kind = self.kind
        table = self.query_one("#records", RecordTable)
        table.show(kind, self.records.get(kind.key, []), self.host.started, self.app.clock())
        table.border_title = f"{kind.title} · a adds, enter edits, v verified, delete removes"
        self.show_detail()

    def current_record(self) -> Record | None:
        record_id = self.query_one("#records", RecordTable).current_record_id
        return next((r for r in self.records.get(self.kind.key, []) if r.id == record_id), None)

    def show_detail(self) -> None:
        detail = self.query_one("#record-detail", Static)
        record = self.current_record()
        if record is None:
            detail.update(Text(f"No {self.kind.title.lower()} yet. {self.kind.about}\n"
                               "Press a to add one.", style="dim"))
            return
        detail.update(record_detail(record, self.host.started, self.app.clock(),
                                    self.app.today))

    def select_kind(self, key: str) -> None:
        if not self._built:
            self._kind = key
            return
        self.query_one("#kinds", KindList).select_kind(key)
        self.show_records()

    @on(OptionList.OptionHighlighted, "#kinds")
    def kind_changed(self) -> None:
        self.show_records()

    @on(OptionList.OptionSelected, "#kinds")
    def kind_chosen(self) -> None:
        self.query_one("#records", RecordTable).focus()

    @on(DataTable.RowHighlighted, "#records")
    def record_changed(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected, "#records")
    def record_chosen(self) -> None:
        self.action_edit_record()

    # -- changes -----------------------------------------------------------------------

    @work
    async def action_add_record(self) -> None:
        from transfer_tui.screens.record_form import RecordForm

        form = RecordForm(self.kind, self.host.handoff_id)
        saved = await self.app.push_screen_wait(form)
        if saved:
            self.host.reload(then=lambda: self.focus_record(saved))

    @work
    async def action_edit_record(self) -> None:
        from transfer_tui.screens.record_form import RecordForm

        record = self.current_record()
        if record is None:
            return
        saved = await self.app.push_screen_wait(RecordForm(self.kind, record.handoff_id, record))
        if saved:
            self.host.reload(then=lambda: self.focus_record(saved))

    def focus_record(self, record_id: str) -> None:
        table = self.query_one("#records", RecordTable)
        table.move_to_key(record_id)
        table.focus()

    def action_verify_record(self) -> None:
        record = self.current_record()
        if record is None:
            return
        self.host.save_change(lambda store: store.verify_record(
            record.kind_key, record.id, expected_version=self.version_now(record)),
            f"Verified: {record.kind.noun} {record.title}.")

    @work
    async def action_delete_record(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        record = self.current_record()
        if record is None:
            return
        question = f"Delete the {record.kind.noun} “{record.title}”? This cannot be undone."
        if not await self.app.push_screen_wait(Confirm(question)):
            return
        self.host.save_change(lambda store: store.delete_record(
            record.kind_key, record.id, expected_version=self.version_now(record)),
            f"Deleted the {record.kind.noun} {record.title}.")

    def version_now(self, record: Record) -> int:
        """When a queued change runs: the version the screen shows now, after the changes
        queued before it (pressing v twice is not a clash with myself)."""
        shown = next((r for r in self.host.records.get(record.kind_key, [])
                      if r.id == record.id), record)
        return shown.version

    def action_record_history(self) -> None:
        """Every change to the highlighted record: who, when, old → new."""
        from transfer_tui.screens.history import HistoryScreen

        record = self.current_record()
        if record is None:
            return
        record_id, title = record.id, f"{record.kind.noun} · {record.title}"
        self.host.read(lambda store: store.history(record_id),
                         lambda entries: self.app.push_screen(HistoryScreen(title, entries)))

    def action_kind(self, step: int) -> None:
        kinds = self.query_one("#kinds", KindList)
        if kinds.option_count:
            kinds.highlighted = ((kinds.highlighted or 0) + step) % kinds.option_count

    def palette_commands(self) -> Iterable[SystemCommand]:
        noun = self.kind.noun
        yield SystemCommand(f"Add {noun}", f"Record a new {noun} (a)", self.action_add_record)
        yield SystemCommand(f"Edit {noun}", f"Change the highlighted {noun} (enter)",
                            self.action_edit_record)
        yield SystemCommand(f"Verify {noun}", f"Mark the highlighted {noun} verified (v)",
                            self.action_verify_record)
        yield SystemCommand(f"Delete {noun}", f"Delete the highlighted {noun} (delete)",
                            self.action_delete_record)
        yield SystemCommand(f"{noun.capitalize()} history",
                            f"Every change to the highlighted {noun} (h)",
                            self.action_record_history)
