"""The intro call's time: typed with --when, or the next cadence call, in its zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transfer_tui.outreach.when import WhenProblem, next_occurrence, parse_when, read_time

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


@pytest.mark.parametrize(("text", "cadence", "expected"), [
    ("Thursday 16:00 CET", "weekly", datetime(2026, 11, 26, 16, 0, tzinfo=BERLIN)),
    ("thu 4pm cet", None, datetime(2026, 11, 26, 16, 0, tzinfo=BERLIN)),
    ("Wednesday 09:00 UTC", None, datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("UTC"))),
    ("Wednesday 10:00 UTC", None, datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("UTC"))),
    ("Second Wednesday, 10:00 EST", "monthly", datetime(2026, 12, 9, 10, 0, tzinfo=NEW_YORK)),
    ("Last Friday 15:00 Europe/Berlin", "monthly", datetime(2026, 11, 27, 15, 0, tzinfo=BERLIN)),
    ("First Tuesday of the quarter, 14:00 CET", "quarterly",
     datetime(2027, 1, 5, 14, 0, tzinfo=BERLIN)),
    ("Friday 10:00 UTC+2", None, datetime(2026, 11, 27, 10, 0,
                                           tzinfo=timezone(timedelta(hours=2)))),
    ("Tuesdays at 9h30 CET", None, datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN)),
])
def test_the_next_occurrence_in_its_zone(text, cadence, expected) -> None:
    found = next_occurrence(text, cadence, NOW)
    assert found == expected and found.utcoffset() == expected.utcoffset()


def test_summer_time_follows_the_place() -> None:
    july = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    found = next_occurrence("Thursday 16:00 CET", "weekly", july)
    assert found.utcoffset() == timedelta(hours=2)  # CEST in July: Berlin's clock


@pytest.mark.parametrize("text", ["when needed", "Thursdays", "16:00", "Second week", ""])
def test_no_weekday_or_no_time_is_none(text) -> None:
    assert next_occurrence(text, None, NOW) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-03 16:00 Europe/Berlin", datetime(2026, 12, 3, 16, 0, tzinfo=BERLIN)),
    ("2026-12-03T16:00", datetime(2026, 12, 3, 16, 0, tzinfo=ZoneInfo("UTC"))),
    ("2026-12-03 4pm CET", datetime(2026, 12, 3, 16, 0, tzinfo=BERLIN)),
    ("Thursday 16:00 CET", datetime(2026, 11, 26, 16, 0, tzinfo=BERLIN)),
])
def test_when_is_read(text, expected) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("2026-13-03 10:00", "is not a date"),
    ("2026-12-03", "has no time"),
    ("2026-12-03 10:00 Mars/Base", "is not a time zone"),
    ("2026-12-03 10:00 ../../etc/passwd", "is not a time zone"),
    ("tomorrow-ish", "is not a time"),
])
def test_a_bad_when_says_what_to_write(text, words) -> None:
    with pytest.raises(WhenProblem, match=words):
        parse_when(text, NOW)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_time_in_the_future_or_nothing(text) -> None:
    found = next_occurrence(text, "monthly", NOW)
    assert found is None or (found > NOW and found.tzinfo is not None)
    try:
        parse_when(text, NOW)
    except WhenProblem:
        pass


def test_times_people_write() -> None:
    assert read_time("at 9am") is not None and read_time("12pm").hour == 12
    assert read_time("12am").hour == 0 and read_time("Second 2") is None
    assert read_time("25:00") is None


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02", "2200-01-01"])
def test_a_day_outside_the_range_kept_is_one_line(day) -> None:
    """The invite counts a year either side of the call: 9999-12-31 overflowed."""
    with pytest.raises(WhenProblem) as caught:
        parse_when(f"{day} 16:00 UTC", NOW)
    assert "1900-01-01 to 2199-12-31" in str(caught.value)
