"""One record as the screens and the export see it, and the rules read from it.

The store hands out :class:`Record` values (plain data, lists as lists), so
nothing above the store depends on how a row is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from transfer_tui.cleantext import one_line
from transfer_tui.dates import moved
from transfer_tui.records.fields import TEXTUAL, FieldType, format_value
from transfer_tui.records.kinds import RecordKind, get_kind
from transfer_tui.timefmt import aware

OUTREACH_DAYS = 90  # renewal outreach starts this many days before the renewal date
HEALTH_BY_COLOUR = {"green": 85, "yellow": 55, "red": 25}  # for the trend when no score


@dataclass(frozen=True)
class Record:
    kind_key: str
    id: str
    handoff_id: str
    values: dict[str, Any]
    version: int
    created_at: datetime
    created_by: str
    changed_at: datetime
    changed_by: str
    verified_at: datetime | None = None
    verified_by: str | None = None

    @property
    def kind(self) -> RecordKind:
        return get_kind(self.kind_key)

    @property
    def title(self) -> str:
        """The record's name on one line: its title field, or its noun when blank."""
        kind = self.kind
        text = format_value(kind.field(kind.title_field), self.values.get(kind.title_field))
        return text or f"({kind.noun})"

    def text(self, name: str) -> str:
        """One field as a person reads it, on one line (shortened with … if it had more)."""
        return format_value(self.kind.field(name), self.values.get(name), self.values)

    def full_text(self, name: str) -> str:
        """One field in full, for the export: text as typed, other values as :meth:`text`."""
        spec = self.kind.field(name)
        value = self.values.get(name)
        if spec.type in TEXTUAL and value:
            return str(value)
        return self.text(name)

    @property
    def full_title(self) -> str:
        return self.full_text(self.kind.title_field) or f"({self.kind.noun})"

    def unverified(self, handoff_started: datetime) -> bool:
        """Not verified since the handoff started: still only the outgoing CSM's word."""
        return self.verified_at is None or aware(self.verified_at) < aware(handoff_started)

    @property
    def changed_since_verified(self) -> bool:
        return self.verified_at is not None and aware(self.changed_at) > aware(
            self.verified_at)


def customer_values(record: Record) -> dict[str, Any]:
    """The values a customer may read: the kind's fields not marked ``internal``.

    The one door through which customer-facing output (the customer export, the
    intro email and invite) reads a record: internal fields and keys no field
    declares are left out, so a field marked internal can never leak by accident.
    """
    return {spec.name: record.values.get(spec.name) for spec in record.kind.customer_fields}


def attention_reason(record: Record) -> tuple[str, str] | None:
    """Why a record needs someone to act: a stable code (for scripts) and a few words."""
    v = record.values
    if record.kind_key == "promise" and v.get("status") == "at_risk":
        return "promise_at_risk", "promise at risk"
    if record.kind_key == "promise" and v.get("status") == "pending":
        return "promise_pending", "promise pending"
    if record.kind_key == "risk" and v.get("severity") == "high":
        no_plan = not str(v.get("mitigation") or "").strip()
        no_owner = not str(v.get("owner") or "").strip()
        if no_plan and no_owner:
            return "high_risk_unhandled", "high risk without a mitigation or an owner"
        if no_plan:
            return "high_risk_unmitigated", "high risk without a mitigation"
        if no_owner:
            return "high_risk_unowned", "high risk without an owner"
    if (record.kind_key == "ticket" and v.get("status") != "solved" and not v.get("cc")
            and v.get("severity") in ("critical", "high")):
        return "ticket_not_in_cc", "open ticket, incoming CSM not in CC"
    if record.kind_key == "objective" and v.get("status") in ("at_risk", "missed"):
        return f"objective_{v['status']}", "objective " + record.text("status")
    return None


def attention(record: Record) -> str:
    """Why a record needs someone to act, in a few words; '' when it does not."""
    found = attention_reason(record)
    return found[1] if found else ""


def needs_attention(records: list[Record]) -> list[tuple[Record, str]]:
    return [(r, why) for r in records if (why := attention(r))]


# -- license: renewal and its outreach ---------------------------------------------------


@dataclass(frozen=True)
class Renewal:
    """The renewal of one license, seen from ``today``."""

    day: date
    today: date

    @property
    def outreach(self) -> date:
        return moved(self.day, -OUTREACH_DAYS)

    @property
    def days_left(self) -> int:
        return (self.day - self.today).days

    @property
    def passed(self) -> bool:
        return self.day < self.today

    @property
    def outreach_due(self) -> bool:
        """Outreach should have started: its date has come and the renewal has not."""
        return self.outreach <= self.today and not self.passed


def renewal(record: Record, today: date) -> Renewal | None:
    day = record.values.get("renewal_date")
    return Renewal(day, today) if isinstance(day, date) else None


def next_renewal(licenses: list[Record], today: date) -> Renewal | None:
    """The soonest renewal still ahead, else the latest one passed."""
    found = [r for record in licenses if (r := renewal(record, today))]
    ahead = sorted((r for r in found if not r.passed), key=lambda r: r.day)
    if ahead:
        return ahead[0]
    return max(found, key=lambda r: r.day, default=None)


# -- health: the latest entry and its trend ----------------------------------------------


def health_value(record: Record) -> int | None:
    """A number for the trend: the score, else the colour's usual score."""
    score = record.values.get("score")
    if score is not None:
        return int(score)
    return HEALTH_BY_COLOUR.get(record.values.get("colour") or "")


def health_in_order(entries: list[Record]) -> list[Record]:
    """Oldest first, undated entries by when they were written."""
    return sorted(entries, key=lambda r: (r.values.get("day") or date.min, r.created_at))


def health_label(record: Record) -> str:
    """``72 · yellow``, ``red`` or ``72``."""
    parts = [record.text("score"), record.text("colour")]
    return " · ".join(p for p in parts if p) or "no score"


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int], width: int = 12, window: int = 30) -> str:
    """The last ``width`` scores as block characters, from their lowest to their highest.

    The scale spans at least ``window`` points, so a wobble of two points stays flat.
    """
    shown = values[-width:]
    if not shown:
        return ""
    high = max(shown)
    low = min(min(shown), high - window)
    steps = len(SPARKS) - 1
    return "".join(SPARKS[round((v - low) * steps / (high - low))] for v in shown)


def colour_of(record: Record) -> str:
    """green, yellow or red for the latest health entry (the score decides when no colour)."""
    colour = record.values.get("colour") or ""
    if colour:
        return colour
    score = record.values.get("score")
    if score is None:
        return ""
    return "green" if score >= 70 else ("yellow" if score >= 40 else "red")


def summary_line(record: Record, limit: int = 80) -> str:
    """The record on one line: its title and its other table columns that are filled."""
    kind = record.kind
    parts = [record.title]
    for name in kind.columns:
        spec = kind.field(name)
        if name == kind.title_field:
            continue
        if spec.type is FieldType.BOOL:
            if record.values.get(name):
                parts.append(spec.label.lower())
        elif text := record.text(name):
            labelled = spec.type in (FieldType.INT, FieldType.MONEY, FieldType.DATE)
            parts.append(f"{spec.header.lower()} {text}" if labelled else text)
    return one_line(" · ".join(parts), limit)
