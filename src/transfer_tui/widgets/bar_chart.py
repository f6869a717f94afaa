"""Horizontal stacked bars drawn with block characters, scaled to the widget's width.

A Textual widget of our own (no plotting dependency): each row is a label, one bar made of
segments (a value, a character and a style; the characters differ, not only the colours,
so the chart reads without colour too) and the figures in words. Rows come in as data;
the widget only draws, at whatever width it is given (80 columns or 300).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from transfer_tui.widgets.safe_text import plain


@dataclass(frozen=True)
class Segment:
    value: int
    char: str
    style: str


@dataclass(frozen=True)
class BarRow:
    label: str
    segments: tuple[Segment, ...]
    figures: str  # what the bar says in numbers, after it

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)


def bar_lines(rows: list[BarRow], width: int, label_width: int = 14) -> Text:
    """The chart as text, ``width`` columns wide: the longest bar fills what the label and
    the widest figures leave; a value above zero always shows at least one character."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    figures_width = max((len(row.figures) for row in rows), default=0)
    room = max(4, width - label_width - figures_width - 3)
    top = max((row.total for row in rows), default=0) or 1
    for index, row in enumerate(rows):
        if index:
            text.append("\n")
        label = plain(row.label, limit=label_width)
        label.truncate(label_width, overflow="ellipsis", pad=True)
        text.append_text(label)
        text.append(" ")
        drawn = 0
        for segment in row.segments:
            cells = round(room * segment.value / top)
            if segment.value and not cells:
                cells = 1
            text.append(segment.char * cells, style=segment.style)
            drawn += cells
        text.append(" " * max(1, room - drawn + 1))
        text.append(row.figures.rjust(figures_width), style="dim")
    return text


class BarChart(Widget):
    """A titled list of stacked bars; ``show`` gives it rows, it redraws at its width."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(self, *, label_width: int = 14, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[BarRow] = []
        self.note = ""
        self.label_width = label_width

    def show(self, rows: list[BarRow], note: str = "") -> None:
        """New rows (and a line under them: a legend, or why there are none)."""
        self.rows = rows
        self.note = note
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows) + (1 if self.note else 0)

    def render(self) -> Text:
        text = bar_lines(self.rows, self.content_size.width, self.label_width)
        if self.note:
            if self.rows:
                text.append("\n")
            text.append(self.note, style="dim")
        return text
