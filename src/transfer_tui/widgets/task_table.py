"""The tasks of one section: status, task (✎ when it has a note), owner and due date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from transfer_tui.domain import Status
from transfer_tui.widgets.safe_text import plain

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


class TaskTable(DataTable):
    """One row per task, keyed by task id; the cursor stays on the same task across refreshes."""

    _shown: tuple[Sequence[Task], date] | None = None

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def task_width(self) -> int:
        """The task column takes what the fixed columns leave, so nothing scrolls sideways."""
        fixed = 13 + 8 + 10 + 2 * 4 + 2  # status, owner, due, cell padding, scrollbar
        return max(self.size.width - fixed, 20)

    def show(self, tasks: Sequence[Task], today: date) -> None:
        """Rebuild the rows (a section holds a handful), keeping the cursor on its task."""
        self._shown = (tasks, today)
        current = self.current_task_id
        task_width = self.task_width()
        self.clear(columns=True)
        self.add_column("Status", key="status", width=13)
        self.add_column("Task", key="task", width=task_width)
        self.add_column("Owner", key="owner", width=8)
        self.add_column("Due", key="due", width=10)
        for task in tasks:
            self.add_row(
                status_cell(task.state),
                title_cell(task, task_width),
                Text(task.owner, style="dim" if not task.state.is_open else ""),
                due_cell(task, today),
                key=task.id,
            )
        if current is not None:
            try:
                self.move_cursor(row=self.get_row_index(current))
            except Exception:
                pass

    @property
    def current_task_id(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return row_key.value
