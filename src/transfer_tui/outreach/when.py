"""When the intro call is: a time typed with --when, or the next occurrence of a cadence
call's "day and time" ("Thursday 16:00 CET", "Second Wednesday, 10:00 EST", "First Tuesday
of the quarter, 14:00 CET"), each in its time zone (zoneinfo).

People write zones as abbreviations; each maps to the place whose clock it names
(CET -> Europe/Berlin), so "10:00 EST" in July is ten o'clock in New York, as it
was meant. IANA names (Europe/Paris) and UTC offsets (UTC+2) work too.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from transfer_tui.dates import in_range, out_of_range

ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "Europe/London", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon", "CET": "Europe/Berlin", "CEST": "Europe/Berlin",
    "EET": "Europe/Helsinki", "EEST": "Europe/Helsinki", "MSK": "Europe/Moscow",
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "IST": "Asia/Kolkata", "SGT": "Asia/Singapore", "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland", "BRT": "America/Sao_Paulo",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "last": -1}
_TIME = re.compile(r"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\b", re.I)
_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b", re.I)
_IANA = re.compile(r"\b([A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)\b")
_DAY_FIRST = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T]+(.*))?$")
MAX_TEXT = 200
_WORDS = {"ist", "wet"}  # words in some language: zones only in capitals


class WhenProblem(ValueError):
    """A time that cannot be read; ``str()`` says what was expected."""


def zone_named(name: str) -> tzinfo | None:
    """The zone for an abbreviation, an IANA name or a UTC offset; None if none matches."""
    name = name.strip()
    if not name:
        return None
    if (mapped := ABBREVIATIONS.get(name.upper())) is not None:
        return ZoneInfo(mapped)
    if offset := _OFFSET.fullmatch(name):
        return _offset_zone(offset)
    if "/" in name and ".." not in name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None
    return None


def _offset_zone(match: re.Match[str]) -> tzinfo | None:
    sign = -1 if match.group(1) == "-" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def find_zone(text: str) -> tzinfo | None:
    """The first zone named anywhere in ``text``."""
    if offset := _OFFSET.search(text):
        return _offset_zone(offset)
    for match in _IANA.finditer(text):
        if zone := zone_named(match.group(1)):
            return zone
    for word in re.findall(r"\b[A-Za-z]{2,5}\b", text):
        spoken = len(word) >= 3 and word.lower() not in _WORDS  # "4pm cet" means CET
        if (word.isupper() or spoken) and (zone := zone_named(word)):
            return zone
    return None


def local_zone() -> tzinfo:
    """This machine's zone by name when it has one (TZ, /etc/localtime), else its offset."""
    for name in (os.environ.get("TZ", "").lstrip(":"), _localtime_name()):
        if name and (zone := zone_named(name) or _try_zone(name)):
            return zone
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


def _try_zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _localtime_name() -> str:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return ""
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""


def read_time(text: str) -> time | None:
    """``16:00``, ``4pm``, ``10.30``, ``9h15`` -> a time; None when there is none."""
    for match in _TIME.finditer(text):
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if match.group(2) is None and half is None:
            continue  # a lone number ("Second", "2") is not a time
        if half:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if half.lower() == "pm" else 0)
        if hour < 24 and minute < 60:
            return time(hour, minute)
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    if nth == -1:
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def next_occurrence(day_time: str, cadence: str | None, now: datetime,
                    default_zone: tzinfo | None = None) -> datetime | None:
    """The next time after ``now`` a call said to be on ``day_time`` happens, in its zone;
    None when the text names no weekday and time."""
    text = day_time[:MAX_TEXT]
    lower = text.lower()
    weekday = next((i for i, name in enumerate(WEEKDAYS)
                    if re.search(rf"\b{name[:3]}(?:{name[3:]})?s?\b", lower)), None)
    at = read_time(text)
    if weekday is None or at is None:
        return None
    zone = find_zone(text) or default_zone or local_zone()
    here = now.astimezone(zone)
    nth = next((n for word, n in ORDINALS.items() if re.search(rf"\b{word}\b", lower)), None)
    if nth is None:
        day = here.date() + timedelta(days=(weekday - here.weekday()) % 7)
        start = datetime.combine(day, at, zone)
        return start if start > now else start + timedelta(days=7)
    months = 3 if (cadence == "quarterly" or "quarter" in lower) else 1
    year, month = here.year, here.month
    if months == 3:
        month -= (month - 1) % 3  # the quarter's first month
    for _ in range(12):
        nth_day = _nth_weekday(year, month, weekday, nth)
        if nth_day is not None and (start := datetime.combine(nth_day, at, zone)) > now:
            return start
        month += months
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return None


def parse_when(text: str, now: datetime, default_zone: tzinfo | None = None) -> datetime:
    """``2026-12-03 16:00 Europe/Berlin``, ``2026-12-03T16:00``, or a weekday and a time
    (``Thursday 16:00 CET``: the next one). Without a zone, the default, else this
    machine's."""
    text = " ".join(text.split())[:MAX_TEXT]
    expected = ("write YYYY-MM-DD HH:MM and a zone (2026-12-03 16:00 Europe/Berlin), "
                "or a weekday and a time (Thursday 16:00 CET)")
    dated = _DAY_FIRST.match(text)
    if dated:
        try:
            day = date.fromisoformat(dated.group(1))
        except ValueError:
            raise WhenProblem(f"{text!r} is not a date: {expected}") from None
        if not in_range(day):
            raise WhenProblem(out_of_range("The date", day))
        rest = dated.group(2) or ""
        at = read_time(rest)
        if at is None:
            raise WhenProblem(f"{text!r} has no time: {expected}")
        zone_text = _TIME.sub("", rest, count=1).strip()
        zone = zone_named(zone_text) if zone_text else (default_zone or local_zone())
        if zone is None:
            raise WhenProblem(f"{zone_text!r} is not a time zone I know: {expected}")
        return datetime.combine(day, at, zone)
    found = next_occurrence(text, None, now, default_zone)
    if found is None:
        raise WhenProblem(f"{text!r} is not a time: {expected}")
    return found


def zone_name(moment: datetime) -> str:
    """The zone's name as people read it: Europe/Berlin, UTC+02:00."""
    zone = moment.tzinfo
    return getattr(zone, "key", None) or moment.strftime("UTC%z")
