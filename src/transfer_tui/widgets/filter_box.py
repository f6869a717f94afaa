"""A filter box whose typing repaints the box, not the layout of the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class FilterBox(Input):
    """An Input of a fixed size (``width: 100%``, one line of text).

    Textual's Input sets its virtual size (the width of its text) on every change of
    its value through a reactive that lays the whole screen out again: on the home
    screen a pass over every widget for each key typed, though a box of a fixed size
    moves nothing. Here the size is set without that pass, and the box's own scroll
    kept in step (so a long filter still scrolls to its cursor)."""

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if not self.styles.auto_dimensions and size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)  # sets the same size again: no layout asked
