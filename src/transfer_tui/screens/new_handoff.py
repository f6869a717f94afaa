"""The new-handoff form: who hands which account to whom, with which playbook, by when, how."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from transfer_tui.domain import Mode
from transfer_tui.store import StoreError, ValidationError, check_new_handoff, handoff_warnings
from transfer_tui.store.validate import typed_date
from transfer_tui.widgets.choice import Choice
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import WAITING, call_store

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.playbooks import Playbook, Registry
    from transfer_tui.store.models import Handoff

TEXT_FIELDS = ("account", "account_id", "outgoing", "incoming", "target_date", "renewal_date")
FIELDS = (*TEXT_FIELDS, "playbook", "mode")


class NewHandoffScreen(ModalScreen[str | None]):
    """Returns the new handoff's id, or None when cancelled. Nothing is saved until valid."""

    CSS_PATH = "new_handoff.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", "Create"),
        Binding("escape", "cancel", "Cancel"),
    ]

    app: TransferApp

    def __init__(self, registry: Registry | None = None):
        """``registry``: the playbooks to offer (default: built-in and the user's own)."""
        super().__init__()
        if registry is None:
            from transfer_tui.playbooks import load_registry

            registry = load_registry()
        self.registry = registry
        self.creating = False  # a create is running: ctrl+s again waits for its answer

    @property
    def playbook(self) -> Playbook:
        index = self.query_one("#playbook", Choice).index
        return self.registry.playbooks[index]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form") as form:
            form.border_title = "New handoff"
            with Horizontal(classes="pair"):
                with Vertical(classes="wide"):
                    yield from self.field("account", "Account", Input(
                        placeholder="Customer account, e.g. Northwind Traders", id="account"))
                with Vertical():
                    yield from self.field("account_id", "Account id (optional)", Input(
                        placeholder="e.g. a CRM id", id="account_id"))
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field("outgoing", "Outgoing CSM (hands it over)", Input(
                        placeholder="Name", id="outgoing"))
                with Vertical():
                    yield from self.field("incoming", "Incoming CSM (takes it)", Input(
                        placeholder="Name", id="incoming"))
            with Horizontal(classes="pair"):
                with Vertical():
                    yield from self.field("target_date", "Target date (optional)", Input(
                        placeholder="YYYY-MM-DD", id="target_date", max_length=10))
                with Vertical():
                    yield from self.field("renewal_date", "Renewal date (optional)", Input(
                        placeholder="YYYY-MM-DD", id="renewal_date", max_length=10))
            yield from self.field("playbook", "Playbook (left/right to choose)", Choice(
                [(one_line(p.name, 60), p.id) for p in self.registry.playbooks],
                id="playbook", compact=True))
            yield Static(id="playbook-about", classes="about")
            yield from self.field("mode", "Transition mode", Choice(
                [("direct", Mode.DIRECT.value),
                 ("shadowing: outgoing leads calls for 1-2 months", Mode.SHADOWING.value)],
                id="mode"))
            problem = Label("", id="form-error", classes="error")
            problem.display = False
            yield problem
            yield Static(Content("Tab moves between fields · Enter on the last field or ctrl+s "
                                 "creates · Escape cancels"), classes="hint")

    @staticmethod
    def field(name: str, label: str, control: Widget) -> ComposeResult:
        yield Label(Content(label), classes="label", id=f"{name}-label")
        yield control
        for kind in ("error", "warning"):
            note = Label("", id=f"{name}-{kind}", classes=kind)
            note.display = False
            yield note

    def on_mount(self) -> None:
        self.query_one("#account", Input).focus()
        self.describe_playbook()

    @on(Choice.Changed, "#playbook")
    def describe_playbook(self) -> None:
        """What the chosen playbook holds, and any playbook file that could not be read."""
        playbook = self.playbook
        for side, label, does in (("outgoing", playbook.outgoing_label, "hands it over"),
                                  ("incoming", playbook.incoming_label, "takes it")):
            self.query_one(f"#{side}-label", Label).update(
                Content(f"{one_line(label, 30)} ({does})"))
        about = Text(no_wrap=True, overflow="ellipsis")
        about.append(f"{len(playbook.sections)} sections · {playbook.task_count} tasks"
                     + (" · RACI roles" if playbook.roles else "")
                     + ("" if playbook.builtin else " · your own file"))
        if playbook.summary:
            about.append(f"\n{one_line(playbook.summary)}")
        broken = len(self.registry.broken)
        if broken:
            about.append(f"\n{broken} playbook file{'s are' if broken > 1 else ' is'} broken: "
                         "transfer-tui playbooks says why", style="bold")
        self.query_one("#playbook-about", Static).update(about)

    @on(Choice.Submitted, "#playbook")
    def playbook_chosen(self, event: Choice.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter in a text field moves on, as people expect from a form."""
        event.stop()
        self.focus_next()

    @on(Choice.Submitted, "#mode")
    def last_field(self) -> None:
        self.action_create()

    def values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name in TEXT_FIELDS}
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

    @on(Input.Changed, "#target_date")
    def show_warnings(self) -> None:
        """A target date in the past is worth a word as it is typed, never a refusal."""
        target = typed_date(self.query_one("#target_date", Input).value)
        message = handoff_warnings(target, self.app.today).get("target_date", "")
        label = self.query_one("#target_date-warning", Label)
        label.update(Content(message))
        label.display = bool(message)

    def action_create(self) -> None:
        """Check here, create in a worker (the file may be busy: the form says it waits),
        and stay open with everything typed on any refusal."""
        if self.creating:
            return
        values = self.values()
        _, errors = check_new_handoff(**values)
        self.show_errors(errors)
        self.say("")
        if errors:
            return
        store, playbook = self.app.store, self.playbook
        self.creating = True
        call_store(self, lambda: store.create_handoff(**values, playbook=playbook),
                   self.created, self.refused, group="new-handoff",
                   waiting=lambda on: self.say(WAITING if on else ""))

    def say(self, message: str) -> None:
        label = self.query_one("#form-error", Label)
        label.update(Content(message))
        label.display = bool(message)

    def created(self, handoff: Handoff) -> None:
        self.creating = False
        self.app.tell(f"Started the handoff of {handoff.account}.")
        self.dismiss(handoff.id)

    def refused(self, exc: StoreError) -> None:
        self.creating = False
        if isinstance(exc, ValidationError) and exc.field in FIELDS:
            self.show_errors({exc.field: exc.message})
        else:
            self.say(f"Not created: {exc}. What you typed is still here.")

    @work(group="new-handoff-cancel", exclusive=True)
    async def action_cancel(self) -> None:
        """Escape: asks first when anything was typed, as the record forms do."""
        from transfer_tui.widgets.confirm import Confirm

        typed = any(self.query_one(f"#{name}", Input).value.strip() for name in TEXT_FIELDS)
        if typed and not await self.app.push_screen_wait(
                Confirm("Throw away this new handoff?", yes="Discard", no="Keep editing")):
            return
        self.dismiss(None)
