"""A DataTable whose rows are keyed by ids: which one the cursor is on, and going back to one.

The task, record and history tables each rebuild their rows on every refresh and keep
the cursor on the same row by its id; this is that, once.
"""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


class KeyedTable(DataTable):
    """Rows added with ``key=<id>``."""

    def key_at_cursor(self) -> str | None:
        """The id of the row under the cursor, or None when the table is empty."""
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return row_key.value

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on that row; False (cursor left alone) if it is not there."""
        try:
            self.move_cursor(row=self.get_row_index(key))
        except RowDoesNotExist:
            return False
        return True
