"""A table that renders only the rows on screen, for lists of thousands.

DataTable builds every row up front (about 0.9 s for 10,000 handoffs); this one
keeps the items and turns an item into cells only when its line is painted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None  # None: shares the room the fixed columns leave
    key: str | None = None  # names the column for cell()
    share: int = 1  # a column without a width gets this many parts of the room left


class LazyTable(ScrollView, Generic[T], can_focus=True):
    """Rows of ``items``; ``render_row(item)`` gives one Text per column when shown."""

    DEFAULT_CSS = """
    LazyTable {
        background: $surface;
        overflow-x: hidden;
        & > .lazy-table--header {
            text-style: bold;
            background: $panel;
        }
        & > .lazy-table--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .lazy-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .lazy-table--even {
            background: $surface-lighten-1 20%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lazy-table--header",
        "lazy-table--cursor",
        "lazy-table--even",
    }

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Selected(Message):
        table: LazyTable
        index: int

        @property
        def control(self) -> LazyTable:
            return self.table

    @dataclass
    class Highlighted(Message):
        table: LazyTable
        index: int

        @property
        def control(self) -> LazyTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        render_row: Callable[[T], Sequence[Text]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.render_row = render_row
        self.items: Sequence[T] = ()
        self._drawn: dict[tuple, Strip] = {}

    # -- data ------------------------------------------------------------------------------

    def set_items(self, items: Sequence[T], cursor: int = 0) -> None:
        """Show ``items`` (kept by reference; nothing is rendered until it is on screen)."""
        self.items = items
        self._set_rows(len(items))
        self.set_reactive(LazyTable.cursor, max(0, min(cursor, len(items) - 1)))
        self.scroll_to_cursor()
        self.refresh()
        if items:
            self.post_message(self.Highlighted(self, self.cursor))

    def _set_rows(self, count: int) -> None:
        """The scrollable height for ``count`` rows and the header, without a layout pass of
        the whole screen (setting ``virtual_size`` asks for one, ~10 ms per keystroke):
        as Textual does itself for a size change that needs none. The scrollbar still
        appears or goes (that does lay the screen out again)."""
        size = Size(self.size.width, count + 1)
        if size != self.virtual_size:
            self.set_reactive(LazyTable.virtual_size, size)
            self._scroll_update(size)

    @property
    def current(self) -> T | None:
        return self.items[self.cursor] if self.items else None

    @property
    def row_count(self) -> int:
        return len(self.items)

    def cells_at(self, index: int) -> Sequence[Text]:
        """Row ``index`` as it is drawn, one Text per column."""
        return self.render_row(self.items[index])

    def cell(self, index: int, key: str) -> Text:
        """One cell of row ``index``, by its column's key."""
        keys = [column.key for column in self.columns]
        return self.cells_at(index)[keys.index(key)]

    # -- painting --------------------------------------------------------------------------

    def widths(self) -> list[int]:
        room = self.scrollable_content_region.width - len(self.columns) - 1
        fixed = sum(c.width or 0 for c in self.columns)
        parts = sum(c.share for c in self.columns if c.width is None) or 1
        left = room - fixed
        return [c.width if c.width is not None else max(left * c.share // parts, 8)
                for c in self.columns]

    def forget_lines(self) -> None:
        """Drop the lines drawn so far (their items' data, or the day, moved on)."""
        self._drawn.clear()

    def _row_line(self, item: T, widths: list[int], style: Style) -> Strip:
        """An item's line, drawn once per look (width, cursor or stripe): moving the cursor
        or typing a filter redraws every line on screen, mostly ones drawn before."""
        try:
            key = (item, tuple(widths), style)
            return self._drawn[key]
        except KeyError:
            pass
        except TypeError:  # an item that cannot be a key: draw it each time
            return self._line(self.render_row(item), widths, style)
        if len(self._drawn) > 2000:
            self._drawn.clear()
        line = self._drawn[key] = self._line(self.render_row(item), widths, style)
        return line

    def _line(self, cells: Sequence[Text], widths: list[int], style: Style) -> Strip:
        line = Text(" ", no_wrap=True, end="")
        for cell, width in zip(cells, widths, strict=False):
            piece = cell.copy()
            piece.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(piece)
            line.append(" ")
        segments = list(line.render(self.app.console))
        total = self.scrollable_content_region.width
        strip = Strip(segments).adjust_cell_length(total)
        return strip.apply_style(style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self.widths()
        if y == 0:
            header = self.get_component_rich_style("lazy-table--header")
            return self._line([Text(c.label) for c in self.columns], widths, header)
        index = self.scroll_offset.y + y - 1
        base = self.rich_style
        if index >= len(self.items):
            return Strip([Segment(" " * width, base)])
        if index == self.cursor:
            style = base + self.get_component_rich_style("lazy-table--cursor")
        elif index % 2:
            style = base + self.get_component_rich_style("lazy-table--even")
        else:
            style = base
        return self._row_line(self.items[index], widths, style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.items) + 1)

    # -- moving ----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.items) - 1)) if self.items else 0

    def watch_cursor(self) -> None:
        self.scroll_to_cursor()
        self.refresh()
        if self.items:
            self.post_message(self.Highlighted(self, self.cursor))

    def scroll_to_cursor(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, step: int) -> None:
        self.cursor += step * max(self.scrollable_content_region.height - 2, 1)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.items) - 1

    def action_select(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)  # None on the border
        if offset is None or offset.y == 0:  # line 0 is the header
            return
        index = int(self.scroll_y) + offset.y - 1
        if not 0 <= index < len(self.items):
            return
        if index == self.cursor or event.chain > 1:
            self.post_message(self.Selected(self, index))
        self.cursor = index
