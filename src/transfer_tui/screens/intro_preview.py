"""The customer intro just written: where the two files are, and what they say (parsed back
from the files, so what is shown is what was written)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from transfer_tui.widgets.safe_text import block, one_line


def shown(path: str) -> str:
    """A path as people write it: ``~/drafts/x.eml`` under the home folder."""
    home = str(Path.home())
    return "~" + path[len(home):] if path.startswith(home + os.sep) else path


class IntroPreview(Screen[None]):
    """``i`` on the checklist: the e-mail draft and the invite, to check before sending."""

    DEFAULT_CSS = """
    IntroPreview VerticalScroll { height: 1fr; border: round $primary-darken-1; padding: 0 1; }
    IntroPreview VerticalScroll:focus { border: round $primary; }
    IntroPreview .where { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, email_path: str, email_text: str, invite_path: str, invite_text: str):
        super().__init__()
        self.parts = ((email_path, email_text, "E-mail draft"),
                      (invite_path, invite_text, "Invite"))

    def compose(self) -> ComposeResult:
        yield Header()
        for index, (path, text, title) in enumerate(self.parts):
            with VerticalScroll(id=f"intro-{index}", can_focus=True) as box:
                box.border_title = Content(title)
                yield Static(Content(one_line(f"Written to {shown(path)}", 200)),
                             classes="where")
                yield Static(block(text))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#intro-0").focus()

    def action_close(self) -> None:
        self.dismiss(None)
