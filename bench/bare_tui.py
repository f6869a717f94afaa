"""The yardstick in a real terminal: a bare Textual app (Header, a DataTable with the
rows our home screen shows, Footer) run normally, not headless. ``enter`` opens a
second screen and ``escape`` closes it; ``q`` quits: the same keys as ours, with
nothing behind them, so the outside figures compare against what Textual itself costs."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

ROWS = 31


class Detail(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Bare detail screen")
        yield Footer()


class Bare(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("enter", "detail", "Open", priority=True)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Account", "Outgoing → Incoming", "Progress · ✖ blocked", "State",
                          "Target", "Renewal")
        for number in range(ROWS):
            table.add_row(Text(f"Northwind Traders {number}", style="bold"),
                          Text("Dana Whitfield → Sam Okafor"),
                          Text("████░░░░░░  41% 14/34"), Text("active", style="dim"),
                          Text("in 20 days"), Text("—", style="dim"))

    def action_detail(self) -> None:
        self.push_screen(Detail())


if __name__ == "__main__":
    Bare().run()
