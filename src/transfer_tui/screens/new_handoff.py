"""The new-handoff form: who hands which account to whom, by when, and how."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from transfer_tui.domain import Mode
from transfer_tui.store import StoreError, ValidationError, check_new_handoff
from transfer_tui.widgets.choice import Choice

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

FIELDS = ("account", "outgoing", "incoming", "target_date", "mode")


class NewHandoffScreen(ModalScreen[str | None]):
    """Returns the new handoff's id, or None when cancelled. Nothing is saved until valid."""

    CSS_PATH = "new_handoff.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", "Create"),
        Binding("escape", "cancel", "Cancel"),
    ]

    app: TransferApp

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form") as form:
            form.border_title = "New handoff"
            yield from self.field("account", "Account", Input(
                placeholder="Customer account, e.g. Northwind Traders", id="account"))
            yield from self.field("outgoing", "Outgoing CSM (hands the account over)", Input(
                placeholder="Name", id="outgoing"))
            yield from self.field("incoming", "Incoming CSM (takes the account)", Input(
                placeholder="Name", id="incoming"))
            yield from self.field("target_date", "Target date (optional)", Input(
                placeholder="YYYY-MM-DD", id="target_date", max_length=10))
            yield from self.field("mode", "Transition mode", Choice(
                [("direct", Mode.DIRECT.value),
                 ("shadowing: outgoing leads calls for 1-2 months", Mode.SHADOWING.value)],
                id="mode"))
            yield Static(Content("Tab moves between fields · Enter on the last field or ctrl+s "
                                 "creates · Escape cancels"), classes="hint")

    @staticmethod
    def field(name: str, label: str, control: Widget) -> ComposeResult:
        yield Label(Content(label), classes="label")
        yield control
        error = Label("", id=f"{name}-error", classes="error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        self.query_one("#account", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter in a text field moves on, as people expect from a form."""
        event.stop()
        self.focus_next()

    @on(Choice.Submitted, "#mode")
    def last_field(self) -> None:
        self.action_create()

    def values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS[:-1]}
        values["mode"] = self.query_one("#mode", Choice).value
        return values

    def show_errors(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            label = self.query_one(f"#{name}-error", Label)
            message = errors.get(name, "")
            label.update(Content(message))
            label.display = bool(message)
        if errors:
            first = next(name for name in FIELDS if name in errors)
            self.query_one(f"#{first}").focus()

    def action_create(self) -> None:
        values = self.values()
        _, errors = check_new_handoff(**values)
        self.show_errors(errors)
        if errors:
            return
        try:
            handoff = self.app.store.create_handoff(**values)
        except ValidationError as exc:
            self.show_errors({exc.field: exc.message})
            return
        except StoreError as exc:
            self.app.tell(str(exc), severity="error")
            return
        self.app.tell(f"Started the handoff of {handoff.account}.")
        self.dismiss(handoff.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
