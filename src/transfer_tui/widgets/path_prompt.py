"""Ask for a file path in a modal: enter accepts, escape cancels, and the last
refusal is shown under the field so the person can fix the path in place."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from transfer_tui.widgets.safe_text import one_line


class PathPrompt(ModalScreen[str | None]):
    """Returns the path typed (stripped, never empty) or None when cancelled."""

    DEFAULT_CSS = """
    PathPrompt {
        align: center middle;
    }
    PathPrompt > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    PathPrompt #path-error {
        color: $text-error;
        margin-top: 1;
    }
    PathPrompt .hint {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, default: str, error: str | None = None):
        super().__init__()
        self.question = question
        self.default = default
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(one_line(self.question)))
            yield Input(self.default, id="path")
            message = one_line(self.error or "")
            error = Label(Content(message[:1].upper() + message[1:]), id="path-error")
            error.display = bool(self.error)
            yield error
            yield Label(Content("enter saves · escape cancels · ~ is your home folder"),
                        classes="hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            label = self.query_one("#path-error", Label)
            label.update(Content("Give a file name."))
            label.display = True
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
