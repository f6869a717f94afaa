"""The first-run question: who are you? Asked once, when neither --as, TRANSFER_TUI_USER
nor the settings file says, so every change after it carries a name people recognise
rather than a login such as "root"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from transfer_tui.widgets.safe_text import one_line


class YourName(ModalScreen[str | None]):
    """Returns the name to remember (checked as the settings file checks it), or None:
    escape keeps the login name for this run and asks again next time."""

    DEFAULT_CSS = """
    YourName {
        align: center middle;
    }
    YourName > Vertical {
        width: 90%;
        max-width: 80;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    YourName #name-error {
        color: $text-error;
        margin-top: 1;
    }
    YourName .hint {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "keep", "Keep the login name")]

    def __init__(self, default: str):
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content("Who are you? Your name goes on every change you make."))
            yield Input(self.default, id="name", placeholder="e.g. Priya Raman")
            error = Label("", id="name-error")
            error.display = False
            yield error
            yield Static(Content("enter remembers it in the settings file (transfer-tui config "
                                f"changes it) · escape: {one_line(self.default, 30)} for now"),
                        classes="hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    def submitted(self, event: Input.Submitted) -> None:
        from transfer_tui.config import ConfigError, check_name

        event.stop()
        try:
            name = check_name(event.value)
        except ConfigError as exc:
            label = self.query_one("#name-error", Label)
            message = str(exc)
            label.update(Content(one_line(message[:1].upper() + message[1:])))
            label.display = True
            return
        self.dismiss(name)

    def action_keep(self) -> None:
        self.dismiss(None)
