"""Change a handoff's target and renewal dates; due dates written as rules follow them."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from transfer_tui.store import ValidationError
from transfer_tui.store.validate import parse_date
from transfer_tui.widgets.safe_text import one_line

FIELDS = (("target_date", "Target date"), ("renewal_date", "Renewal date"))


class DatesEditor(ModalScreen[dict[str, date | None] | None]):
    """Returns the dates that changed (None when cancelled); nothing invalid gets out."""

    DEFAULT_CSS = """
    DatesEditor {
        align: center middle;
    }
    DatesEditor > Vertical {
        width: 60;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 0 2 1 2;
    }
    DatesEditor .label {
        margin-top: 1;
        text-style: bold;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, account: str, target: date | None, renewal: date | None):
        super().__init__()
        self.account = account
        self.original = {"target_date": target, "renewal_date": renewal}

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(one_line(f"Dates · {self.account}", 50))
            for name, label in FIELDS:
                yield Label(Content(f"{label} (empty: none)"), classes="label")
                value = self.original[name]
                yield Input(value.isoformat() if value else "", placeholder="YYYY-MM-DD",
                            id=name, max_length=10)
                error = Label("", id=f"{name}-error", classes="error")
                error.display = False
                yield error
            yield Label(Content("Due dates counted from these dates move with them, unless "
                                "someone set them by hand · enter or ctrl+s saves · escape "
                                "cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#target_date", Input).focus()

    @on(Input.Submitted, "#target_date")
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#renewal_date", Input).focus()

    @on(Input.Submitted, "#renewal_date")
    def last_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        changes: dict[str, date | None] = {}
        bad = False
        for name, label in FIELDS:
            error = self.query_one(f"#{name}-error", Label)
            try:
                value = parse_date(self.query_one(f"#{name}", Input).value, name, label)
            except ValidationError as exc:
                error.update(Content(exc.message))
                error.display = True
                bad = True
                continue
            error.display = False
            if value != self.original[name]:
                changes[name] = value
        if not bad:
            self.dismiss(changes)

    def action_cancel(self) -> None:
        self.dismiss(None)
