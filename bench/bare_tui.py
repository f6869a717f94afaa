"""The yardstick in a real terminal: a bare Textual app (Header, a DataTable with the
rows our home screen shows, Footer) run normally, not headless. ``enter`` opens a
second screen and ``escape`` closes it; ``q`` quits: the same keys as ours, with
nothing behind them, so the outside figures compare against what Textual itself costs."""

from __future__ import annotations

import start_bare
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class Detail(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Bare detail screen")
        yield Footer()


class Bare(start_bare.Bare):
    """start_bare's app (the same rows as our home), with our keys."""

    BINDINGS = [Binding("q", "quit", "Quit"), Binding("enter", "detail", "Open", priority=True)]

    def action_detail(self) -> None:
        self.push_screen(Detail())


if __name__ == "__main__":
    Bare().run()
