"""The yardstick for cold start: a bare Textual app (Header, a DataTable with the same
visible rows as our home screen, Footer), in its own process, headless at 120x36. It
prints "painted" after its first paint (the same probe as ours) and exits."""

from __future__ import annotations

from painted import headless, on_first_paint
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 31  # as many as our home screen shows at 120x36


class Bare(App[None]):
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


if __name__ == "__main__":
    headless()
    on_first_paint(lambda app: app.query_one(DataTable).row_count > 0, lambda app: app.exit())
    Bare().run()
