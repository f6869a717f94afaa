"""The digest reads the same in Markdown, JSON and chat; the calendar keeps its events' ids."""

from __future__ import annotations

import json
from datetime import date, timedelta

import icalendar
import pytest

from tests.conftest import NOW, TODAY
from tests.export.helpers import parse, walk
from transfer_tui.outreach.digest import (
    DueItem,
    chat_text,
    make_digest,
    render_digest_json,
    render_digest_markdown,
)
from transfer_tui.outreach.due_calendar import due_calendar, event_uid

ITEMS = [
    DueItem("overdue_task", "h1" * 16, "Initech", "Set up the notes folder",
            date(2026, 10, 19), "Jordan Rivera", "t1"),
    DueItem("due_task", "h2" * 16, "Globex Logistics", "Read the QBR deck",
            date(2026, 11, 28), "Jordan Rivera", "t2"),
    DueItem("renewal_outreach", "h2" * 16, "Globex Logistics", "renews 2027-02-15",
            date(2026, 11, 17), "Jordan Rivera", "h2" * 16),
    DueItem("awaiting_acceptance", "h3" * 16, "Umbrella Health",
            "handed over by Hannah Schultz", date(2026, 11, 24), "Jordan Rivera", "h3" * 16),
    DueItem("promise_due", "h1" * 16, "Initech", "No price penalty at 25 seats",
            date(2026, 11, 20), "Jordan Rivera", "p1"),
]


def test_each_kind_under_its_heading_in_order() -> None:
    text = render_digest_markdown(make_digest("Jordan Rivera", TODAY, 7, ITEMS))
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Overdue tasks (1)", "## Due in the next 7 days (1)",
                        "## Renewal outreach has started (1)",
                        "## Awaiting your acceptance (1)",
                        "## Promises you own that are due (1)"]
    assert ("- Initech · Set up the notes folder · due 2026-10-19 (37 days late)" in text)
    assert "- Umbrella Health · handed over by Hannah Schultz · handed over 2026-11-24, " \
           "waiting 1 day" in text


def test_an_empty_digest_says_so() -> None:
    digest = make_digest("Sam", TODAY, 7, [])
    assert "Nothing is due for Sam in the next 7 days" in render_digest_markdown(digest)
    assert json.loads(render_digest_json(digest))["items"] == []
    assert "Nothing is due" in chat_text(digest)


def test_json_counts_and_items() -> None:
    data = json.loads(render_digest_json(make_digest("Jordan Rivera", TODAY, 7, ITEMS)))
    assert data["counts"] == {"overdue_task": 1, "due_task": 1, "renewal_outreach": 1,
                              "awaiting_acceptance": 1, "promise_due": 1}
    assert data["items"][0] == {"kind": "overdue_task", "handoff_id": "h1" * 16,
                                "account": "Initech", "what": "Set up the notes folder",
                                "date": "2026-10-19", "who": "Jordan Rivera", "ref": "t1"}


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind of due item: lunch"):
        make_digest("me", TODAY, 7, [DueItem("lunch", "h", "a", "b", None, "c")])


def test_user_text_stays_text_in_the_markdown() -> None:
    nasty = DueItem("due_task", "h", "<b>Acme</b> | [x](y)", "# `task`\n- [ ] *z*",
                    TODAY, "me", "t")
    tree = parse(render_digest_markdown(make_digest("[me](x)", TODAY, 7, [nasty])))
    kinds = {node.type for node in walk(tree)}
    assert not kinds & {"html_inline", "link", "code_inline", "em"}


def test_the_chat_text_is_capped_per_kind() -> None:
    many = [DueItem("overdue_task", "h", "Acme", f"task {i}", TODAY - timedelta(days=1),
                    "me", f"t{i}") for i in range(25)]
    text = chat_text(make_digest("me", TODAY, 7, many))
    assert text.count("• Acme") == 10 and "and 15 more" in text


def test_calendar_events_keep_their_ids_across_runs() -> None:
    digest = make_digest("Jordan Rivera", TODAY, 7, ITEMS)
    first = icalendar.Calendar.from_ical(due_calendar(digest, NOW))
    moved = [ITEMS[0]._replace(day=date(2026, 10, 30),
                               what="Set up the notes folder (renamed)"), *ITEMS[1:]]
    later = icalendar.Calendar.from_ical(due_calendar(
        make_digest("Jordan Rivera", TODAY + timedelta(days=1), 7, moved),
        NOW + timedelta(days=1)))
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 5
    assert [str(e["UID"]) for e in later.walk("VEVENT")] == uids
    event = next(iter(later.walk("VEVENT")))
    assert event["DTSTART"].dt == date(2026, 10, 30)
    assert str(event["SUMMARY"]) == ("Overdue: Initech: Set up the notes folder (renamed)")
    assert first["METHOD"] == "PUBLISH"
    assert event_uid(ITEMS[0]) != event_uid(ITEMS[4])  # same handoff, other thing


def test_a_long_kind_is_cut_in_markdown_and_whole_in_json() -> None:
    many = [DueItem("due_task", "h", "Acme", f"task {i:03}", TODAY, "me", f"t{i}")
            for i in range(130)]
    digest = make_digest("me", TODAY, 7, many)
    text = render_digest_markdown(digest)
    assert "## Due in the next 7 days (130)" in text
    assert text.count("\n- Acme") == 100 and "And 30 more: `--format json`" in text
    assert len(json.loads(render_digest_json(digest))["items"]) == 130
