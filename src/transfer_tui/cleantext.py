"""User text made safe to show: control characters (escape sequences) removed.

Pure functions used by the CLI, the export and the screens alike.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """The text minus control characters and bidi overrides; newlines and tabs stay."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str | None, limit: int | None = None) -> str:
    """The first line, marked with an ellipsis when more follows or it is cut short."""
    cleaned = clean(text).replace("\t", " ")
    first, _, rest = cleaned.partition("\n")
    more = bool(rest.strip())
    if limit is not None and len(first) > limit:
        first, more = first[: max(limit - 1, 0)], True
    return first + ("…" if more else "")
