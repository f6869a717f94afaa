"""Dates and times as a person reads them: local time, "3 days ago"."""

from __future__ import annotations

from datetime import UTC, date, datetime


def aware(stamp: datetime) -> datetime:
    """Times read back without an offset are UTC."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def local(stamp: datetime) -> datetime:
    """Stored times are UTC; show them in the local zone."""
    return aware(stamp).astimezone()


def ago(stamp: datetime, now: datetime | None = None) -> str:
    """How long ago a stored time was, in words."""
    stamp = aware(stamp)
    now = aware(now) if now else datetime.now(UTC)
    seconds = (now - stamp).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 30:
        return f"{days} days ago"
    return f"on {local(stamp):%Y-%m-%d}"


def days_until(day: date, today: date) -> str:
    """``in 5 days``, ``today``, ``3 days late``."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta > 0:
        return f"in {delta} days"
    if delta == -1:
        return "1 day late"
    return f"{-delta} days late"
