"""Someone else changed what you were changing: show both values, let the person pick."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from transfer_tui.store import ConflictError
from transfer_tui.timefmt import ago, local
from transfer_tui.widgets.safe_text import block, one_line

KEEP_THEIRS, APPLY_MINE = "theirs", "mine"


class ConflictScreen(ModalScreen[str]):
    """Returns "theirs" (keep their change; the default, also on escape) or "mine"."""

    CSS_PATH = "conflict.tcss"
    BINDINGS = [
        Binding("t,escape", "pick('theirs')", "Keep theirs"),
        Binding("m", "pick('mine')", "Apply mine"),
    ]

    def __init__(self, subject: str, conflict: ConflictError, now: datetime):
        super().__init__()
        self.subject = subject
        self.conflict = conflict
        self.now = now

    def compose(self) -> ComposeResult:
        c = self.conflict
        field = c.field.replace("_", " ")
        when = f"{local(c.at):%Y-%m-%d %H:%M} ({ago(c.at, self.now)})" if c.at else "just now"
        who = Text()
        who.append(one_line(c.by, 40), style="bold")
        who.append(f" changed this {c.entity} at {when}, after you looked. Your change "
                   "is not saved yet.")
        with Vertical(id="conflict-box") as box:
            box.border_title = Content(one_line(f"Changed meanwhile · {self.subject}", 70))
            yield Static(who, id="who")
            with VerticalScroll(classes="side", id="theirs-box") as theirs:
                theirs.border_title = Content(f"Theirs: {field} now")
                yield Static(block(c.theirs), id="theirs")
            with VerticalScroll(classes="side", id="mine-box") as mine:
                mine.border_title = Content(f"Yours: {field}")
                yield Static(block(c.mine or ""), id="mine")
            with Horizontal(id="buttons"):
                yield Button(Content("Keep theirs (t)"), id="theirs-button", variant="primary")
                yield Button(Content("Apply mine (m)"), id="mine-button", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#theirs-button", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(APPLY_MINE if event.button.id == "mine-button" else KEEP_THEIRS)

    def action_pick(self, side: str) -> None:
        self.dismiss(side)
