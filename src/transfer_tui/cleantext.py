"""User text made safe to show: control characters (escape sequences) removed.

Pure functions used by the CLI, the export and the screens alike.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """The text minus control characters and bidi overrides; newlines and tabs stay."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """The text on one line with every control character shown as an escape (``\\n``,
    ``\\x1b``): for messages that quote what someone typed, so a newline or an escape
    sequence in an argument can neither break the line nor reach the terminal."""
    def shown(match: re.Match[str]) -> str:
        char = match.group()
        return _SHOWN.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                                    else f"\\u{ord(char):04x}")

    return _CONTROL_ANY.sub(shown, text)


def one_line(text: str | None, limit: int | None = None) -> str:
    """The first line, marked with an ellipsis when more follows or it is cut short."""
    cleaned = clean(text).replace("\t", " ")
    first, _, rest = cleaned.partition("\n")
    more = bool(rest.strip())
    if limit is not None and len(first) > limit:
        first, more = first[: max(limit - 1, 0)], True
    return first + ("…" if more else "")
