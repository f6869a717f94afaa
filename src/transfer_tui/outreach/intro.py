"""The customer intro: who it goes to, who sends it, when the joint call is, and the fields
its templates may use.

:func:`plan_intro` gathers it all from a handoff snapshot and the config, and
names what is missing in one line that says where to fill it in; nothing is
written until everything is there. Stakeholders are read through their record's
``email``, ``sponsor`` and ``primary_contact`` and everything else through the
customer view, so no internal field can reach the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from transfer_tui.addresses import EMAIL, is_address  # noqa: F401 - others import them here
from transfer_tui.config import Config, person_email
from transfer_tui.export.customer import CustomerView, customer_view, takeover_sentence
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot
from transfer_tui.outreach.when import WhenProblem, next_occurrence, parse_when, zone_name
from transfer_tui.records.record import customer_values

STAKEHOLDERS = "Context → Stakeholders"
CADENCE = "Context → Cadence calls"


class IntroProblem(Exception):
    """Something the intro needs is missing or wrong; ``str()`` says what and where to fix
    it, in one line."""


def one_line_name(text: str) -> str:
    """A name as it may stand in a header or an invite: one line, no control characters."""
    from transfer_tui.cleantext import clean

    return " ".join(clean(text).split())[:200]


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    job_title: str = ""
    sponsor: bool = False
    primary: bool = False

    @property
    def roles(self) -> str:
        """``executive sponsor and primary contact``, or one of them."""
        return " and ".join(r for r, on in (("executive sponsor", self.sponsor),
                                            ("primary contact", self.primary)) if on)


@dataclass(frozen=True)
class Intro:
    """Everything the e-mail and the invite are made from."""

    handoff_id: str
    account: str
    sender: Person  # the outgoing CSM
    incoming: Person
    recipients: tuple[Person, ...]  # stakeholders marked sponsor or primary, with an e-mail
    view: CustomerView
    start: datetime  # aware, in the call's zone
    minutes: int
    time_from: str  # where the time came from: "--when" or the cadence call's name


def recipients_of(snapshot: HandoffSnapshot) -> tuple[Person, ...]:
    """The stakeholders the intro is addressed to; a problem naming what to fill in if
    there is none."""
    flagged, wrong = [], []
    for record in snapshot.records.get("stakeholder", ()):
        values = record.values
        sponsor, primary = bool(values.get("sponsor")), bool(values.get("primary_contact"))
        if not (sponsor or primary):
            continue
        name = one_line_name(str(customer_values(record).get("name") or ""))
        email = str(values.get("email") or "").strip()
        if email and not is_address(email):
            wrong.append(f"{name}'s email {email[:60]!r} is not an address")
            continue
        flagged.append(Person(name or email, email,
                              one_line_name(str(customer_values(record).get("job_title")
                                                or "")), sponsor, primary))
    found = tuple(p for p in flagged if p.email)
    if found:
        return found
    if wrong:
        raise IntroProblem(f"{wrong[0]}: fix it in {STAKEHOLDERS}")
    if flagged:
        names = ", ".join(f"{p.name} ({p.roles})" for p in flagged[:3])
        raise IntroProblem(f"no stakeholder with an email: add one for {names} in "
                           f"{STAKEHOLDERS}")
    raise IntroProblem("no stakeholder with an email marked executive sponsor or primary "
                       f"contact: add one in {STAKEHOLDERS}")


def _csm(name: str, side: str, config: Config, given: str | None, option: str) -> Person:
    email = person_email(name, config, given)
    where = config.path or "config.toml"
    if not email:
        raise IntroProblem(f"no e-mail address for {one_line_name(name)} ({side} CSM): add it "
                           f"under [people] in {where}, or pass {option}")
    if not is_address(email):
        raise IntroProblem(f"the e-mail address for {one_line_name(name)} ({side} CSM), "
                           f"{email[:60]!r}, is not an address")
    return Person(one_line_name(name), email)


def call_time(snapshot: HandoffSnapshot, now: datetime, when: str | None
              ) -> tuple[datetime, str]:
    """(start, where it came from): --when, else the soonest next cadence call."""
    if when:
        try:
            return parse_when(when, now), "--when"
        except WhenProblem as exc:
            raise IntroProblem(f"--when: {exc}") from None
    calls = snapshot.records.get("cadence", ())
    if not calls:
        raise IntroProblem(f"no cadence call recorded to take the time from: add one in "
                           f"{CADENCE}, or pass --when '2026-12-03 16:00 Europe/Berlin'")
    found = []
    for record in calls:
        values = customer_values(record)
        start = next_occurrence(str(values.get("day_time") or ""), values.get("cadence"), now)
        if start is not None:
            found.append((start, one_line_name(str(values.get("name") or ""))))
    if not found:
        first = customer_values(calls[0])
        raise IntroProblem(
            f"the cadence call {one_line_name(str(first.get('name') or ''))!r} has no day and "
            f"time I can read ({one_line_name(str(first.get('day_time') or ''))!r}): write "
            f"it like 'Thursday 16:00 CET' in {CADENCE}, or pass --when")
    return min(found, key=lambda pair: pair[0])


def plan_intro(snapshot: HandoffSnapshot, config: Config, *, now: datetime,
               when: str | None = None, sender: str | None = None, cc: str | None = None,
               minutes: int | None = None) -> Intro:
    """Everything for the intro, or an :class:`IntroProblem` naming the first gap."""
    recipients = recipients_of(snapshot)
    outgoing = _csm(snapshot.outgoing, "outgoing", config, sender, "--from")
    incoming = _csm(snapshot.incoming, "incoming", config, cc, "--cc")
    start, source = call_time(snapshot, now, when)
    people = ((snapshot.outgoing, outgoing.email), (snapshot.incoming, incoming.email))
    view = customer_view(snapshot, ExportOptions(as_of=now.date(), people=people))
    return Intro(snapshot.id, one_line_name(snapshot.account), outgoing, incoming, recipients,
                 view, start, minutes or config.intro_minutes, source)


def template_fields(intro: Intro) -> dict[str, Any]:
    """What a template may read: plain text, numbers, flags, lists and dicts of them.

    The README lists these; keep the two in step.
    """
    view = intro.view

    def person(p: Person) -> dict[str, Any]:
        return {"name": p.name, "email": p.email, "first_name": p.name.split(" ")[0],
                "job_title": p.job_title, "sponsor": p.sponsor, "primary": p.primary}

    start = intro.start
    return {
        "account": intro.account,
        "outgoing": person(intro.sender),
        "incoming": person(intro.incoming),
        "recipients": [person(p) for p in intro.recipients],
        "takeover_date": view.takeover.isoformat() if view.takeover else "",
        "takeover_sentence": takeover_sentence(view),
        "shadowing": view.shadowing,
        "channels": [{"kind": c.kind, "address": c.address, "purpose": c.purpose,
                      "primary": c.primary} for c in view.channels],
        "calls": [{"name": c.name, "cadence": c.cadence, "day_time": c.day_time,
                   "attendees": list(c.attendees), "leads": c.leads} for c in view.calls],
        "commitments": [{"promise": c.promise, "made_to": c.made_to,
                         "made_when": c.made_when} for c in view.commitments],
        "dates": [{"name": d.name, "day": d.day.isoformat()} for d in view.dates],
        "call": {"date": start.date().isoformat(), "weekday": f"{start:%A}",
                 "time": f"{start:%H:%M}", "zone": zone_name(start),
                 "minutes": intro.minutes, "from": intro.time_from},
    }
