"""What a link in a record may be: an http(s) address or a file path, nothing else.

One rule for the forms, the store, a merged file and ``check``. A link is only ever
shown and exported as text (transfer-tui opens nothing), but it is copied into other
tools, so a scheme that runs something (``javascript:``, ``data:``, ``file:`` with a
host, a shell command) is refused where it is typed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from transfer_tui.limits import MAX_LINK

_WEB = re.compile(r"^https?://", re.IGNORECASE)
_PATH = re.compile(r"^(/|~/|[A-Za-z]:[\\/]|\\\\[^\\/\s]+[\\/])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SPACE = re.compile(r"\s")


def link_problem(text: str) -> str | None:
    """Why ``text`` is not a link we keep, in a few words; None when it is one."""
    if len(text) > MAX_LINK:
        return f"is too long (at most {MAX_LINK:,} characters)"
    if _CONTROL.search(text):
        return "must fit on one line"
    if _WEB.match(text):
        if _SPACE.search(text):
            return "has a space in it: a web link has none (write %20)"
        try:
            parts = urlsplit(text)
            host = parts.hostname
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            host = None
        if not host:
            return "has no host: write e.g. https://docs.example.com/notes"
        return None
    if _PATH.match(text):
        return None
    return ("is not an http(s) link or a file path: write e.g. https://drive.example.com/x "
            "or /shared/Customers/notes")
