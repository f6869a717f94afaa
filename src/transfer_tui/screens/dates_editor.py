"""Change a handoff's target and renewal dates; due dates written as rules follow them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from transfer_tui.store import ConflictError, StoreError, ValidationError, handoff_warnings
from transfer_tui.store.validate import parse_date, typed_date
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import WAITING, call_store

FIELDS = (("target_date", "Target date"), ("renewal_date", "Renewal date"))
Dates = dict[str, date | None]


class DatesEditor(ModalScreen[object]):
    """Saves the dates that changed with ``save`` (in a worker) and returns what it returned;
    None when cancelled. A refusal or failure keeps it open with the dates typed; on a
    ConflictError (someone else changed the dates), ``save`` is expected to save over
    theirs when called again, as the message says."""

    DEFAULT_CSS = """
    DatesEditor {
        align: center middle;
    }
    DatesEditor > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $panel;
        padding: 0 2 1 2;
    }
    DatesEditor .label {
        margin-top: 1;
        text-style: bold;
    }
    DatesEditor .error {
        color: $text-error;
        text-style: bold;
    }
    DatesEditor .warning {
        color: $text-warning;
    }
    DatesEditor .hint {
        width: 1fr;
        margin-top: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, account: str, target: date | None, renewal: date | None, *,
                 today: date, save: Callable[[Dates], object]):
        super().__init__()
        self.account = account
        self.original: Dates = {"target_date": target, "renewal_date": renewal}
        self.today = today
        self.save = save
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(one_line(f"Dates · {self.account}", 50))
            for name, label in FIELDS:
                yield Label(Content(f"{label} (empty: none)"), classes="label")
                value = self.original[name]
                yield Input(value.isoformat() if value else "", placeholder="YYYY-MM-DD",
                            id=name, max_length=10)
                for kind in ("error", "warning"):
                    note = Label("", id=f"{name}-{kind}", classes=kind)
                    note.display = False
                    yield note
            problem = Label("", id="form-error", classes="error")
            problem.display = False
            yield problem
            yield Label(Content("Due dates counted from these dates move with them, unless "
                                "someone set them by hand · enter or ctrl+s saves · escape "
                                "cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#target_date", Input).focus()

    def tell(self, name: str, message: str) -> None:
        label = self.query_one(f"#{name}", Label)
        label.update(Content(message))
        label.display = bool(message)

    @on(Input.Changed)
    def show_warnings(self) -> None:
        """A target date in the past is worth a word as it is typed, not a refusal."""
        target = typed_date(self.query_one("#target_date", Input).value)
        if target == self.original["target_date"]:
            target = None  # already saved so: said on the checklist
        warnings = handoff_warnings(target, self.today)
        for name, _ in FIELDS:
            self.tell(f"{name}-warning", warnings.get(name, ""))

    @on(Input.Submitted, "#target_date")
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#renewal_date", Input).focus()

    @on(Input.Submitted, "#renewal_date")
    def last_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.saving:
            return
        changes: Dates = {}
        bad = False
        for name, label in FIELDS:
            try:
                value = parse_date(self.query_one(f"#{name}", Input).value, name, label)
            except ValidationError as exc:
                self.tell(f"{name}-error", exc.message)
                bad = True
                continue
            self.tell(f"{name}-error", "")
            if value != self.original[name]:
                changes[name] = value
        if bad:
            return
        if not changes:
            self.dismiss(None)
            return
        self.saving = True
        save = self.save
        call_store(self, lambda: save(changes), self.saved, self.refused,
                   waiting=lambda on: self.tell("form-error", WAITING if on else ""),
                   group="dates-save")

    def saved(self, result: object) -> None:
        self.saving = False
        self.dismiss(result)

    def refused(self, exc: StoreError) -> None:
        self.saving = False
        if isinstance(exc, ValidationError) and exc.field in dict(FIELDS):
            self.tell(f"{exc.field}-error", exc.message)
        elif isinstance(exc, ConflictError):  # the caller saves over it next time
            self.tell("form-error", f"Not saved: {exc}. Your dates are still here: ctrl+s "
                      "saves them over it, escape keeps theirs.")
        else:
            self.tell("form-error", f"Not saved: {exc}. The dates typed are still here.")

    @work(group="dates-cancel", exclusive=True)
    async def action_cancel(self) -> None:
        """Escape: asks first when a date was changed, as the forms do."""
        from transfer_tui.widgets.confirm import Confirm

        typed = {name: self.query_one(f"#{name}", Input).value for name, _ in FIELDS}
        before = {name: value.isoformat() if value else ""
                  for name, value in self.original.items()}
        if typed != before and not await self.app.push_screen_wait(
                Confirm("Throw away the dates you typed?", yes="Discard", no="Keep editing")):
            return
        self.dismiss(None)
