"""Add or edit one record: a form built from its kind's declaration.

One line per field (a box for long text and lists), Tab between fields,
left/right for choices, each problem shown next to its field; ctrl+s saves,
escape cancels (asking first if anything was typed). Nothing invalid is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from transfer_tui.records import FieldType, Record, RecordKind, input_text
from transfer_tui.records.fields import MULTI_LINE, FieldSpec
from transfer_tui.store import (
    ConflictError,
    StoreError,
    ValidationError,
    check_record,
    record_warnings,
)
from transfer_tui.widgets.choice import Choice
from transfer_tui.widgets.safe_text import one_line
from transfer_tui.widgets.store_call import WAITING, call_store

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

BLANK = "—"
HINT = "Tab next field · ctrl+s saves · escape cancels"


def control_for(spec: FieldSpec, text: str) -> Widget:
    """The widget that edits one field, holding ``text`` (as :func:`input_text` gives it)."""
    if spec.type is FieldType.BOOL:
        return Choice([("no", "no"), ("yes", "yes")], text or "no", id=spec.name)
    if spec.type is FieldType.CHOICE:
        options = [(label, value) for value, label in spec.choices]
        if spec.default is None:
            options.insert(0, (BLANK, ""))
        return Choice(options, text or (spec.default or ""), id=spec.name)
    if spec.type in MULTI_LINE:
        area = TextArea(text, id=spec.name, soft_wrap=True, compact=True,
                        placeholder=Content(spec.help or ""))
        area.add_class("-list" if spec.type is FieldType.LIST else "-long")
        return area
    placeholder = "YYYY-MM-DD" if spec.type is FieldType.DATE else spec.help
    return Input(text, placeholder=placeholder, id=spec.name, compact=True)


class RecordForm(ModalScreen[str | None]):
    """Returns the saved record's id, or None when cancelled."""

    CSS_PATH = "record_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    app: TransferApp

    def __init__(self, kind: RecordKind, handoff_id: str, record: Record | None = None):
        super().__init__()
        self.kind = kind
        self.handoff_id = handoff_id
        self.record = record
        self.expected_version = record.version if record else None
        self.original: dict[str, str] = {}
        self.saving = False  # a save is running: ctrl+s again waits for its answer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form") as form:
            if self.record is None:
                form.border_title = f"New {self.kind.noun}"
            else:
                form.border_title = Content(one_line(f"Edit {self.kind.noun} · "
                                                     f"{self.record.title}", 70))
            yield Label("", id="form-error", classes="error")
            for spec in self.kind.fields:
                text = self.initial(spec)
                self.original[spec.name] = text
                label = spec.label + (" *" if spec.required else "")
                with Horizontal(classes="row"):
                    yield Label(Content(label), classes="label")
                    yield control_for(spec, text)
                yield Label("", id=f"{spec.name}-error", classes="error")
                yield Label("", id=f"{spec.name}-warning", classes="warning")
            yield Static(Content(""), id="field-help")
            yield Static(Content(HINT + " · * required"), classes="hint")

    def initial(self, spec: FieldSpec) -> str:
        if self.record is not None:
            return input_text(spec, self.record.values.get(spec.name))
        if spec.type is FieldType.DATE and spec.required:
            return self.app.today.isoformat()  # a health entry is usually about today
        return input_text(spec, spec.default)

    def on_mount(self) -> None:
        for label in self.query(".error, .warning"):
            label.display = False
        self.query_one(f"#{self.kind.fields[0].name}").focus()

    def on_descendant_focus(self, event: object) -> None:
        """Say what the focused field wants, under the form."""
        focused = self.focused
        name = focused.id if focused is not None else None
        spec = next((s for s in self.kind.fields if s.name == name), None)
        text = spec.help if spec is not None and spec.help else ""
        if spec is not None and spec.type in (FieldType.CHOICE, FieldType.BOOL):
            text = (text + " · " if text else "") + "left/right to choose"
        if spec is not None and spec.type is FieldType.LIST:
            text = (text + " · " if text else "") + "one per line"
        self.query_one("#field-help", Static).update(Content(text))

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter in a one-line field moves on; on the last field it saves."""
        event.stop()
        self.advance(event.input.id)

    @on(Choice.Submitted)
    def choice_submitted(self, event: Choice.Submitted) -> None:
        event.stop()
        self.advance(event.choice.id)

    def advance(self, name: str | None) -> None:
        if name == self.kind.fields[-1].name:
            self.action_save()
        else:
            self.focus_next()

    def values(self) -> dict[str, str]:
        values = {}
        for spec in self.kind.fields:
            control = self.query_one(f"#{spec.name}")
            if isinstance(control, Choice):
                values[spec.name] = control.value
            elif isinstance(control, TextArea):
                values[spec.name] = control.text
            else:
                values[spec.name] = control.value  # type: ignore[attr-defined]
        return values

    def show_errors(self, errors: dict[str, str], form_error: str = "") -> None:
        for spec in self.kind.fields:
            label = self.query_one(f"#{spec.name}-error", Label)
            message = errors.get(spec.name, "")
            label.update(Content(message))
            label.display = bool(message)
        top = self.query_one("#form-error", Label)
        top.update(Content(form_error))
        top.display = bool(form_error)
        first = next((s.name for s in self.kind.fields if s.name in errors), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    @on(Input.Changed)
    @on(Choice.Changed)
    @on(TextArea.Changed)
    def show_warnings(self) -> None:
        """What looks wrong but may be true (more seats used than bought), said as it is
        typed, next to its field; it never stops the save."""
        if not self.is_mounted:
            return
        values, _ = check_record(self.kind, self.values())
        warnings = record_warnings(self.kind, values)
        for spec in self.kind.fields:
            label = self.query_one(f"#{spec.name}-warning", Label)
            message = warnings.get(spec.name, "")
            if str(label.render()) != message:
                label.update(Content(message))
            label.display = bool(message)

    def action_save(self) -> None:
        """Check here, save in a worker (the file may be busy: the form says it waits),
        and stay open, with everything typed, on any refusal."""
        if self.saving:
            return
        values = self.values()
        _, errors = check_record(self.kind, values)
        self.show_errors(errors)
        if errors:
            return
        store, record, version = self.app.store, self.record, self.expected_version

        def save() -> str:
            if record is None:
                return store.records.add(self.handoff_id, self.kind.key, values).id
            try:
                return store.records.update(self.kind.key, record.id, values,
                                            expected_version=version).id
            except ConflictError as exc:
                exc.version = store.records.get(self.kind.key, exc.entity_id).version
                raise

        self.saving = True
        call_store(self, save, self.saved, self.refused, waiting=self.waiting,
                   group="record-save")

    def waiting(self, on: bool) -> None:
        if on:
            self.show_errors({}, WAITING)
        elif str(self.query_one("#form-error", Label).render()) == WAITING:
            self.show_errors({})

    def saved(self, record_id: str) -> None:
        self.saving = False
        self.dismiss(record_id)

    def refused(self, exc: StoreError) -> None:
        self.saving = False
        if isinstance(exc, ValidationError):
            self.show_errors({exc.field: exc.message})
        elif isinstance(exc, ConflictError):
            self.expected_version = exc.version
            self.show_errors({}, f"Not saved: {exc}. ctrl+s again saves yours over it; "
                                 "escape keeps theirs.")
        else:
            self.show_errors({}, f"Not saved: {exc}. What you typed is still here.")

    @work
    async def action_cancel(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        if self.values() != self.original:
            question = f"Throw away what you typed in this {self.kind.noun}?"
            if not await self.app.push_screen_wait(Confirm(question, yes="Discard",
                                                           no="Keep editing")):
                return
        self.dismiss(None)
