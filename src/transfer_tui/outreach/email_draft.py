"""The intro e-mail as an ``.eml`` draft: RFC 5322, UTF-8, ``X-Unsent: 1`` so common mail
clients open it as a message to edit and send.

Every header is built by the ``email`` package from parts (``Address`` objects,
one-line text), so a name holding ``\\r\\nBcc: x@y``, quotes, commas or any script
stays inside its own header, encoded where it must be.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

from transfer_tui.outreach.intro import Intro, Person, one_line_name, template_fields
from transfer_tui.outreach.templates import TemplateProblem, render_template

MAX_SUBJECT = 200


def header_text(text: str) -> str:
    """Text for a header: one line, and no RFC 2047 encoded word (``=?utf-8?q?...?=``) that a
    reader would decode into something else than was typed, an address included."""
    return one_line_name(text).replace("=?", "= ?")


def address(person: Person) -> Address:
    user, _, domain = person.email.rpartition("@")
    return Address(display_name=header_text(person.name), username=user, domain=domain)


def split_subject(text: str, what: str) -> tuple[str, str]:
    """A rendered template's first line (the subject or title) and the rest (the body)."""
    first, _, rest = text.lstrip("\n").partition("\n")
    subject = one_line_name(first)[:MAX_SUBJECT]
    if not subject:
        raise TemplateProblem(f"the {what} template's first line (the {what}'s subject) is "
                              "empty")
    return subject, rest.strip("\n") + "\n"


def intro_email(intro: Intro, folder: Path | None, now_stamp: object) -> bytes:
    """The draft's bytes (CRLF line ends, as RFC 5322 wants)."""
    subject, body = split_subject(render_template("intro_email.txt", template_fields(intro),
                                                  folder), "e-mail")
    message = EmailMessage(policy=SMTP)
    message["From"] = address(intro.sender)
    message["To"] = [address(p) for p in intro.recipients]
    message["Cc"] = address(intro.incoming)
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(now_stamp)  # type: ignore[arg-type]
    message["Message-ID"] = make_msgid("intro", intro.sender.email.rpartition("@")[2])
    message["X-Unsent"] = "1"
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()
