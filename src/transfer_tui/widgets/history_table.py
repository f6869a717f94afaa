"""Changes as a table: when, who, what, old -> new. For a task's history and the feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events

from transfer_tui.store import HistoryEntry, show_value
from transfer_tui.timefmt import local
from transfer_tui.widgets.keyed_table import KeyedTable
from transfer_tui.widgets.safe_text import block, plain

FIELD_NAMES = {"due_date": "due date", "target_date": "target date"}
WHEN, WHO, WHAT = 16, 16, 30


def field_name(field: str) -> str:
    return FIELD_NAMES.get(field, field.replace("_", " "))


def when_cell(at: datetime) -> Text:
    return Text(f"{local(at):%Y-%m-%d %H:%M}", style="dim", no_wrap=True)


def change_cell(entry: HistoryEntry, width: int = 60) -> Text:
    """``status: todo → done``, or ``created`` / ``deleted`` for a whole row."""
    prefix = "undo · " if entry.undoes else ""
    if entry.is_row_event:
        text = Text(entry.field, style="green" if entry.field == "created" else "red")
    else:
        name = f"{field_name(entry.field)}: "
        room = max((width - len(prefix) - len(name) - 3) // 2, 8)
        old, new = _differing(entry.old, entry.new)
        text = Text(name, style="bold")
        text.append_text(plain(show_value(entry.field, old, room), "dim"))
        text.append(" → ")
        text.append_text(plain(show_value(entry.field, new, room)))
    if prefix:
        text = Text(prefix, style="italic yellow") + text
    text.no_wrap = True
    return text


def _differing(old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """Long texts that start the same (a note added to) show from where they differ."""
    if not old or not new:
        return old, new
    same = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        same += 1
    cut = old.rfind(" ", 0, max(old.rfind(" ", 0, same), 0)) + 1  # keep a word before
    if cut < 12:
        return old, new
    return "…" + old[cut:], "…" + new[cut:]


def change_detail(entry: HistoryEntry | None) -> RenderableType:
    """The highlighted change in full: a long note before and after, line by line."""
    if entry is None:
        return Text("No changes yet.", style="dim")
    head = Text(f"{local(entry.at):%Y-%m-%d %H:%M} · ", style="dim")
    head.append_text(plain(entry.actor))
    head.append(f" · {entry.subject}" if entry.subject else "", style="bold")
    if entry.is_row_event:
        return Group(head, Text(f"{entry.field} (the whole row is kept in the history)",
                                style="dim"))
    name = field_name(entry.field)
    return Group(head, Text(f"{name} before:", style="bold"),
                 block(_full(entry.field, entry.old), "dim"),
                 Text(f"{name} after:", style="bold"), block(_full(entry.field, entry.new)))


def _full(field: str, value: str | None) -> str:
    if value is None or field == "status":
        return show_value(field, value)
    return value or "(empty)"


def grouped(entries: Sequence[HistoryEntry]) -> list[tuple[HistoryEntry, int]]:
    """One line per field change; the rows one action created or deleted make one line."""
    lines: list[tuple[HistoryEntry, int]] = []
    for entry in entries:
        if lines and entry.is_row_event:
            last, count = lines[-1]
            if (last.change_id, last.field, last.entity) == (entry.change_id, entry.field,
                                                             entry.entity):
                lines[-1] = (last, count + 1)
                continue
        lines.append((entry, 1))
    return lines


class HistoryTable(KeyedTable):
    """Newest first. ``with_subject`` adds a column naming the task or record changed."""

    def __init__(self, *, with_subject: bool, id: str | None = None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.with_subject = with_subject
        self.entries: dict[str, HistoryEntry] = {}
        self._shown: Sequence[HistoryEntry] = ()
        self._built_width = -1

    def on_resize(self, event: events.Resize) -> None:
        """Columns follow the width; a change of height alone needs no new rows."""
        if self._shown and event.size.width != self._built_width:
            self.show(self._shown)

    def show(self, entries: Sequence[HistoryEntry]) -> None:
        """Fill the table, keeping the cursor on the same change; at the top, on the
        newest (a feed)."""
        self._shown = entries
        self._built_width = self.size.width
        current = None if self.cursor_row == 0 else self.key_at_cursor()
        fixed = WHEN + WHO + (WHAT if self.with_subject else 0)
        columns = 4 if self.with_subject else 3
        width = max(self.size.width - fixed - 2 * columns - 2, 30)
        self.clear(columns=True)
        self.add_column("When", key="when", width=WHEN)
        self.add_column("Who", key="who", width=WHO)
        if self.with_subject:
            self.add_column("What", key="what", width=WHAT)
        self.add_column("Change", key="change", width=width)
        self.entries = {}
        for entry, count in grouped(entries):
            self.entries[entry.id] = entry
            cells = [when_cell(entry.at), plain(entry.actor, limit=WHO)]
            if self.with_subject:
                subject = (entry.subject if count == 1
                           else f"{count} {entry.entity.replace('_', ' ')}s")
                cells.append(plain(subject, limit=WHAT))
            cells.append(change_cell(entry, width))
            self.add_row(*cells, key=entry.id)
        if current is not None:
            self.move_to_key(current)

    @property
    def current_entry(self) -> HistoryEntry | None:
        key = self.key_at_cursor()
        return self.entries.get(key) if key else None
