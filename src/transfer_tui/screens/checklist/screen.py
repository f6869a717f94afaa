"""The checklist screen of one handoff: its header, and one tab per kind of work.

The screen loads the handoff and its records, saves changes through the store,
and repaints every tab from the result; the tabs hold their own keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from transfer_tui.records import Record
from transfer_tui.screens.checklist import sign_off
from transfer_tui.screens.checklist.context_pane import ContextPane
from transfer_tui.screens.checklist.tasks_pane import TasksPane
from transfer_tui.store import Checklist, ConflictError, Store, StoreError
from transfer_tui.widgets.handoff_header import HandoffHeader
from transfer_tui.widgets.kind_list import KindList
from transfer_tui.widgets.record_table import RecordTable
from transfer_tui.widgets.task_table import TaskTable

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.store.models import Task


class ChecklistScreen(sign_off.SignOffActions, Screen[None]):
    """Walk one handoff; every key press is saved at once."""

    CSS_PATH = "checklist.tcss"
    BINDINGS = [
        Binding("1", "tab('tasks')", "Tasks", show=False),
        Binding("2", "tab('context')", "Context", show=False),
        Binding("m", "export", "Export"),
        Binding("escape", "back", "Back"),
        Binding("t", "dates", "Dates", show=False),
        *sign_off.BINDINGS,
    ]

    app: TransferApp

    def __init__(self, handoff_id: str):
        super().__init__()
        self.handoff_id = handoff_id
        self.checklist: Checklist | None = None
        self.records: dict[str, list[Record]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield HandoffHeader(id="handoff")
        with TabbedContent(id="tabs"):
            with TabPane("Tasks (1)", id="tasks-tab"):
                yield TasksPane(id="tasks-pane")
            with TabPane("Context (2)", id="context-tab"):
                yield ContextPane(id="context-pane")
        yield Footer()

    def on_mount(self) -> None:
        if self.reload():
            self.query_one("#tasks", TaskTable).focus()

    @property
    def tasks_pane(self) -> TasksPane:
        return self.query_one("#tasks-pane", TasksPane)

    @property
    def context_pane(self) -> ContextPane:
        return self.query_one("#context-pane", ContextPane)

    @property
    def started(self) -> datetime:
        """When the handoff started: records not verified since then stand out."""
        assert self.checklist is not None
        return self.checklist.handoff.created_at

    @property
    def task_filter(self) -> str:
        return self.tasks_pane.task_filter

    def current_task(self) -> Task | None:
        return self.tasks_pane.current_task()

    def reload(self) -> bool:
        """Read the handoff again and repaint; False (and back home) if it is gone."""
        try:
            self.checklist = self.app.store.checklist(self.handoff_id)
            self.records = self.app.store.handoff_records(self.handoff_id)
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            self.app.pop_screen()
            return False
        self.query_one("#handoff", HandoffHeader).show(self.checklist, self.app.today,
                                                       self.app.clock(), self.records)
        self.tasks_pane.show(self.checklist, self.records)
        self.context_pane.show(self.records)
        unverified = sum(1 for kind in self.records.values() for r in kind
                         if r.unverified(self.started))
        label = "Context (2)" + (f" ⚠{unverified}" if unverified else "")
        self.query_one("#tabs", TabbedContent).get_tab("context-tab").label = label
        return True

    def change_record(self, change: Callable[[Store], Any]) -> bool:
        """Save one record change at once; on a conflict say whose change stands, then show it."""
        try:
            change(self.app.store)
        except ConflictError as exc:
            self.app.tell(f"Not saved: {exc}. Look again and redo your change if still needed.",
                          severity="warning")
            self.reload()
            return False
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            self.reload()
            return False
        self.reload()
        return True

    def show_context(self, kind: str) -> None:
        """Open the Context tab on one record kind (from a section of the Tasks tab)."""
        self.action_tab("context")
        self.context_pane.select_kind(kind)

    def save_task(self, task: Task, **changes: object) -> None:
        """Save at once; on a conflict say whose change stands, then show it."""
        before = self.checklist.handoff.sign_off if self.checklist else None
        try:
            self.app.store.update_task(task.id, expected_version=task.version, **changes)
        except ConflictError as exc:
            self.app.tell(f"Not saved: {exc}. Look again and redo your change if still needed.",
                          severity="warning")
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
        if self.reload() and before is not None:
            self.reopened_notice(before)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"{tab}-tab"
        self.focus_tab()

    @on(TabbedContent.TabActivated, "#tabs")
    def focus_tab(self) -> None:
        """Keys go to the tab on show: its table, or the kinds when there are no records."""
        if self.query_one("#tabs", TabbedContent).active == "context-tab":
            table = self.query_one("#records", RecordTable)
            (table if table.row_count else self.query_one("#kinds", KindList)).focus()
        else:
            self.query_one("#tasks", TaskTable).focus()

    @work
    async def action_dates(self) -> None:
        """t: change the target and renewal dates; rule-based due dates follow."""
        from transfer_tui.screens.dates_editor import DatesEditor

        if not self.reload() or self.checklist is None:
            return
        handoff = self.checklist.handoff
        changes = await self.app.push_screen_wait(
            DatesEditor(handoff.account, handoff.target_date, handoff.renewal_date))
        if not changes:
            return
        try:
            _, moved = self.app.store.change_dates(handoff.id, expected_version=handoff.version,
                                                   **changes)
        except ConflictError as exc:
            self.app.tell(f"Not saved: {exc}. Look again and redo it if still needed.",
                          severity="warning")
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
        else:
            self.app.tell(f"Dates saved; {moved} due date{'s' if moved != 1 else ''} moved "
                          "with them.")
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Preview the summary as of today (overdue tasks marked), to save or copy."""
        from transfer_tui.export import ExportOptions, render_markdown
        from transfer_tui.export.files import file_name
        from transfer_tui.screens.export_preview import ExportPreview

        try:
            snapshot = self.app.store.snapshot(self.handoff_id)
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            return
        today = self.app.today
        markdown = render_markdown(snapshot, ExportOptions(as_of=today))
        self.app.push_screen(ExportPreview(markdown, file_name(snapshot.account, today),
                                           snapshot.account))

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.query_one("#tabs", TabbedContent).active == "context-tab":
            yield from self.context_pane.palette_commands()
        else:
            yield from self.tasks_pane.palette_commands()
        yield SystemCommand("Tasks tab", "The checklist's tasks (1)", lambda: self.action_tab(
            "tasks"))
        yield SystemCommand("Context tab", "License, channels, health, ... key dates (2)",
                            lambda: self.action_tab("context"))
        yield from self.sign_off_commands()
        yield SystemCommand("Change dates", "Target and renewal dates; due dates follow (t)",
                            self.action_dates)
        yield SystemCommand("Export summary", "Preview the handoff as Markdown to save or "
                            "copy (m)", self.action_export)
        yield SystemCommand("Back to handoffs", "Return to the list (escape)", self.action_back)
