"""The intro call as an ``.ics`` invite: RFC 5545, ``METHOD:REQUEST``, the outgoing CSM as
organizer, both CSMs and the invited stakeholders as attendees asked to reply, the
start in its own time zone (with its VTIMEZONE) and a duration.

Built with ``icalendar``, which escapes text and quotes parameters, so a name or a
title holding newlines, quotes, semicolons or colons never adds a property or a
component. The UID is the handoff's, so sending a new time updates the same event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText

from transfer_tui import __version__
from transfer_tui.outreach.email_draft import split_subject
from transfer_tui.outreach.intro import Intro, Person, template_fields
from transfer_tui.outreach.templates import render_template

PRODID = f"-//transfer-tui//transfer-tui {__version__}//EN"
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def parameter_text(text: str) -> str:
    """A name as a parameter value (CN): RFC 5545 gives a backslash no meaning there, but
    icalendar (and other readers) take it as an escape, so ``Ana\\`` would swallow the
    next parameter. It becomes the look-alike U+29F5 (reverse solidus operator)."""
    return text.replace("\\", "\u29f5")


def calendar_address(person: Person, *, attendee: bool) -> vCalAddress:
    found = vCalAddress(f"mailto:{person.email}")
    found.params["CN"] = vText(parameter_text(person.name))
    if attendee:
        found.params["CUTYPE"] = "INDIVIDUAL"
        found.params["ROLE"] = "REQ-PARTICIPANT"
        found.params["PARTSTAT"] = "NEEDS-ACTION"
        found.params["RSVP"] = "TRUE"
    return found


def intro_invite(intro: Intro, folder: Path | None, now: datetime) -> bytes:
    title, description = split_subject(
        render_template("intro_invite.txt", template_fields(intro), folder), "invite")
    cal = calendar("REQUEST")
    event = Event()
    event.add("uid", f"intro-{intro.handoff_id}@transfer-tui")
    event.add("dtstamp", now.astimezone(UTC))
    # a later invite for the same call must win: count minutes since a fixed day
    event.add("sequence", max(0, int((now - SEQUENCE_EPOCH).total_seconds() // 60)))
    event.add("dtstart", intro.start)
    event.add("dtend", intro.start + timedelta(minutes=intro.minutes))
    event.add("summary", title)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", calendar_address(intro.sender, attendee=False), encode=False)
    seen = set()
    for person in (intro.sender, intro.incoming, *intro.recipients):
        if person.email.lower() in seen:
            continue
        seen.add(person.email.lower())
        event.add("attendee", calendar_address(person, attendee=True), encode=False)
    cal.add_component(event)
    day = intro.start.date()
    cal.add_missing_timezones(first_date=day - timedelta(days=366),
                              last_date=day + timedelta(days=731))
    return cal.to_ical()
