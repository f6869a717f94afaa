"""The checklist screen of one handoff: its header, and one tab per kind of work.

The screen loads the handoff and its records, saves changes through the store,
and repaints the tabs from the result; the tabs hold their own keys. Only the
Tasks tab is built on opening: the Context and Activity tabs are built the first
time they are shown, so opening a handoff costs what the first screen shows. When someone else
saves to the same file, the App calls :meth:`ChecklistScreen.refresh_from_store`;
when both changed the same task, :class:`ConflictScreen` lets the person pick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from transfer_tui.domain import HandoffState
from transfer_tui.records import KINDS, Record
from transfer_tui.rules import Readiness
from transfer_tui.screens.checklist import intro, sign_off
from transfer_tui.screens.checklist.activity_pane import ActivityPane
from transfer_tui.screens.checklist.context_pane import ContextPane
from transfer_tui.screens.checklist.tasks_pane import TasksPane
from transfer_tui.screens.conflict import APPLY_MINE, ConflictScreen
from transfer_tui.store import (
    Checklist,
    ConflictError,
    NotFoundError,
    Store,
    StoreError,
    readiness_of,
)
from transfer_tui.widgets.footer import KeyBar
from transfer_tui.widgets.handoff_header import HandoffHeader
from transfer_tui.widgets.task_table import TaskTable

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.store.models import Task


class ChecklistScreen(sign_off.SignOffActions, intro.IntroActions, Screen[None]):
    """Walk one handoff; every key press is saved at once."""

    CSS_PATH = "checklist.tcss"
    BINDINGS = [
        Binding("1", "tab('tasks')", "Tasks", show=False),
        Binding("2", "tab('context')", "Context", show=False),
        Binding("3", "tab('activity')", "Activity", show=False),
        Binding("u", "undo", "Undo"),
        Binding("m", "export", "Export"),
        *intro.BINDINGS,
        Binding("escape", "back", "Back"),
        Binding("t", "dates", "Dates", show=False),
        Binding("g", "first_missing", "Missing", show=False),
        *sign_off.BINDINGS,
    ]

    # A short or narrow window (80x24) keeps rows in the task list: the boxes around it
    # give way (checklist.tcss), instead of squeezing the tasks to their borders.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    app: TransferApp

    def __init__(self, handoff_id: str):
        super().__init__()
        self.handoff_id = handoff_id
        self.checklist: Checklist | None = None
        self.records: dict[str, list[Record]] = {}
        self.readiness: Readiness | None = None
        self._theme: str | None = None  # the theme its widgets were last styled in

    def compose(self) -> ComposeResult:
        yield Header()
        yield HandoffHeader(id="handoff")
        with TabbedContent(id="tabs"):
            with TabPane("Tasks (1)", id="tasks-tab"):
                yield TasksPane(id="tasks-pane")
            yield TabPane("Context (2)", id="context-tab")  # panes mounted when first shown
            yield TabPane("Activity (3)", id="activity-tab")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.reload():
            self.query_one("#tasks", TaskTable).focus()
        elif self.checklist is None and self.app.screen is self:
            self.app.pop_screen()  # could not read it at all (busy): back to the list

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown again (reused for another handoff): its widgets are styled as they were, so
        unless the theme changed, spare Textual applying every CSS rule to every widget once
        more (~15 ms of the ~100 ms budget). Runs before Textual's own handler of the event
        (handlers run from the subclass up), which reads ``refresh_styles``."""
        if self._theme == self.app.theme:
            event.refresh_styles = False
        self._theme = self.app.theme

    def show_handoff(self, handoff_id: str) -> bool:
        """Show another handoff on this screen, as if it were opened afresh: the Tasks tab,
        its first section, all tasks. The App keeps one checklist screen and reuses it, as
        building one costs more than 100 ms; False (nothing changes) if it is gone."""
        previous = self.handoff_id
        self.handoff_id = handoff_id
        self.query_one("#tabs", TabbedContent).active = "tasks-tab"
        self.tasks_pane.start_over()  # before reading: the tasks are drawn once
        if not self.reload():
            self.handoff_id = previous
            return False
        for pane in self.query("#activity-pane").results(ActivityPane):
            pane.handoff_id = handoff_id
        for context in self.query("#context-pane").results(ContextPane):
            context.select_kind(KINDS[0].key)
        self.query_one("#tasks", TaskTable).focus()
        return True

    @property
    def tasks_pane(self) -> TasksPane:
        return self.query_one("#tasks-pane", TasksPane)

    @property
    def context_pane(self) -> ContextPane:
        """The Context tab's pane, built (and filled) the first time it is asked for."""
        for pane in self.query("#context-pane").results(ContextPane):
            return pane
        pane = ContextPane(id="context-pane")
        pane.records = self.records
        self.query_one("#context-tab", TabPane).mount(pane)
        return pane

    def activity_pane(self) -> ActivityPane:
        """The Activity tab's pane, built the first time it is shown."""
        for pane in self.query("#activity-pane").results(ActivityPane):
            return pane
        pane = ActivityPane(self.handoff_id, id="activity-pane")
        self.query_one("#activity-tab", TabPane).mount(pane)
        return pane

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
        """Read the handoff again and repaint, keeping cursor and focus; False (and back
        home) if it is gone."""
        try:
            self.checklist = self.app.store.handoffs.checklist(self.handoff_id)
            self.records = self.app.store.records.of_handoff(self.handoff_id)
        except NotFoundError as exc:
            self.app.tell(self._gone_message(exc), severity="error")
            if self.app.screen is self:
                self.app.pop_screen()
            return False
        except StoreError as exc:  # busy, say: keep showing what we have
            self.app.tell(str(exc), severity="error")
            return False
        self.readiness = readiness_of(self.checklist.handoff, self.records, self.app.today)
        self.query_one("#handoff", HandoffHeader).show(self.checklist, self.app.today,
                                                       self.app.clock(), self.records,
                                                       self.readiness)
        self.tasks_pane.show(self.checklist, self.records)
        for pane in self.query("#context-pane").results(ContextPane):  # once it is built
            pane.show(self.records)
        unverified = sum(1 for kind in self.records.values() for r in kind
                         if r.unverified(self.started))
        label = "Context (2)" + (f" ⚠{unverified}" if unverified else "")
        tab = self.query_one("#tabs", TabbedContent).get_tab("context-tab")
        if str(tab.label) != label:  # a new label lays the screen out again
            tab.label = label
        if self.query_one("#tabs", TabbedContent).active == "activity-tab":
            self.activity_pane().show()
        return True

    def save_change(self, change: Callable[[Store], Any],
                      done: str | Callable[[Any], str] | None = None) -> bool:
        """Save one change (a record, the dates, a sign-off step) at once and say how it
        went: on a conflict, that someone else's change stands. Then show what is saved."""
        try:
            result = change(self.app.store)
        except ConflictError as exc:
            self.app.tell(f"Not saved: {exc}. Look again and redo your change if still needed.",
                          severity="warning")
            saved = False
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            saved = False
        else:
            saved = True
            if done is not None:
                self.app.tell(done(result) if callable(done) else done)
        self.reload()
        return saved

    def action_first_missing(self) -> None:
        """Jump to where the first unmet readiness rule is fixed: its kind's records."""
        kind = self.readiness.first_kind() if self.readiness else None
        if kind is None:
            self.app.tell("Nothing missing: everything the playbook asks is recorded."
                          if self.readiness else "This playbook has no readiness rules.")
            return
        self.show_context(kind)
        missing = self.readiness.missing[0] if self.readiness else None
        if missing is not None:
            self.app.tell(missing.line + ".")

    def show_context(self, kind: str) -> None:
        """Open the Context tab on one record kind (from a section of the Tasks tab)."""
        self.action_tab("context")
        self.context_pane.select_kind(kind)

    def _gone_message(self, exc: StoreError) -> str:
        try:
            history = self.app.store.history.of(self.handoff_id)
        except StoreError:
            return str(exc)
        deleted = [e for e in history if e.field == "deleted"]
        return f"{deleted[0].actor} deleted this handoff." if deleted else str(exc)

    def refresh_from_store(self) -> None:
        """Someone else saved to the file: show it (the App waits while a dialog is open)."""
        self.reload()

    @on(TabbedContent.TabActivated, "#tabs")
    def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """Fill the feed when it is shown, and put the keys in the tab that is."""
        if event.pane.id == "activity-tab":
            pane = self.activity_pane()
            pane.show()
            pane.focus_feed()
        elif event.pane.id == "context-tab":
            self.context_pane.focus_records()
        elif event.pane.id == "tasks-tab":
            self.query_one("#tasks", TaskTable).focus()

    def save_task(self, task: Task, **changes: object) -> None:
        """Save at once, against the task as it is on screen; see :meth:`_save`. On an
        accepted handoff, where one stray key would reopen it, ask first."""
        seen = {field: getattr(task, field) for field in changes}
        if self.sign_off_state is HandoffState.ACCEPTED:
            self.ask_to_reopen(task, changes, seen)
            return
        self._save(task.id, task.title, task.version, changes, seen)

    @work(group="reopen", exclusive=True)
    async def ask_to_reopen(self, task: Task, changes: dict, seen: dict) -> None:
        from transfer_tui.widgets.confirm import Confirm

        question = (f"This handoff is accepted: changing “{task.title}” reopens it, and "
                    "the outgoing CSM hands it over again. Change it?")
        if await self.app.push_screen_wait(Confirm(question, yes="Change and reopen",
                                                   no="Leave it", danger=False)):
            self._save(task.id, task.title, task.version, changes, seen)

    @property
    def sign_off_state(self) -> HandoffState | None:
        return self.checklist.handoff.sign_off if self.checklist else None

    def _save(self, task_id: str, title: str, version: int, changes: dict,
              seen: dict | None = None) -> None:
        """If someone changed the same field meanwhile, show both values and let the person
        keep theirs or apply mine (saved again, against the version now there)."""
        before = self.sign_off_state
        try:
            self.app.store.tasks.update(task_id, expected_version=version, seen=seen,
                                        **changes)
        except ConflictError as exc:
            self.ask_conflict(exc, task_id, title, version, changes)
            return
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
        self.task_saved(before)

    def task_saved(self, before: HandoffState | None) -> None:
        """Show the task as saved, and say so when that reopened the handoff."""
        if self.reload() and before is not None:
            self.reopened_notice(before)

    def ask_conflict(self, conflict: ConflictError, task_id: str, title: str, version: int,
                     changes: dict) -> None:
        """Someone changed the same field: show both, keep theirs or apply mine."""
        self.reload()

        def picked(side: str | None) -> None:
            if side == APPLY_MINE:
                self._save(task_id, title, conflict.version or version, changes)
            else:
                self.app.tell(f"Kept {conflict.by}'s change; yours was not saved.")

        self.app.push_screen(ConflictScreen(title, conflict, self.app.clock()), picked)

    def action_undo(self) -> None:
        """Take back my own last change on this handoff (again: the one before)."""
        try:
            done = self.app.store.history.undo_last(self.handoff_id)
        except StoreError as exc:
            self.app.tell(str(exc), severity="warning")
            return
        self.app.tell(done)
        self.reload()

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"{tab}-tab"

    @work
    async def action_dates(self) -> None:
        """t: change the target and renewal dates; rule-based due dates follow."""
        from transfer_tui.screens.dates_editor import DatesEditor

        if not self.reload() or self.checklist is None:
            return
        handoff, store = self.checklist.handoff, self.app.store
        moved = await self.app.push_screen_wait(DatesEditor(
            handoff.account, handoff.target_date, handoff.renewal_date, today=self.app.today,
            save=lambda changes: store.schedule.change_dates(
                handoff.id, expected_version=handoff.version, **changes)[1]))
        if moved is None:
            return
        self.app.tell(f"Dates saved; {moved} due date{'s' if moved != 1 else ''} moved with "
                      "them.")
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Preview the summary as of today (overdue tasks marked) for each reader, to save
        or copy."""
        from transfer_tui.screens.export_preview import ExportPreview, versions_of

        try:
            snapshot = self.app.store.snapshots.read(self.handoff_id)
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            return
        self.app.push_screen(ExportPreview(versions_of(snapshot, self.app.today),
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
        yield SystemCommand("Undo", "Take back your own last change on this handoff (u)",
                            self.action_undo)
        yield SystemCommand("Activity", "What happened on this handoff, newest first (3)",
                            lambda: self.action_tab("activity"))
        yield from self.sign_off_commands()
        yield SystemCommand("Change dates", "Target and renewal dates; due dates follow (t)",
                            self.action_dates)
        yield SystemCommand("Export summary", "Preview the handoff as Markdown to save or "
                            "copy (m)", self.action_export)
        yield SystemCommand("Customer intro", "Write the intro e-mail draft and call invite "
                            "for the customer, and show them (i)", self.action_intro)
        yield SystemCommand("Back to handoffs", "Return to the list (escape)", self.action_back)
