"""Writing the intro's two files: both or neither, never replacing a file unasked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from transfer_tui.export.files import check_target, slug, write_text
from transfer_tui.outreach.email_draft import intro_email
from transfer_tui.outreach.intro import Intro
from transfer_tui.outreach.invite import intro_invite


def intro_names(account: str, day: object) -> tuple[str, str]:
    """``globex-logistics-intro-2026-11-25.eml`` and ``.ics``."""
    base = f"{slug(account)}-intro-{day}"
    return f"{base}.eml", f"{base}.ics"


def intro_files(intro: Intro, templates: Path | None, now: datetime) -> tuple[bytes, bytes]:
    """The draft's and the invite's bytes (templates rendered, nothing written)."""
    return intro_email(intro, templates, now), intro_invite(intro, templates, now)


def write_intro(intro: Intro, folder: Path, templates: Path | None, now: datetime, *,
                overwrite: bool = False) -> tuple[Path, Path]:
    """Render both files, check both places, then write both; the paths written."""
    email, invite = intro_files(intro, templates, now)
    names = intro_names(intro.account, now.date().isoformat())
    targets = [check_target(folder.expanduser() / name, overwrite=overwrite) for name in names]
    written = []
    for path, data in zip(targets, (email, invite), strict=True):
        written.append(write_text(path, data.decode("utf-8"), overwrite=overwrite))
    return written[0], written[1]


def describe_email(data: bytes) -> str:
    """The draft as a person reads it, parsed back from its bytes: headers, then the body."""
    import email
    from email.policy import default

    message = email.message_from_bytes(data, policy=default)
    head = [f"{name}: {str(message[name]).strip()}" for name in ("From", "To", "Cc", "Subject")
            if message[name]]
    body = message.get_content() if not message.is_multipart() else ""
    return "\n".join(head) + "\n\n" + str(body).replace("\r\n", "\n")


def describe_invite(data: bytes) -> str:
    """The invite as a person reads it, parsed back from its bytes: title, when, who."""
    from icalendar import Calendar

    event = Calendar.from_ical(data).events[0]
    start, end = event.start, event.end
    zone = event["DTSTART"].params.get("TZID", "")
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    who = [f"  {a.params.get('CN', '')} <{str(a).removeprefix('mailto:')}>" for a in attendees]
    return "\n".join([
        str(event["SUMMARY"]),
        f"{start:%A %Y-%m-%d %H:%M}-{end:%H:%M} {zone}".rstrip(),
        "Attendees (asked to reply):", *who, "", str(event.get("DESCRIPTION", "")),
    ])
