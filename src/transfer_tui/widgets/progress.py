"""Progress as text: a small bar and a count, usable in table cells and headers."""

from __future__ import annotations

from rich.text import Text

FULL, EMPTY = "█", "░"


def progress_bar(done: int, total: int, width: int = 10, *, percent: bool = True) -> Text:
    """``████░░░░░░ 40% 4/10``: a bar, a percent and the counts (n/a tasks left out)."""
    share = 100 if total == 0 else round(100 * done / total)
    filled = width if total == 0 else round(width * done / total)
    style = "green" if done >= total else "cyan"
    text = Text(no_wrap=True, end="")
    text.append(FULL * filled, style=style)
    text.append(EMPTY * (width - filled), style="dim")
    text.append(f" {share:>3}% {done}/{total}" if percent else f" {done}/{total}")
    return text
