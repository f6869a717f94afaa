"""A yes/no question as a modal that returns a bool."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from transfer_tui.widgets.safe_text import clean


class Confirm(ModalScreen[bool]):
    """Ask before doing something that cannot be taken back. ``y``/``n`` answer it."""

    DEFAULT_CSS = """
    Confirm {
        align: center middle;
    }
    Confirm > Vertical {
        width: 64;
        height: auto;
        border: thick $error;
        background: $panel;
        padding: 1 2;
    }
    Confirm.-calm > Vertical {
        border: thick $primary;
    }
    Confirm #question {
        margin-bottom: 1;
    }
    Confirm Horizontal {
        height: auto;
        align-horizontal: right;
    }
    Confirm Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Delete", no: str = "Keep", *,
                 danger: bool = True):
        """``danger=False`` for a question whose yes loses nothing (a sign-off step)."""
        super().__init__(classes="" if danger else "-calm")
        self.question = question
        self.yes, self.no = yes, no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(clean(self.question)), id="question")
            with Horizontal():
                yield Button(Content(f"{self.no} (n)"), id="no")
                yield Button(Content(f"{self.yes} (y)"), id="yes",
                             variant="error" if self.danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
