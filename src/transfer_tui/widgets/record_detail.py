"""A record spelled out: every field, the renewal figures of a license, who verified it.

Rich renderables built from plain text only; used by the Context tab (the
highlighted record) and the Tasks tab (the records a section is about).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from transfer_tui.records import FieldType, Record, RecordKind, attention
from transfer_tui.records.record import renewal, summary_line
from transfer_tui.timefmt import ago, days_until
from transfer_tui.widgets.safe_text import block, one_line


def verification(record: Record, started: datetime, now: datetime) -> Text:
    """``✓ verified by Dana, 3 days ago`` or a warning that it is still unverified."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if record.verified_at is None:
        text.append("⚠ not verified yet", style="bold yellow")
        text.append(" · v marks it verified", style="dim")
        return text
    who = one_line(record.verified_by or "someone", 40)
    if record.unverified(started):
        text.append(f"⚠ last verified by {who}, {ago(record.verified_at, now)}, before the "
                    "handoff started", style="bold yellow")
        text.append(" · v verifies it again", style="dim")
        return text
    text.append(f"✓ verified by {who}, {ago(record.verified_at, now)}", style="green")
    if record.changed_since_verified:
        text.append(f" · changed since by {one_line(record.changed_by, 40)}", style="yellow")
    return text


def renewal_line(record: Record, today: date) -> Text | None:
    """For a license: days until renewal and the outreach date, loud when outreach is due."""
    found = renewal(record, today)
    if found is None:
        return None
    text = Text()
    if found.passed:
        text.append(f"Renewal was on {found.day.isoformat()} ({days_until(found.day, today)})",
                    style="dim")
        return text
    text.append(f"Renews {days_until(found.day, today)}")
    text.append(" · outreach from ")
    style = "bold yellow" if found.outreach_due else ""
    text.append(found.outreach.isoformat(), style=style)
    if found.outreach_due:
        text.append(" ⚠ due now", style="bold yellow")
    return text


def _facts(pairs: list[tuple[str, str]]) -> Table:
    """Short fields two to a row: ``Seats used  231    Billing  annual``."""
    grid = Table.grid(padding=(0, 2, 0, 0), expand=False)
    for _ in range(2):
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
    for index in range(0, len(pairs), 2):
        row = [cell for label, value in pairs[index:index + 2]
               for cell in (Text(label), plain_text(value))]
        grid.add_row(*row)
    return grid


def plain_text(value: str) -> Text:
    return Text(one_line(value))


def record_detail(record: Record, started: datetime, now: datetime, today: date) -> Group:
    kind: RecordKind = record.kind
    parts: list[RenderableType] = []
    head = Text()
    head.append(one_line(record.title, 80), style="bold")
    if why := attention(record):
        head.append(f"   ! {why}", style="bold red")
    parts.append(head)
    parts.append(verification(record, started, now))
    who = Text(f"added by {one_line(record.created_by, 40)}, {ago(record.created_at, now)}",
               style="dim")
    if record.changed_at != record.created_at:
        who.append(f" · last changed by {one_line(record.changed_by, 40)}, "
                   f"{ago(record.changed_at, now)}")
    parts.append(who)
    if kind.key == "license" and (line := renewal_line(record, today)):
        parts.append(line)
    folded = {name for spec in kind.fields if spec.type is FieldType.MONEY
              and not spec.is_empty(record.values.get(spec.name))
              for name in (spec.currency_field, spec.basis_field) if name}
    short: list[tuple[str, str]] = []
    long: list[Text] = []
    for spec in kind.fields:
        value: Any = record.values.get(spec.name)  # a record's values are as typed: Any
        if spec.name in folded or spec.name == kind.title_field or spec.is_empty(value):
            continue
        if spec.type in (FieldType.LONG_TEXT, FieldType.LIST):
            long.append(Text(f"{spec.label}:", style="bold"))
            body = "\n".join(f"• {item}" for item in value) if spec.type is FieldType.LIST \
                else value
            long.append(block(body))
        else:
            short.append((spec.label, record.text(spec.name)))
    if short:
        parts.append(_facts(short))
    parts.extend(long)
    return Group(*parts)


def record_peek(kind: RecordKind, records: list[Record], started: datetime, today: date,
                width: int = 80, limit: int = 6) -> Group:
    """The records a section is about, one line each, read-only."""
    if not records:
        return Group(Text(f"No {kind.title.lower()} recorded yet: {kind.about}", style="dim"))
    lines = []
    for record in records[:limit]:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("⚠ " if record.unverified(started) else "✓ ",
                    style="bold yellow" if record.unverified(started) else "green")
        line.append(summary_line(record, width), style="bold red" if attention(record) else "")
        lines.append(line)
        if kind.key == "license" and (extra := renewal_line(record, today)):
            lines.append(Text("  ") + extra)
    if len(records) > limit:
        lines.append(Text(f"… and {len(records) - limit} more", style="dim"))
    return Group(*lines)
