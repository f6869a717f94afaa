"""A one-line choice for forms: left/right (or space) to pick, enter to submit.

Keyboard-first and dropdown-free, so Enter on a form's last field can mean
"create" as it does in a text input. Every option is shown, wrapped onto as many
lines as the width needs (never cut: the value saved is the one seen). ``compact``
shows only the chosen option and its place in the list, for lists too long to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Choice(Widget, can_focus=True):
    """Pick one of a few values; shows all of them with the chosen one marked."""

    DEFAULT_CSS = """
    Choice {
        height: auto;
        width: 1fr;
        padding: 0 1;
        background: $surface;
    }
    Choice:focus {
        background: $boost;
        text-style: bold;
    }
    """

    BINDINGS = [
        Binding("right,space,l", "move(1)", "Next", show=False),
        Binding("left,h", "move(-1)", "Previous", show=False),
        Binding("enter", "submit", "Submit", show=False),
    ]

    index: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        choice: Choice
        value: str

        @property
        def control(self) -> Choice:
            return self.choice

    @dataclass
    class Submitted(Message):
        choice: Choice
        value: str

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
        compact: bool = False,
    ):
        """``options`` are (label, value) pairs."""
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        self.compact = compact
        values = [v for _, v in self.options]
        self.set_reactive(Choice.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> str:
        return self.options[self.index][1]

    @value.setter
    def value(self, new: str) -> None:
        values = [v for _, v in self.options]
        if new in values:
            self.index = values.index(new)

    def lines(self, width: int) -> list[Text]:
        """The options packed into lines of ``width``; an option is never split across two."""
        if self.compact:
            text = Text(no_wrap=True, overflow="ellipsis", end="")
            text.append("‹ ", style="dim")
            text.append("● " + self.options[self.index][0], style="bold")
            text.append(f"  {self.index + 1}/{len(self.options)} ›", style="dim")
            return [text]
        lines: list[Text] = []
        line = Text("‹ ", style="dim", end="")
        last = len(self.options) - 1
        for position, (label, _) in enumerate(self.options):
            chosen = position == self.index
            piece = Text(("● " if chosen else "○ ") + label, style="bold" if chosen else "dim",
                         end="")
            if position == last:
                piece.append(" ›", style="dim")
            if line.cell_len > 2 and line.cell_len + 2 + piece.cell_len > width:
                lines.append(line)
                line = Text("  ", end="")
            elif line.cell_len > 2:
                line.append("  ")
            line.append_text(piece)
        lines.append(line)
        for text in lines:
            text.no_wrap, text.overflow = True, "ellipsis"  # a label longer than the width
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n", end="").join(self.lines(self.content_region.width or 80))

    def action_move(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def watch_index(self) -> None:
        self.post_message(self.Changed(self, self.value))

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))
