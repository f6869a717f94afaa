"""The digest's dates as a calendar file a calendar app can subscribe to.

One all-day event per dated item. Its UID comes from what the item is about (the
kind and the task, record or handoff), never from when the file was made, so a
re-run replaces each event instead of adding a copy, and an item that is done
simply drops out.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from icalendar import Event

from transfer_tui.cleantext import one_line
from transfer_tui.dates import shifted
from transfer_tui.outreach.digest import KINDS, Digest, DueItem
from transfer_tui.outreach.invite import calendar

UID_NAMESPACE = uuid.UUID("0b7d6c1e-2a43-4f0e-9d51-6a2c8e4f3b19")
SUMMARY_WORD = {
    "overdue_task": "Overdue", "due_task": "Due", "renewal_outreach": "Renewal outreach",
    "awaiting_acceptance": "Accept the handoff", "promise_due": "Promise due",
}


def event_uid(item: DueItem) -> str:
    """The same thing due always has the same UID, whatever its date or words."""
    key = f"{item.kind}/{item.handoff_id}/{item.ref}"
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@transfer-tui"


def due_calendar(digest: Digest, now: datetime) -> bytes:
    cal = calendar("PUBLISH")
    cal.add("x-wr-calname", f"transfer-tui: due for {one_line(digest.person, 60)}")
    for kind in KINDS:
        for item in digest.of_kind(kind):
            if item.day is None:
                continue
            event = Event()
            event.add("uid", event_uid(item))
            event.add("dtstamp", now.astimezone(UTC))
            event.add("dtstart", item.day)
            event.add("dtend", shifted(item.day, 1) or item.day)  # never past the range
            event.add("summary", f"{SUMMARY_WORD[item.kind]}: {one_line(item.account, 60)}: "
                                 f"{one_line(item.what, 120)}")
            event.add("description", f"{KINDS[item.kind]} · handoff {item.handoff_id[:8]} "
                                     f"· open it with: transfer-tui (or transfer-tui export "
                                     f"{item.handoff_id[:8]})")
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()
