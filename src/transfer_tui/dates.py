"""The range of calendar dates transfer-tui keeps, declared once, and date arithmetic that
never leaves it.

A handoff's dates are business dates: a target, a renewal, a contract's end. Nothing a
CSM plans falls before 1900 or after 2199, while Python's dates stop at years 1 and 9999,
so "90 days before 0001-03-01" crashes. Every entry point (forms, ``new``, ``dates``, the
CSV import, records, a merged file) refuses a date outside the range with
:func:`out_of_range`'s one line, and every computation goes through :func:`shifted`
(None instead of a date outside the range) or :func:`moved` (kept within it). A file
that already holds such a date still opens: readers use :func:`read_day`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_FIRST, _LAST = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
RANGE = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def out_of_range(label: str, day: date | str) -> str:
    """The one line every entry point shows for a date outside the range."""
    text = day.isoformat() if isinstance(day, date) else day
    return f"{label} {text} is outside the dates transfer-tui keeps ({RANGE})"


def shifted(day: date | None, days: int) -> date | None:
    """``day`` moved by ``days``, or None when there is no day or the result would leave
    the range (never an OverflowError, whatever the day)."""
    if day is None:
        return None
    try:
        moved = day + timedelta(days=days)
    except OverflowError:
        return None
    return moved if in_range(moved) else None


def parse_iso(text: str) -> date:
    """YYYY-MM-DD only (Python 3.11 also reads 20261231 and 2026-W53-1, which people
    should not have to tell apart); ValueError otherwise. The range is the caller's."""
    if not _ISO.match(text):
        raise ValueError(f"{text!r} is not YYYY-MM-DD")
    return date.fromisoformat(text)


def moved(day: date, days: int) -> date:
    """``day`` moved by ``days`` and kept within the range: for dates only shown (renewal
    outreach), never saved; the answer for a stored date outside the range is an edge."""
    number = min(max(day.toordinal() + days, _FIRST), _LAST)
    return date.fromordinal(number)


def read_day(value: object) -> date | None:
    """A stored date as the app reads it: None for NULL and for anything that is not an
    ISO date (a hand-edited file; ``transfer-tui check`` names it)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None
