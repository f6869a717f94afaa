"""Write or change a task's note: a multi-line editor that never loses what was typed."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from transfer_tui.widgets.safe_text import one_line


class NoteEditor(ModalScreen[str | None]):
    """Returns the new note (ctrl+s) or None (escape; asks first if something changed)."""

    CSS_PATH = "note_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str, *, heading: str = "Note",
                 save: str = "ctrl+s saves"):
        """``heading`` and ``save`` let other long texts (a rejection reason) use it too."""
        super().__init__()
        self.task_title = title
        self.original = note
        self.heading = heading
        self.save_hint = save

    def compose(self) -> ComposeResult:
        with Vertical(id="editor") as box:
            box.border_title = Content(one_line(f"{self.heading} · {self.task_title}", 70))
            yield TextArea(self.original, id="note", soft_wrap=True, show_line_numbers=False)
            yield Label(Content(f"{self.save_hint} · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        area = self.query_one("#note", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note", TextArea).text)

    @work
    async def action_cancel(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        if self.query_one("#note", TextArea).text != self.original:
            question = "Throw away what you typed in this note?"
            confirm = Confirm(question, yes="Discard", no="Keep editing")
            if not await self.app.push_screen_wait(confirm):
                return
        self.dismiss(None)
