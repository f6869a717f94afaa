"""Write or change a long text (a task's note, a rejection's reason) in a multi-line editor
that never loses what was typed: it saves itself, and a refused or failed save (a reason
left empty, a note over the limit, a busy file, a full disk) keeps it open with the text
and says why under it."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from transfer_tui.store import StoreError, ValidationError
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import WAITING, call_store


class NoteEditor(ModalScreen[str | None]):
    """Returns the text once saved (ctrl+s) or None (escape; asks first if something changed).

    ``save`` runs in a thread with the text; a :class:`StoreError` it raises is shown
    under the text and the editor stays open. Without ``save`` the text is only returned.
    """

    CSS_PATH = "note_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str, *, heading: str = "Note",
                 save_hint: str = "ctrl+s saves",
                 save: Callable[[str], object] | None = None):
        """``heading`` and ``save_hint`` let other long texts (a rejection reason) use it too."""
        super().__init__()
        self.task_title = title
        self.original = note
        self.heading = heading
        self.save_hint = save_hint
        self.save = save
        self.saving: str | None = None  # the text being saved, while it is
        self.cancel_after_save = False  # escape pressed while saving

    def compose(self) -> ComposeResult:
        with Vertical(id="editor") as box:
            box.border_title = Content(one_line(f"{self.heading} · {self.task_title}", 70))
            yield TextArea(self.original, id="note", soft_wrap=True, show_line_numbers=False)
            problem = Label("", id="note-error", classes="error")
            problem.display = False
            yield problem
            yield Label(Content(f"{self.save_hint} · escape cancels"), classes="hint")

    @property
    def text(self) -> str:
        return self.query_one("#note", TextArea).text

    def on_mount(self) -> None:
        area = self.query_one("#note", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def say(self, message: str) -> None:
        label = self.query_one("#note-error", Label)
        label.update(Content(one_line(message)))
        label.display = bool(message)

    def action_save(self) -> None:
        if self.saving is not None:
            return  # one save at a time: the text typed meanwhile is kept (see saved)
        text = self.text
        if self.save is None:
            self.dismiss(text)
            return
        self.saving = text
        save = self.save
        call_store(self, lambda: save(text), lambda _: self.saved(text), self.refused,
                   waiting=lambda on: self.say(WAITING if on else ""), group="note-save")

    def saved(self, text: str) -> None:
        self.saving = None
        if self.text == text:
            self.dismiss(text)
            return
        self.original = text  # typed more while it was saving: keep that open
        self.say("Saved; what you typed since is not saved yet: ctrl+s saves it too.")
        if self.cancel_after_save:
            self.cancel_after_save = False
            self.action_cancel()

    def refused(self, error: StoreError) -> None:
        self.saving = None
        if isinstance(error, ValidationError):
            self.say(error.message + ".")
        else:
            self.say(f"Not saved: {error}. Your text is still here.")
        self.query_one("#note", TextArea).focus()
        if self.cancel_after_save:
            self.cancel_after_save = False
            self.action_cancel()

    @work(group="note-cancel", exclusive=True)
    async def action_cancel(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        if self.saving is not None:
            self.cancel_after_save = True  # decided when the save answers
            return
        if self.text != self.original:
            question = "Throw away what you typed here?"
            confirm = Confirm(question, yes="Discard", no="Keep editing")
            if not await self.app.push_screen_wait(confirm):
                return
        self.dismiss(None)
