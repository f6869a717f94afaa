"""What the customer may read about their handoff, and the letter made of it.

:func:`customer_view` is the only place customer-facing output reads a handoff:
who takes over and from when, how to reach them, the calls and channels that stay,
the commitments still open (in the words they were made, never whether we think
them at risk), and the dates ahead. Records are read through
:func:`~transfer_tui.records.record.customer_values` alone, so a field declared
``internal`` (dispositions, risks, health, pricing, ticket details, our notes) and
every task (their notes are ours) stay out. The customer export (Markdown and
JSON) and the intro email and invite (:mod:`transfer_tui.outreach`) are all made
from this view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from transfer_tui.cleantext import clean
from transfer_tui.domain import Mode
from transfer_tui.export import escape
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot
from transfer_tui.records import Record, get_kind
from transfer_tui.records.record import customer_values

CUSTOMER_SCHEMA_VERSION = 1
#: A promise is "open" to the customer unless fulfilled: pending and at risk read the same.
FULFILLED = "fulfilled"


@dataclass(frozen=True)
class Channel:
    kind: str  # the kind's label: "Slack", "email"
    address: str
    purpose: str
    primary: bool


@dataclass(frozen=True)
class Call:
    name: str
    cadence: str  # the label: "weekly", "every two weeks"
    day_time: str
    attendees: tuple[str, ...]
    leads: str  # who leads, in words: "Marco Bellini from 2026-12-15"


@dataclass(frozen=True)
class Commitment:
    promise: str
    made_to: str
    made_when: str


@dataclass(frozen=True)
class KeyDay:
    name: str
    day: date


@dataclass(frozen=True)
class CustomerView:
    """A handoff as the customer may see it; text is cleaned, not escaped."""

    account: str
    outgoing: str
    incoming: str
    outgoing_email: str | None
    incoming_email: str | None
    takeover: date | None  # from when the incoming CSM leads
    shadowing: bool  # the outgoing CSM leads calls until then, the incoming one joins
    channels: tuple[Channel, ...]
    calls: tuple[Call, ...]
    commitments: tuple[Commitment, ...]
    dates: tuple[KeyDay, ...]
    as_of: date | None


def _records(snapshot: HandoffSnapshot, key: str) -> list[tuple[Record, dict[str, Any]]]:
    return [(r, customer_values(r)) for r in snapshot.records.get(key, ())]


def _label(kind: str, name: str, value: Any) -> str:
    return clean(get_kind(kind).field(name).choice_label(value)) if value else ""


def _text(value: Any) -> str:
    return " ".join(clean(str(value)).split()) if value else ""


def takeover_day(snapshot: HandoffSnapshot) -> date | None:
    """The earliest day a cadence call says the incoming CSM leads from, else the
    handoff's target date."""
    days = [day for _, values in _records(snapshot, "cadence")
            if isinstance(day := values.get("takeover_date"), date)]
    return min(days) if days else snapshot.target_date


def _leads(values: dict[str, Any], snapshot: HandoffSnapshot) -> str:
    incoming, outgoing = _text(snapshot.incoming), _text(snapshot.outgoing)
    takeover = values.get("takeover_date")
    if isinstance(takeover, date):
        return f"{incoming} from {takeover.isoformat()}"
    return {"incoming": incoming, "outgoing": outgoing,
            "both": f"{outgoing} and {incoming} together"}.get(values.get("lead") or "", "")


def customer_view(snapshot: HandoffSnapshot, options: ExportOptions) -> CustomerView:
    """The customer's side of ``snapshot``: only fields not marked internal, no task."""
    as_of = options.as_of
    channels = tuple(
        Channel(_label("channel", "kind", v.get("kind")), _text(v.get("address")),
                _text(v.get("purpose")), bool(v.get("is_primary")))
        for _, v in _records(snapshot, "channel") if _text(v.get("address")))
    channels = tuple(sorted(channels, key=lambda c: not c.primary))  # the primary one first
    calls = tuple(
        Call(_text(v.get("name")), _label("cadence", "cadence", v.get("cadence")),
             _text(v.get("day_time")),
             tuple(t for item in v.get("attendees") or () if (t := _text(item))),
             _leads(v, snapshot))
        for _, v in _records(snapshot, "cadence") if _text(v.get("name")))
    commitments = tuple(
        Commitment(_text(v.get("promise")), _text(v.get("made_to")), _text(v.get("made_when")))
        for record, v in _records(snapshot, "promise")
        if _text(v.get("promise")) and record.values.get("status") != FULFILLED)
    dates = tuple(sorted(
        (KeyDay(_text(v.get("name")), day) for _, v in _records(snapshot, "key_date")
         if isinstance(day := v.get("day"), date) and (as_of is None or day >= as_of)
         and _text(v.get("name"))),
        key=lambda d: d.day))
    return CustomerView(
        account=_text(snapshot.account), outgoing=_text(snapshot.outgoing),
        incoming=_text(snapshot.incoming),
        outgoing_email=options.email_of(snapshot.outgoing),
        incoming_email=options.email_of(snapshot.incoming),
        takeover=takeover_day(snapshot), shadowing=snapshot.mode is Mode.SHADOWING,
        channels=channels, calls=calls, commitments=commitments, dates=dates, as_of=as_of)


# -- the letter ---------------------------------------------------------------------------


def takeover_sentence(view: CustomerView) -> str:
    """``From 2026-12-15, Marco takes over from Priya as your Customer Success Manager.``
    (``Since ...`` once the day has passed.) Plain text: the caller escapes it."""
    role = "as your Customer Success Manager"
    if view.takeover is None:
        return f"{view.incoming} is taking over from {view.outgoing} {role}."
    day = view.takeover.isoformat()
    if view.as_of is not None and view.takeover < view.as_of:
        return f"Since {day}, {view.incoming} has taken over from {view.outgoing} {role}."
    first = f"From {day}, {view.incoming} takes over from {view.outgoing} {role}."
    if view.shadowing:
        first += (f" Until then {view.outgoing} keeps leading our calls and {view.incoming} "
                  "joins them, so nothing is lost on the way.")
    return first


def _opening(view: CustomerView) -> list[str]:
    e = escape.inline
    return [f"Hello {e(view.account)} team,", e(takeover_sentence(view))]


def _channel(channel: Channel) -> str:
    e = escape.inline
    parts = [f"{e(channel.kind)}: {e(channel.address)}" if channel.kind else e(channel.address)]
    if channel.purpose:
        parts.append(e(channel.purpose))
    if channel.primary:
        parts.append("the one to use first")
    return "- " + " · ".join(parts)


def _call(call: Call) -> str:
    e = escape.inline
    when = ", ".join(e(part) for part in (call.cadence, call.day_time) if part)
    text = f"- **{e(call.name)}**" + (f": {when}" if when else "")
    if call.leads:
        text += f"; led by {e(call.leads)}"
    if call.attendees:
        text += f"; with {', '.join(e(a) for a in call.attendees)}"
    return text


def _commitment(item: Commitment) -> str:
    e = escape.inline
    context = ", ".join(e(part) for part in (
        f"agreed with {item.made_to}" if item.made_to else "", item.made_when) if part)
    return f"- {e(item.promise)}" + (f" ({context})" if context else "")


def render_customer_markdown(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """A letter the CSM can paste into an email to the customer."""
    from transfer_tui.export.markdown import as_of_line

    view = customer_view(snapshot, options)
    e = escape.inline
    blocks = [f"# {e(view.account, heading=True)}: your new Customer Success Manager"]
    if stamp := as_of_line(options, ""):
        blocks.append(stamp)
    blocks += _opening(view)
    reach = [f"## How to reach {e(view.incoming, heading=True)}"]
    if view.incoming_email:
        reach.append(f"E-mail: {e(view.incoming_email)}")
    if view.channels:
        reach.append("The channels you use with us stay the same:\n\n"
                     + "\n".join(_channel(c) for c in view.channels))
    blocks.append("\n\n".join(reach))
    if view.calls:
        blocks.append("## Our regular calls\n\n" + "\n".join(_call(c) for c in view.calls))
    if view.commitments:
        blocks.append("## What we committed to\n\n"
                      + "\n".join(_commitment(c) for c in view.commitments)
                      + f"\n\n{e(view.incoming)} sees each of these through with you.")
    if view.dates:
        blocks.append("## Dates ahead\n\n" + "\n".join(
            f"- {d.day.isoformat()}: {e(d.name)}" for d in view.dates))
    blocks.append(f"Kind regards,\\\n{e(view.outgoing)} and {e(view.incoming)}")
    return "\n\n".join(blocks) + "\n"


def customer_json(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    view = customer_view(snapshot, options)

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "schema_version": CUSTOMER_SCHEMA_VERSION,
        "audience": "customer",
        "as_of": day(view.as_of),
        "account": view.account,
        "outgoing": {"name": view.outgoing, "email": view.outgoing_email},
        "incoming": {"name": view.incoming, "email": view.incoming_email},
        "takeover_date": day(view.takeover),
        "transition": "shadowing" if view.shadowing else "direct",
        "channels": [{"kind": c.kind, "address": c.address, "purpose": c.purpose,
                      "primary": c.primary} for c in view.channels],
        "calls": [{"name": c.name, "cadence": c.cadence, "day_time": c.day_time,
                   "attendees": list(c.attendees), "leads": c.leads} for c in view.calls],
        "commitments": [{"promise": c.promise, "made_to": c.made_to, "made_when": c.made_when}
                        for c in view.commitments],
        "dates_ahead": [{"name": d.name, "day": d.day.isoformat()} for d in view.dates],
    }


