"""The Tasks tab: sections on the left, their tasks on the right, the task's details below.

A section about a record kind (License, Tickets, ...) also shows those records
under its tasks, read-only, so reviewing and recording happen in one place;
`r` opens them in the Context tab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import DataTable, OptionList, Static

from transfer_tui.domain import Owner, Side, Status, owned_by
from transfer_tui.records import Record, get_kind
from transfer_tui.screens.checklist.host import checklist_screen
from transfer_tui.store import Checklist, ConflictError
from transfer_tui.timefmt import ago
from transfer_tui.widgets.record_detail import record_peek
from transfer_tui.widgets.safe_text import block, clean, one_line
from transfer_tui.widgets.section_list import SectionList
from transfer_tui.widgets.task_table import TaskTable, status_cell

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist.screen import ChecklistScreen
    from transfer_tui.store.models import Task

FILTERS = ("all", "mine", "open")
RACI_WORDS = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}


def due_words(task: Task) -> str:
    """``2026-12-24 (7 days before the target date)``; a rule still waiting for its date."""
    from transfer_tui.playbooks import RelativeDate

    day = task.due_date.isoformat() if task.due_date else ""
    if not task.due_rule:
        return day
    try:
        rule = RelativeDate.parse(task.due_rule)
    except ValueError:
        return day
    if task.due_date is None:
        return f"{rule.describe()} (no {rule.anchor} date yet)"
    return f"{day} ({rule.describe()})"


class TasksPane(Horizontal):
    """Walk the tasks; every key press is saved at once through the screen."""

    BINDINGS = [
        Binding("space", "toggle_done", "Done"),
        Binding("s", "cycle_status", "Status"),
        Binding("b", "set_status('blocked')", "Blocked"),
        Binding("x", "set_status('na')", "N/A"),
        Binding("o", "cycle_owner", "Owner"),
        Binding("e", "edit_note", "Note"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("r", "records", "Records"),
        Binding("h", "history", "History"),
        Binding("right_square_bracket", "section(1)", "Next section", show=False),
        Binding("left_square_bracket", "section(-1)", "Prev section", show=False),
    ]

    app: TransferApp

    @property
    def host(self) -> ChecklistScreen:
        """The checklist screen this pane is on."""
        return checklist_screen(self)

    task_filter: reactive[str] = reactive("all", init=False)

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.checklist: Checklist | None = None
        self.records: dict[str, list[Record]] = {}
        self._drawn: dict[str, object] = {}  # what each box shows now (see _changed)

    def compose(self) -> ComposeResult:
        yield SectionList(id="sections")
        with Vertical(id="right"):
            yield TaskTable(id="tasks", zebra_stripes=True)
            with VerticalScroll(id="peek-box", can_focus=False):
                yield Static(id="peek")
            with VerticalScroll(id="detail-box", can_focus=False):
                yield Static(id="detail")

    def on_mount(self) -> None:
        self.query_one("#sections", SectionList).border_title = "Sections"

    def show(self, checklist: Checklist, records: dict[str, list[Record]] | None = None) -> None:
        self.checklist = checklist
        self.records = records or {}
        self.query_one("#sections", SectionList).show(checklist.sections)
        self.show_tasks()

    def start_over(self) -> None:
        """Another handoff is coming to this screen: its first section, first task, every
        task (drawn by the ``show`` that follows, once)."""
        self.set_reactive(TasksPane.task_filter, "all")
        sections = self.query_one("#sections", SectionList)
        if sections.option_count and sections.highlighted != 0:
            with sections.prevent(OptionList.OptionHighlighted):
                sections.highlighted = 0
        self.query_one("#tasks", TaskTable).move_cursor(row=0)

    def section_kind(self) -> str | None:
        """The record kind the current section is about: the one most of its tasks name."""
        if self.checklist is None:
            return None
        key = self.query_one("#sections", SectionList).current_key
        kinds = [t.record_kind for t in self.checklist.tasks
                 if t.section_key == key and t.record_kind]
        return max(kinds, key=kinds.count) if kinds else None

    def show_peek(self) -> None:
        """The section's records under its tasks (hidden for sections about no record)."""
        box = self.query_one("#peek-box", VerticalScroll)
        key = self.section_kind()
        box.display = key is not None
        if key is None or self.checklist is None:
            return
        kind = get_kind(key)
        records = self.records.get(key, [])
        box.border_title = f"{kind.title} ({len(records)}) · r opens them in Context"
        width, started, today = max(self.size.width - 44, 40), self.checklist.handoff.created_at, \
            self.app.today
        if self._changed("peek", (key, width, started, today,
                                  tuple((r.id, r.version) for r in records))):
            self.query_one("#peek", Static).update(record_peek(kind, records, started, today,
                                                               width=width, limit=4))

    def _changed(self, box: str, key: object) -> bool:
        """Whether a box must be drawn again: what it shows changed. (A Static's update lays
        the whole screen out again: a reload would do that once per box for nothing.)"""
        if self._drawn.get(box, self) == key:
            return False
        self._drawn[box] = key
        return True

    @property
    def side(self) -> Side:
        assert self.checklist is not None
        return self.checklist.side(self.app.store.user)

    def visible_tasks(self) -> list[Task]:
        if self.checklist is None:
            return []
        key = self.query_one("#sections", SectionList).current_key
        section = next((s for s in self.checklist.sections if s.key == key), None)
        tasks = list(section.tasks) if section else []
        if self.task_filter == "mine":
            tasks = [t for t in tasks if owned_by(t.side, self.side)]
        elif self.task_filter == "open":
            tasks = [t for t in tasks if t.state.is_open]
        return tasks

    @property
    def has_roles(self) -> bool:
        return self.checklist is not None and any(t.roles for t in self.checklist.tasks)

    def show_tasks(self) -> None:
        table = self.query_one("#tasks", TaskTable)
        table.show(self.visible_tasks(), self.app.today, roles=self.has_roles)
        title = {"all": "All tasks", "mine": "My tasks", "open": "Open tasks"}[self.task_filter]
        if self.task_filter == "mine" and self.side is Side.NEITHER:
            title += f" ({one_line(self.app.store.user, 30)} is neither side of this handoff)"
        elif self.task_filter == "mine":
            title += f" ({self.side.value})"
        table.border_title = Content(clean(f"{title} · f to change"))
        self.show_peek()
        self.show_detail()

    def current_task(self) -> Task | None:
        task_id = self.query_one("#tasks", TaskTable).current_task_id
        if self.checklist is None or task_id is None:
            return None
        return next((t for t in self.checklist.tasks if t.id == task_id), None)

    def show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        task = self.current_task()
        if task is None:
            if self._changed("detail", None):
                detail.update(Text("No task here matches the filter: f shows all tasks.", "dim"))
            return
        when = ago(task.changed_at, self.app.clock())
        if not self._changed("detail", (task.id, task.version, task.title, task.guidance,
                                        task.status, task.owner, task.note, task.due_date,
                                        task.due_rule, task.raci, task.changed_by, when)):
            return
        parts: list[Text] = []
        head = status_cell(task.state)
        head.append("  ")
        head.append(one_line(task.title), style="bold")
        parts.append(head)
        if task.guidance:
            parts.append(block(task.guidance, "italic"))
        facts = Text(f"Owner: {task.owner}", style="dim")
        due = due_words(task)
        if due:
            facts.append(f" · due {due}")
        verb = "added" if task.version == 1 else "last changed"
        facts.append(f" · {verb} by {one_line(task.changed_by, 40)}, {when}")
        parts.append(facts)
        if task.roles:
            parts.append(Text(" · ".join(
                f"{RACI_WORDS[letter]}: {', '.join(one_line(n) for n in names)}"
                for letter, names in task.roles.items() if letter in RACI_WORDS)))
        if task.note:
            parts.append(Text("Note:", style="bold"))
            parts.append(block(task.note))
        else:
            parts.append(Text("No note yet: e writes one.", style="dim"))
        detail.update(Group(*parts))

    @on(OptionList.OptionHighlighted, "#sections")
    def section_changed(self) -> None:
        self.query_one("#tasks", TaskTable).move_cursor(row=0)
        self.show_tasks()

    @on(OptionList.OptionSelected, "#sections")
    def section_chosen(self) -> None:
        self.query_one("#tasks", TaskTable).focus()

    @on(DataTable.RowHighlighted, "#tasks")
    def task_changed(self) -> None:
        self.show_detail()

    def watch_task_filter(self) -> None:
        self.show_tasks()

    # -- changes: the screen saves and reloads ------------------------------------------

    def change_current(self, change: Callable[[Task], dict[str, object]]) -> None:
        """Queue a change to the highlighted task (see :meth:`ChecklistScreen.change_task`):
        ``change`` makes the new values from the task as saved when it is applied."""
        if task := self.current_task():
            self.host.change_task(task.id, change)

    def action_toggle_done(self) -> None:
        self.change_current(lambda task: {
            "status": Status.TODO if task.state is Status.DONE else Status.DONE})

    def action_cycle_status(self) -> None:
        self.change_current(lambda task: {"status": task.state.cycled()})

    def action_set_status(self, status: str) -> None:
        """b and x: set blocked or n/a, or back to todo when it already is."""
        wanted = Status(status)
        self.change_current(lambda task: {
            "status": Status.TODO if task.state is wanted else wanted})

    def action_cycle_owner(self) -> None:
        self.change_current(lambda task: {"owner": Owner(task.owner).cycled()})

    def action_edit_note(self) -> None:
        """e: the editor opens at once (not queued: what is typed next goes into it, never to
        the checklist) on the note as shown; it saves the note itself, and stays open with
        it when that fails. A save queued before changes other fields: no clash with it."""
        from transfer_tui.screens.note_editor import NoteEditor

        task = self.current_task()
        if task is None:
            return
        screen, store, clash = self.host, self.app.store, []

        def save(note: str) -> None:
            if note == task.note:
                return
            try:
                store.update_task(task.id, expected_version=task.version,
                                  seen={"note": task.note}, note=note)
            except ConflictError as exc:  # the checklist lets the person pick, below
                clash.append(exc)

        before = screen.sign_off_state

        def written(note: str | None) -> None:
            if note is None or note == task.note:
                return
            async def shown() -> None:
                if not clash:
                    await screen.task_saved(before)
                    return
                await screen.read_and_show()  # theirs on screen behind the question
                screen.ask_conflict(clash[0], task.id, task.title, task.version,
                                    {"note": note})

            screen.queue.add(shown, first=True)

        self.app.push_screen(NoteEditor(task.title, task.note, save=save), written)

    def action_history(self) -> None:
        from transfer_tui.screens.history import HistoryScreen

        task = self.current_task()
        if task is None:
            return
        task_id, title = task.id, task.title
        self.host.read(lambda store: store.history(task_id),
                         lambda entries: self.app.push_screen(HistoryScreen(title, entries)))

    def action_cycle_filter(self) -> None:
        self.task_filter = FILTERS[(FILTERS.index(self.task_filter) + 1) % len(FILTERS)]

    def action_records(self) -> None:
        """Jump to the Context tab on the records this section is about."""
        key = self.section_kind()
        if key is None:
            self.app.tell("This section is not about a record: 2 opens the Context tab.")
            return
        self.host.show_context(key)

    def action_section(self, step: int) -> None:
        sections = self.query_one("#sections", SectionList)
        if sections.option_count:
            sections.highlighted = ((sections.highlighted or 0) + step) % sections.option_count

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Toggle done", "Mark the task done, or not done (space)",
                            self.action_toggle_done)
        yield SystemCommand("Cycle status", "todo → in progress → done → blocked → n/a (s)",
                            self.action_cycle_status)
        yield SystemCommand("Mark blocked", "Mark the task blocked (b)",
                            lambda: self.action_set_status("blocked"))
        yield SystemCommand("Mark n/a", "The task does not apply here (x)",
                            lambda: self.action_set_status("na"))
        yield SystemCommand("Cycle owner", "outgoing → incoming → both (o)",
                            self.action_cycle_owner)
        yield SystemCommand("Edit note", "Write or change the task's note (e)",
                            self.action_edit_note)
        yield SystemCommand("Filter tasks", "all → mine → open (f)", self.action_cycle_filter)
        yield SystemCommand("Section's records", "Open this section's records in Context (r)",
                            self.action_records)
        yield SystemCommand("Task history", "Every change to the task: who, when, old → new (h)",
                            self.action_history)
