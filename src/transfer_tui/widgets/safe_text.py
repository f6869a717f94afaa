"""Show what people typed exactly as typed, and nothing more.

User text never goes through Rich or Textual markup: a note that says
``[bold]`` shows ``[bold]``. Control characters (terminal escape sequences
among them) are dropped before display, except newline and tab.
"""

from __future__ import annotations

from rich.text import Text

from transfer_tui.cleantext import clean, one_line

__all__ = ["block", "clean", "one_line", "plain"]


def plain(text: str | None, style: str = "", *, limit: int | None = None) -> Text:
    """A one-line Rich Text cell for tables: never parsed as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis", end="")


def block(text: str | None, style: str = "") -> Text:
    """Multi-line user text for a panel."""
    return Text(clean(text), style=style)
