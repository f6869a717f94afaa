"""The records of a handoff in the Markdown summary: the Account context section, and the
record lines of "Needs attention".

Each kind is a heading and a list, one item per record: its title in bold, then
every filled field as ``Label: value``, then who verified it; a multi-line field
(notes, a comment, a mitigation) follows inside the item with its lines kept.
Every value goes through :mod:`.escape`; labels and choice words are ours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from transfer_tui.export import escape
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot
from transfer_tui.records import KINDS, FieldType, Record
from transfer_tui.records.record import attention, renewal
from transfer_tui.timefmt import days_until

_INDENT = "  "


def _utc(stamp: datetime) -> str:
    return f"{stamp.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _aware(stamp: datetime) -> datetime:
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def verification(record: Record, started: datetime) -> str:
    """``verified by Dana Whitfield on 2026-11-20 09:30 UTC`` or why it is not."""
    if record.verified_at is None:
        return "**not verified** since the handoff started"
    when = _utc(_aware(record.verified_at))
    who = escape.inline(record.verified_by or "someone")
    if record.unverified(started):
        return f"**not verified** since the handoff started (last by {who} on {when})"
    return f"verified by {who} on {when}"


def _renewal(record: Record, as_of: date | None) -> str:
    found = renewal(record, as_of or date.min)
    if found is None:
        return ""
    text = f"renewal outreach from {found.outreach.isoformat()}"
    if as_of is not None and not found.passed:
        text = f"renews {days_until(found.day, as_of)}, {text}"
        if found.outreach_due:
            text += " (**due now**)"
    return text


def record_item(record: Record, started: datetime, as_of: date | None = None) -> str:
    """One record as a list item; a multi-line field stays inside it."""
    kind = record.kind
    values = record.values
    folded = {name for spec in kind.fields if spec.type is FieldType.MONEY
              and not spec.is_empty(values.get(spec.name))
              for name in (spec.currency_field, spec.basis_field) if name}
    facts = [f"**{escape.inline(record.full_title)}**"]
    if why := attention(record):
        facts.append(f"**{why}**")
    long: list[tuple[str, str]] = []
    for spec in kind.fields:
        value: Any = values.get(spec.name)  # a record's values are as typed: Any
        if spec.name in folded or spec.name == kind.title_field or spec.is_empty(value):
            continue
        if spec.type is FieldType.LONG_TEXT:
            long.append((spec.label, value))
        elif spec.type is FieldType.LIST:
            facts.append(f"{spec.label}: " + "; ".join(escape.inline(item) for item in value))
        elif spec.type is not FieldType.BOOL or value:
            facts.append(f"{spec.label}: {escape.inline(record.full_text(spec.name))}")
    if kind.key == "license" and (line := _renewal(record, as_of)):
        facts.append(line)
    facts.append(verification(record, started))
    item = "- " + " · ".join(facts)
    for label, text in long:
        body = escape.lines(text)
        if body:
            body[0] = f"{label}: {body[0]}"
            item += "\\\n" + "\n".join(_INDENT + line if line else "" for line in body)
    return item


def account_context(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """Every record kind that holds records, in the app's order, with what was recorded and
    who checked it; the empty kinds named in one line."""
    out = ["## Account context"]
    if not snapshot.all_records:
        titles = [kind.title.lower() for kind in KINDS]
        out.append(f"Nothing recorded yet: no {_listed(titles, 'or')}.")
        return "\n\n".join(out)
    unverified = len(snapshot.unverified())
    if unverified:
        out.append(f"{unverified} of {len(snapshot.all_records)} records are **not verified** "
                   "since the handoff started: they are still only their author's word"
                   + (" (some were carried over from the account's earlier handoff)."
                      if snapshot.handed_off_before else "."))
    empty = [kind.title.lower() for kind in KINDS if not snapshot.records.get(kind.key)]
    if empty:
        out.append(f"Not recorded yet: {_listed(empty)}.")
    for kind in KINDS:
        records = snapshot.records.get(kind.key, ())
        if records:
            out.append(f"### {kind.title} ({len(records)})")
            out.append("\n".join(record_item(r, snapshot.created_at, options.as_of)
                                 for r in records))
    return "\n\n".join(out)


def _listed(words: list[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``or``)."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def attention_items(snapshot: HandoffSnapshot, options: ExportOptions) -> list[str]:
    """The record lines of "Needs attention": open promises, unhandled high risks, tickets
    the incoming CSM does not see, objectives in trouble; and, given a day, a renewal whose
    outreach should have started."""
    items = []
    for record, _, why in snapshot.record_attention():
        kind = record.kind
        facts = [f"{kind.field(name).header.lower()}: {escape.inline(record.full_text(name))}"
                 for name in kind.columns if name != kind.title_field
                 and kind.field(name).type is not FieldType.BOOL and record.text(name)]
        tail = f" ({' · '.join(facts)})" if facts else ""
        items.append(f"- **{why[0].upper()}{why[1:]}:** {escape.inline(record.full_title)}"
                     f"{tail}")
    found = snapshot.renewal(options.as_of)
    if (options.as_of is not None and found is not None and found.outreach_due
            and snapshot.open):
        items.append(f"- **Renewal outreach due:** the renewal is on {found.day.isoformat()} "
                     f"({days_until(found.day, options.as_of)}); outreach started "
                     f"{found.outreach.isoformat()}")
    return items
