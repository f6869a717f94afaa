"""The tasks of one section: status, task (✎ when it has a note), owner and due date.

In a playbook with RACI roles, an "R · A" column (who is Responsible, who is
Accountable, names shortened) takes the owner's place; the detail below the
table shows all four roles in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events

from transfer_tui.domain import Status
from transfer_tui.widgets.keyed_table import KeyedTable
from transfer_tui.widgets.safe_text import one_line, plain

if TYPE_CHECKING:
    from transfer_tui.store.models import Task

STATUS_STYLE = {
    Status.TODO: "",
    Status.IN_PROGRESS: "yellow",
    Status.DONE: "green",
    Status.BLOCKED: "bold red",
    Status.NA: "dim",
}


def status_cell(status: Status) -> Text:
    return Text(f"{status.icon} {status.label}", style=STATUS_STYLE[status], no_wrap=True)


def title_cell(task: Task, width: int) -> Text:
    """The task's title, with a pencil when it has a note (the note shows below the table)."""
    mark = " ✎" if task.note.strip() else ""
    cell = plain(task.title, "dim" if not task.state.is_open else "",
                 limit=width - len(mark))
    cell.append(mark, style="cyan")
    return cell


def due_cell(task: Task, today: date) -> Text:
    if task.due_date is None:
        return Text("")
    late = task.due_date < today and task.state.is_open
    return Text(task.due_date.isoformat(), style="bold red" if late else "", no_wrap=True)


SHORT_WORDS = {"manager": "Mgr", "executive": "Exec", "engineer": "Eng",
               "representative": "Rep", "onboarding": "Onb", "director": "Dir",
               "customer success": "CS", "account": "Acct", "professional services": "PS"}


def short_role(name: str) -> str:
    """``Sales Manager`` → ``Sales Mgr``: role names short enough for a table column."""
    text = one_line(name)
    for word, short in SHORT_WORDS.items():
        start = text.casefold().find(word)
        while start >= 0:
            text = text[:start] + short + text[start + len(word):]
            start = text.casefold().find(word, start + len(short))
    return text


def roles_text(task: Task) -> str:
    """``Sales Rep · Sales Mgr``: who is Responsible, then who is Accountable."""
    roles = task.roles
    return " · ".join(", ".join(short_role(n) for n in roles.get(letter, [])) or "-"
                      for letter in "RA")


class TaskTable(KeyedTable):
    """One row per task, keyed by task id; the cursor stays on the same task across refreshes."""

    _shown: tuple[Sequence[Task], date, bool] | None = None
    _built_width = -1

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def on_resize(self, event: events.Resize) -> None:
        """Columns follow the width; a change of height alone needs no new rows."""
        if self._shown is not None and event.size.width != self._built_width:
            self.show(*self._shown)

    def task_width(self, middle: int = 8) -> int:
        """The task column takes what the fixed columns leave, so nothing scrolls sideways."""
        fixed = 13 + middle + 10 + 2 * 4 + 2  # status, owner/roles, due, padding, scrollbar
        return max(self.size.width - fixed, 20)

    def show(self, tasks: Sequence[Task], today: date, roles: bool = False) -> None:
        """Rebuild the rows (a section holds a handful), keeping the cursor on its task."""
        self._shown = (tasks, today, roles)
        self._built_width = self.size.width
        current = self.current_task_id
        cells = [roles_text(task) for task in tasks] if roles else []
        middle = min(max([len(c) for c in cells] + [8]), max(self.size.width // 3, 12))
        task_width = self.task_width(middle if roles else 8)
        self.clear(columns=True)
        self.add_column("Status", key="status", width=13)
        self.add_column("Task", key="task", width=task_width)
        if roles:
            self.add_column("R · A", key="roles", width=middle)
        else:
            self.add_column("Owner", key="owner", width=8)
        self.add_column("Due", key="due", width=10)
        for index, task in enumerate(tasks):
            dim = "dim" if not task.state.is_open else ""
            middle_cell = (Text(cells[index], style=dim, no_wrap=True, overflow="ellipsis")
                           if roles else Text(task.owner, style=dim))
            self.add_row(
                status_cell(task.state),
                title_cell(task, task_width),
                middle_cell,
                due_cell(task, today),
                key=task.id,
            )
        if current is not None:
            self.move_to_key(current)

    @property
    def current_task_id(self) -> str | None:
        return self.key_at_cursor()
