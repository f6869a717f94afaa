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

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from transfer_tui.domain import HandoffState
from transfer_tui.records import KINDS, Record
from transfer_tui.rules import Readiness, closes_the_other_sides_task
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
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import HEADER_WAITING, StoreQueue
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
    # -tiny (24 lines or so): the task list keeps its rows, the boxes under it shrink
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (27, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    app: TransferApp

    def __init__(self, handoff_id: str, loaded: Loaded | None = None):
        """``loaded``: the handoff as read already (see :func:`read_handoff`); without it,
        the screen reads it once mounted."""
        super().__init__()
        self.handoff_id = handoff_id
        self.loaded = loaded
        self.checklist: Checklist | None = None
        self.records: dict[str, list[Record]] = {}
        self.readiness: Readiness | None = None
        self._theme: str | None = None  # the theme its widgets were last styled in
        self.queue = StoreQueue(self, self.say_waiting, group="checklist")

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
        if self.loaded is not None:
            self.show(*self.loaded)
            self.loaded = None
        else:
            self.reload()
        self.query_one("#tasks", TaskTable).focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown again (reused for another handoff): its widgets are styled as they were, so
        unless the theme changed, spare Textual applying every CSS rule to every widget once
        more (~15 ms of the ~100 ms budget). Runs before Textual's own handler of the event
        (handlers run from the subclass up), which reads ``refresh_styles``."""
        if self._theme == self.app.theme:
            event.refresh_styles = False
        self._theme = self.app.theme

    def show_handoff(self, handoff_id: str, loaded: Loaded) -> None:
        """Show another handoff (read already) on this screen, as if it were opened afresh:
        the Tasks tab, its first section, all tasks. The App keeps one checklist screen and
        reuses it, as building one costs more than 100 ms."""
        self.handoff_id = handoff_id
        self.query_one("#tabs", TabbedContent).active = "tasks-tab"
        self.tasks_pane.start_over()  # before showing: the tasks are drawn once
        for pane in self.query("#activity-pane").results(ActivityPane):
            pane.handoff_id = handoff_id
        self.show(*loaded)
        for context in self.query("#context-pane").results(ContextPane):
            context.select_kind(KINDS[0].key)
        self.query_one("#tasks", TaskTable).focus()

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

    # -- the store: every call is a job of the queue, run in a thread ------------------

    def say_waiting(self, pending: int) -> None:
        """In the header, while a call waits for the file (someone else is saving), with
        how many changes are queued (short enough for 80 columns)."""
        if pending > 1:
            said = f"Waiting for the file · {pending} changes to save"
        else:
            said = HEADER_WAITING if pending else ""
        self.sub_title = said
        below = self.app.screen
        if below is not self and (not said or not below.is_modal):
            below.sub_title = said  # back home while the changes are still being saved

    def reload(self, then: Callable[[], object] | None = None) -> None:
        """Read the handoff again (after the jobs queued before) and repaint, keeping cursor
        and focus; back home if it is gone. ``then`` runs once it is shown. A reload already
        waiting in the queue is enough (the file watch asks every second while busy)."""
        if then is None:
            if self.read_and_show_job in self.queue.jobs:
                return
            self.queue.add(self.read_and_show_job)
            return

        async def job() -> None:
            if await self.read_and_show() and then is not None:
                then()
        self.queue.add(job)

    async def read_and_show(self) -> bool:
        """Inside a job: read the handoff in a thread and repaint; False (and back home)
        if it is gone, False (keeping what is shown) if the file is busy."""
        handoff_id, store = self.handoff_id, self.app.store
        try:
            checklist, records = await self.queue.call(lambda: read_handoff(store, handoff_id))
        except NotFoundError as exc:
            gone = exc
            message = await self.queue.call(lambda: gone_message(store, handoff_id, gone))
            self.app.tell(message, severity="error")
            self.queue.clear()
            if self.app.screen is self:
                self.app.pop_screen()
            return False
        except StoreError as exc:  # busy, say: keep showing what we have
            self.app.tell(str(exc), severity="error")
            return False
        if handoff_id != self.handoff_id:
            return False  # read for the handoff shown before
        self.show(checklist, records)
        below = self.app.screen
        if below is not self and hasattr(below, "refresh_from_store") and below.is_mounted:
            below.refresh_from_store()  # back home before it was saved: show it there too
        return True

    def show(self, checklist: Checklist, records: dict[str, list[Record]]) -> None:
        """Repaint from what was read."""
        self.checklist, self.records = checklist, records
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

    def save_change(self, change: Callable[[Store], Any],
                    done: str | Callable[[Any], str] | None = None) -> None:
        """Save one change (a record, a sign-off step) after the jobs queued before and say
        how it went: on a conflict, that someone else's change stands. Then show what is
        saved."""
        async def job() -> None:
            store = self.app.store
            try:
                result = await self.queue.call(lambda: change(store))
            except ConflictError as exc:
                self.app.tell(f"Not saved: {exc}. Look again and redo your change if still "
                              "needed.", severity="warning")
            except StoreError as exc:
                self.app.tell(str(exc), severity="error")
            else:
                if done is not None:
                    self.app.tell(done(result) if callable(done) else done)
            await self.read_and_show()
        self.queue.add(job)

    def read(self, call: Callable[[Store], Any], then: Callable[[Any], object]) -> None:
        """A read (a history, a snapshot) after the jobs queued before: ``then(result)``,
        or the reason it failed in one line."""
        async def job() -> None:
            store = self.app.store
            try:
                result = await self.queue.call(lambda: call(store))
            except StoreError as exc:
                self.app.tell(str(exc), severity="error")
                return
            then(result)
        self.queue.add(job)

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

    def change_task(self, task_id: str, change: Callable[[Task], dict[str, object]]) -> None:
        """A task key (space, s, b, x, o): queued at once, so the screen stays live while a
        save waits for the file, and applied in order.

        Each key is applied to the task that was highlighted when it was pressed (by its
        id, wherever the cursor is by then), and ``change`` makes its new values from the
        task as saved by the keys before it: space, space on a task marks it done and then
        not done, never done twice. The first key is checked against what was on screen
        (someone else's change to the same field meanwhile asks, see :meth:`ask_conflict`).
        On an accepted handoff, where one stray key would reopen it, it asks first.
        """
        async def job() -> None:
            task = self.task_by_id(task_id)
            if task is None:
                self.app.tell("That task is no longer on this handoff: nothing changed.",
                              severity="warning")
                return
            changes = change(task)
            seen = {field: getattr(task, field) for field in changes}
            if self.sign_off_state is HandoffState.ACCEPTED:
                self.ask_to_reopen(task, changes, seen)
                return
            if self.checklist is not None and "status" in changes and (
                    closes_the_other_sides_task(str(task.owner), str(changes["status"]),
                                                self.checklist.side(self.app.store.user).value)):
                self.ask_for_the_other_side(task, changes, seen)
                return
            await self.save_task(task.id, task.title, task.version, changes, seen)
        self.queue.add(job)

    def task_by_id(self, task_id: str) -> Task | None:
        if self.checklist is None:
            return None
        return next((t for t in self.checklist.tasks if t.id == task_id), None)

    def ask(self, dialog: Screen[Any], answered: Callable[[Any], object]) -> None:
        """From a job: ask, and hold the queue until the answer (which may queue a job
        first), so keys typed before the question are applied after it, in order."""
        def reply(answer: Any) -> None:
            answered(answer)
            self.queue.resume()

        self.queue.pause()
        self.app.push_screen(dialog, reply)

    def ask_for_the_other_side(self, task: Task, changes: dict, seen: dict) -> None:
        """A task the other side owns: say whose it is before marking it for them."""
        from transfer_tui.store.labels import side_labels
        from transfer_tui.widgets.confirm import Confirm

        assert self.checklist is not None
        handoff = self.checklist.handoff
        outgoing, incoming = side_labels(handoff)
        owner, label = ((handoff.outgoing, outgoing) if str(task.owner) == "outgoing"
                        else (handoff.incoming, incoming))
        verb = "done" if str(changes["status"]) == "done" else "n/a"
        question = (f"“{one_line(task.title, 80)}” is {one_line(owner, 40)}'s task "
                    f"({one_line(label, 40)}). Mark it {verb} for them? The history will "
                    f"show that you, {one_line(self.app.store.user, 40)}, did.")

        def answered(yes: bool) -> None:
            if yes:
                self.queue.add(lambda: self.save_task(task.id, task.title, task.version,
                                                      changes, seen), first=True)

        self.ask(Confirm(question, yes=f"Mark it {verb}", no="Leave it", danger=False),
                 answered)

    def ask_to_reopen(self, task: Task, changes: dict, seen: dict) -> None:
        from transfer_tui.widgets.confirm import Confirm

        assert self.checklist is not None
        question = (f"This handoff is accepted: changing “{task.title}” reopens it, and "
                    f"{one_line(self.checklist.handoff.outgoing, 40)} hands it over again. "
                    "Change it?")

        def answered(yes: bool) -> None:
            if yes:
                self.queue.add(lambda: self.save_task(task.id, task.title, task.version,
                                                      changes, seen), first=True)

        self.ask(Confirm(question, yes="Change and reopen", no="Leave it", danger=False),
                 answered)

    @property
    def sign_off_state(self) -> HandoffState | None:
        return self.checklist.handoff.sign_off if self.checklist else None

    async def save_task(self, task_id: str, title: str, version: int, changes: dict,
                        seen: dict | None = None) -> None:
        """Inside a job. If someone changed the same field meanwhile, show both values and
        let the person keep theirs or apply mine (saved again, against the version now
        there)."""
        before, store = self.sign_off_state, self.app.store
        try:
            await self.queue.call(lambda: store.tasks.update(
                task_id, expected_version=version, seen=seen, **changes))
        except ConflictError as exc:
            await self.read_and_show()
            self.ask_conflict(exc, task_id, title, version, changes)
            return
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
        await self.task_saved(before)

    async def task_saved(self, before: HandoffState | None) -> None:
        """Inside a job: show the task as saved, and say so when that reopened the handoff."""
        if await self.read_and_show() and before is not None:
            self.reopened_notice(before)

    def ask_conflict(self, conflict: ConflictError, task_id: str, title: str, version: int,
                     changes: dict) -> None:
        """Someone changed the same field: show both, keep theirs or apply mine (the queue
        waits for the answer)."""
        def picked(side: str | None) -> None:
            if side == APPLY_MINE:
                self.queue.add(lambda: self.save_task(task_id, title, conflict.version or
                                                      version, changes), first=True)
            else:
                self.app.tell(f"Kept {conflict.by}'s change; yours was not saved.")

        self.ask(ConflictScreen(title, conflict, self.app.clock()), picked)

    def action_undo(self) -> None:
        """Take back my own last change on this handoff (again: the one before), after the
        changes queued before it."""
        async def job() -> None:
            store, handoff_id = self.app.store, self.handoff_id
            try:
                done = await self.queue.call(lambda: store.history.undo_last(handoff_id))
            except StoreError as exc:
                self.app.tell(str(exc), severity="warning")
                return
            self.app.tell(done)
            await self.read_and_show()
        self.queue.add(job)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"{tab}-tab"

    def action_dates(self) -> None:
        """t: change the target and renewal dates; rule-based due dates follow. The dialog
        opens at once on the dates shown (what is typed next goes into it); someone else's
        change to them meanwhile keeps it open with the dates typed, and the next ctrl+s
        saves them over theirs."""
        from transfer_tui.screens.dates_editor import DatesEditor

        if self.checklist is None:
            return
        handoff, store = self.checklist.handoff, self.app.store
        version = [handoff.version]

        def save(changes: dict) -> int:
            try:
                return store.schedule.change_dates(handoff.id, expected_version=version[0],
                                                   **changes)[1]
            except ConflictError as exc:
                version[0] = exc.version or version[0]  # the next ctrl+s saves over it
                raise

        def answered(moved: object) -> None:
            if moved is not None:
                self.app.tell(f"Dates saved; {moved} due date{'s' if moved != 1 else ''} "
                              "moved with them.")
            self.reload()

        self.app.push_screen(DatesEditor(handoff.account, handoff.target_date,
                                         handoff.renewal_date, today=self.app.today,
                                         save=save), answered)

    async def read_and_show_job(self) -> None:
        await self.read_and_show()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Preview the summary as of today (overdue tasks marked) for each reader, to save
        or copy."""
        from transfer_tui.screens.export_preview import ExportPreview, versions_of

        handoff_id = self.handoff_id
        self.read(lambda store: store.snapshots.read(handoff_id), lambda snapshot: (
            self.app.push_screen(ExportPreview(versions_of(snapshot, self.app.today),
                                               snapshot.account))))

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


Loaded = tuple[Checklist, dict[str, list[Record]]]


def read_handoff(store: Store, handoff_id: str) -> Loaded:
    """In a thread: what the checklist shows of one handoff (NotFoundError if it is gone)."""
    return store.handoffs.checklist(handoff_id), store.records.of_handoff(handoff_id)


def gone_message(store: Store, handoff_id: str, exc: StoreError) -> str:
    """In a thread: who deleted it, when the history says so."""
    try:
        history = store.history.of(handoff_id)
    except StoreError:
        return str(exc)
    deleted = [e for e in history if e.field == "deleted"]
    return f"{deleted[0].actor} deleted this handoff." if deleted else str(exc)
