"""The yardstick for cold start: a bare Textual app (Header, a DataTable with the same
visible rows, Footer) that exits after its first paint."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

ROWS = 32


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Account", "Outgoing → Incoming", "Progress", "Blocked", "Target")
        for number in range(ROWS):
            table.add_row(f"Account {number}", "Dana Whitfield → Sam Okafor",
                          "████░░░░░░  41% 14/34", "1", "2026-12-15 (in 20 days)")


async def _exit_after_paint(pilot) -> None:
    await pilot.pause()
    pilot.app.exit()


if __name__ == "__main__":
    Bare().run(headless=True, size=(120, 36), auto_pilot=_exit_after_paint)
