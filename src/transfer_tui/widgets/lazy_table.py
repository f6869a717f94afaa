"""A table that renders only the rows on screen, for lists of thousands.

DataTable builds every row up front (about 0.9 s for 10,000 handoffs); this one
keeps the items and turns an item into cells only when its line is painted, and
when its items change (a filter key, a colleague's save) draws again only the
lines on screen that look different.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Self, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.geometry import Region, Size
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
    # a column without a width: the width its longest cell needs (so it takes no more
    # than that while another column is cut), from the item
    fits: Callable[[Any], int] | None = None
    # a column with a width: hidden when the window is too narrow for each of the others
    # to show MIN_SHARED columns of its cells, lowest first (0: always shown)
    gives_way: int = 0


MIN_SHARED = 20  # what a column without a width keeps before others give way

HEADER, BLANK = object(), object()  # the header line, and a line past the last row
Look = tuple[Any, tuple[int, ...], Style]  # a line's item, the columns' widths, its style


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
        self._needs_for: dict[int, int] | None = None  # for these items (see _needs)
        self._widths_for: tuple[tuple[int, dict[int, int]], tuple[int, ...]] | None = None
        self._painted: dict[int, Look] = {}  # what each line of the table was drawn as
        self._styles: tuple[Style, Style, Style, Style] | None = None  # see _line_styles
        self._title: str | None = None
        self._title_only = False  # see set_title

    # -- data ------------------------------------------------------------------------------

    def set_items(self, items: Sequence[T], cursor: int = 0,
                  longest: dict[int, int] | None = None) -> None:
        """Show ``items`` (kept by reference; nothing is rendered until it is on screen).

        ``longest``: for each column without a width, the width of its longest cell
        among these items, when the caller knows it (else measured here: a pass over
        every item, 50,000 of them in tens of milliseconds)."""
        self.items = items
        self._needs_for = None if longest is None else self._floored(longest)
        self._set_rows(len(items))
        self.set_reactive(LazyTable.cursor, max(0, min(cursor, len(items) - 1)))
        self.scroll_to_cursor()
        self.refresh_changed_lines()
        if items:
            self.post_message(self.Highlighted(self, self.cursor))

    def set_title(self, title: str) -> None:
        """The title in the top border (plain text), drawing only that line again:
        setting ``border_title`` draws every line of the table again."""
        if title == self._title:
            return
        self._title = title
        self._title_only = True
        try:
            self.border_title = Content(title)
        finally:
            self._title_only = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """As Textual's, but a new title (see set_title) dirties only the top border."""
        self._styles = None  # a look may have changed (focus, theme): styles read again
        if self._title_only and not regions:
            top, _, _, left = self.styles.gutter
            regions = (Region(-left, -top, self.outer_size.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def refresh_changed_lines(self) -> None:
        """Ask to draw again only the lines that would not look as they were drawn (their
        item, cursor, stripe or column widths): a new filter result or a colleague's save
        mostly leaves the lines on screen as they were, and every line drawn again costs
        Textual's styling of it."""
        if not self._painted:
            self.refresh()
            return
        width = self.size.width
        styles = self._line_styles()
        changed = [Region(0, y, width, 1) for y in range(self.scrollable_content_region.height)
                   if self._painted.get(y) != self._look(y, styles)]
        if changed:
            self.refresh(*changed)

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

    def widths(self) -> tuple[int, ...]:
        """Each column's width; 0 for one hidden to make room (worked out once per width
        of the window and list, not for each line drawn)."""
        key = (self.scrollable_content_region.width, self._needs())
        if self._widths_for is None or self._widths_for[0] != key:
            self._widths_for = (key, tuple(self._share_out(*key)))
        return self._widths_for[1]

    def _share_out(self, width: int, needs: dict[int, int]) -> list[int]:
        """Columns with a width keep it unless the window is too narrow, when they give way
        in their order; the room left is shared by the others in their shares, but none
        takes more than its longest cell needs while another is cut."""
        room = width - 1
        columns = self.columns
        shown = [True] * len(columns)
        flexible = [i for i, c in enumerate(columns) if c.width is None]

        def left() -> int:
            return room - sum((c.width or 0) + 1 for c, on in zip(columns, shown, strict=True)
                              if on and c.width is not None) - len(flexible)

        wanted = sum(min(needs[i], MIN_SHARED) for i in flexible)
        for index in sorted((i for i, c in enumerate(columns) if c.gives_way),
                            key=lambda i: columns[i].gives_way):
            if left() >= wanted:
                break
            shown[index] = False
        widths = [c.width or 0 if on else 0 for c, on in zip(columns, shown, strict=True)]
        budget = left()
        waiting = list(flexible)
        while waiting:  # the columns that fit take what they need; the rest share
            parts = sum(columns[i].share for i in waiting)
            fitting = [i for i in waiting if needs[i] <= budget * columns[i].share // parts]
            if not fitting:
                for i in waiting:
                    widths[i] = max(budget * columns[i].share // parts, 8)
                return widths
            for i in fitting:
                widths[i] = needs[i]
                budget -= needs[i]
                waiting.remove(i)
        parts = sum(columns[i].share for i in flexible) or 1
        spare = budget
        for i in flexible:  # all fit: the room over is shared out
            widths[i] += spare * columns[i].share // parts
        return widths

    def _needs(self) -> dict[int, int]:
        """How wide each column without a width would like to be, for these items (worked
        out once per list: a pass over 10,000 items takes about a millisecond)."""
        if self._needs_for is None:
            longest = {}
            for i, column in enumerate(self.columns):
                if column.width is None:
                    longest[i] = max(map(column.fits, self.items), default=0) if column.fits \
                        else 1 << 16
            self._needs_for = self._floored(longest)
        return self._needs_for

    @staticmethod
    def _floored(longest: dict[int, int]) -> dict[int, int]:
        return {i: max(width, 8) for i, width in longest.items()}  # a header may be cut

    def forget_lines(self) -> None:
        """Drop the lines drawn so far (their items' data, or the day, moved on): every
        line is drawn again."""
        self._drawn.clear()
        self._painted.clear()

    def _row_line(self, look: Look) -> Strip:
        """An item's line, drawn once per look (width, cursor or stripe): moving the cursor
        or typing a filter redraws every line on screen, mostly ones drawn before."""
        item, widths, style = look
        try:
            return self._drawn[look]
        except KeyError:
            pass
        except TypeError:  # an item that cannot be a key: draw it each time
            return self._line(self.render_row(item), widths, style)
        if len(self._drawn) > 2000:
            self._drawn.clear()
        line = self._drawn[look] = self._line(self.render_row(item), widths, style)
        return line

    def _line(self, cells: Sequence[Text], widths: Sequence[int], style: Style) -> Strip:
        line = Text(" ", no_wrap=True, end="")
        for cell, width in zip(cells, widths, strict=False):
            if not width:
                continue  # a column hidden to make room
            piece = cell.copy()
            piece.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(piece)
            line.append(" ")
        segments = list(line.render(self.app.console))
        total = self.scrollable_content_region.width
        strip = Strip(segments).adjust_cell_length(total)
        return strip.apply_style(style)

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        """The header's, a row's, the cursor row's and an even row's style (read once
        until the next refresh: each costs Textual a pass over the styles)."""
        if self._styles is None:
            base = self.rich_style
            self._styles = (self.get_component_rich_style("lazy-table--header"), base,
                            base + self.get_component_rich_style("lazy-table--cursor"),
                            base + self.get_component_rich_style("lazy-table--even"))
        return self._styles

    def _look(self, y: int, styles: tuple[Style, Style, Style, Style]) -> Look:
        """What line ``y`` shows: its item (HEADER, or BLANK past the last row), the
        columns' widths and its style."""
        header, base, cursor, even = styles
        if y == 0:
            return HEADER, self.widths(), header
        index = self.scroll_offset.y + y - 1
        if index >= len(self.items):
            return BLANK, (self.scrollable_content_region.width,), base
        style = cursor if index == self.cursor else even if index % 2 else base
        return self.items[index], self.widths(), style

    def render_line(self, y: int) -> Strip:
        look = self._painted[y] = self._look(y, self._line_styles())
        item, widths, style = look
        if item is HEADER:
            return self._line([Text(c.label) for c in self.columns], widths, style)
        if item is BLANK:
            return Strip([Segment(" " * widths[0], style)])
        return self._row_line(look)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.items) + 1)

    # -- moving ----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.items) - 1)) if self.items else 0

    def watch_cursor(self) -> None:
        self.scroll_to_cursor()
        self.refresh_changed_lines()
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
