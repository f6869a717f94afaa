"""One page for a manager: where the handoff stands, whether it is ready, what needs
someone, what is late, how far each section is, and the renewal.

Built from the same snapshot as the team's summary and cut short on purpose: the
attention list stops at :data:`ATTENTION_LIMIT` lines and says how many more the
team's summary holds. Readiness comes from the snapshot when the store fills it
(issue 13's rules); until then the page says no rules are checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from transfer_tui.cleantext import clean
from transfer_tui.domain import Owner, Status
from transfer_tui.export import escape
from transfer_tui.export.markdown import as_of_line, plural, readiness_line, sign_off_line
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot, TaskSnapshot
from transfer_tui.records.record import Renewal
from transfer_tui.timefmt import days_until

MANAGER_SCHEMA_VERSION = 1
ATTENTION_LIMIT = 6


@dataclass(frozen=True)
class Late:
    """The overdue tasks of one side (shared tasks count for both)."""

    person: str
    side: Owner
    tasks: tuple[TaskSnapshot, ...]

    @property
    def oldest(self) -> date | None:
        return min((t.due_date for t in self.tasks if t.due_date), default=None)


def late_by_side(snapshot: HandoffSnapshot, as_of: date | None) -> list[Late]:
    return [Late(snapshot.person(side), side,
                 tuple(t for t, _ in snapshot.left_for(side) if t.overdue(as_of)))
            for side in (Owner.OUTGOING, Owner.INCOMING)]


def overdue_tasks(snapshot: HandoffSnapshot, as_of: date | None) -> list[TaskSnapshot]:
    return [t for t in snapshot.tasks if t.overdue(as_of)]


def attention_lines(snapshot: HandoffSnapshot) -> list[tuple[str, str]]:
    """(what, detail) for each blocked task and each record someone must act on."""
    lines = [("Blocked", f"{t.title} ({s.title}), owner: "
              + ("both" if t.owner is Owner.BOTH else snapshot.person(t.owner)))
             for s in snapshot.sections for t in s.tasks if t.status is Status.BLOCKED]
    lines += [(words[0].upper() + words[1:], record.full_title)
              for record, _, words in snapshot.record_attention()]
    return lines


def _renewal_text(snapshot: HandoffSnapshot, found: Renewal | None,
                  as_of: date | None) -> str:
    if found is None:
        return "**Renewal:** no renewal date recorded."
    text = f"**Renewal:** {found.day.isoformat()}"
    if as_of is not None:
        text += f" ({days_until(found.day, as_of)})"
    text += f"; outreach from {found.outreach.isoformat()}"
    if as_of is not None and found.outreach_due:
        text += " (**due now**)"
    licenses = snapshot.records.get("license", ())
    if licenses:
        value = licenses[0].text("contract_value")
        text += f" · {escape.inline(licenses[0].title)}" + (f", {escape.inline(value)}"
                                                           if value else "")
    return text + "."


def render_manager_markdown(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    as_of = options.as_of
    e = escape.inline
    blocks = [f"# Handoff status: {e(snapshot.account, heading=True)}"]
    if stamp := as_of_line(options, "late means due before that day"):
        blocks.append(stamp)
    target = "no target date"
    if snapshot.target_date is not None:
        target = f"target date {snapshot.target_date.isoformat()}"
        if as_of is not None and snapshot.open:
            target += f" ({days_until(snapshot.target_date, as_of)})"
    blocks.append(f"{e(snapshot.outgoing)} ({e(snapshot.outgoing_label)}) → "
                  f"{e(snapshot.incoming)} ({e(snapshot.incoming_label)}) · {target} · "
                  f"{snapshot.done} of {snapshot.total} done "
                  f"({snapshot.percent}%)")
    blocks.append("\\\n".join((sign_off_line(snapshot), readiness_line(snapshot),
                               _renewal_text(snapshot, snapshot.renewal(as_of), as_of))))

    lines = attention_lines(snapshot)
    attention = ["## Needs attention"]
    if lines:
        attention.append("\n".join(f"- **{what}:** {e(detail)}"
                                   for what, detail in lines[:ATTENTION_LIMIT]))
        if len(lines) > ATTENTION_LIMIT:
            attention.append(f"And {len(lines) - ATTENTION_LIMIT} more: see the team's "
                             "summary (`export --audience team`).")
    else:
        attention.append("Nothing blocked, and no record needs anyone.")
    blocks.append("\n\n".join(attention))

    overdue = overdue_tasks(snapshot, as_of)
    late = ["## Late"]
    if as_of is None:
        late.append("Not measured: no day to measure against.")
    elif not overdue:
        late.append("Nothing is late.")
    else:
        oldest = min(t.due_date for t in overdue if t.due_date)
        late.append(f"{plural(len(overdue), 'open task')} overdue, the oldest "
                    f"{days_until(oldest, as_of)} (due {oldest.isoformat()}).")
        rows = ["| Who | Overdue | Oldest |", "| --- | ---: | --- |"]
        for side in late_by_side(snapshot, as_of):
            first = side.oldest
            rows.append(f"| {escape.cell(side.person)} "
                        f"({escape.cell(snapshot.label(side.side))}) | "
                        f"{len(side.tasks)} | "
                        f"{days_until(first, as_of) if first else '-'} |")
        late.append("\n".join(rows))
        if any(t.owner is Owner.BOTH for t in overdue):
            late.append("Tasks both sides own count for each.")
    blocks.append("\n\n".join(late))

    rows = ["| Section | Done | Open | Blocked | Overdue |", "| --- | ---: | ---: | ---: | ---: |"]
    for section in snapshot.sections:
        late_here = sum(1 for t in section.tasks if t.overdue(as_of))
        rows.append(f"| {escape.cell(section.title)} | {section.done}/{section.total} | "
                    f"{section.open} | {section.blocked} | {late_here} |")
    if snapshot.promises:
        rows.append(f"| Promises (fulfilled of made) | {snapshot.promises_fulfilled}/"
                    f"{len(snapshot.promises)} | {snapshot.promises_open} | 0 | 0 |")
    blocks.append("## Progress by section\n\n" + "\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def manager_json(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    as_of = options.as_of

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    found = snapshot.renewal(as_of)
    ready = snapshot.readiness
    step = snapshot.sign_off
    return {
        "schema_version": MANAGER_SCHEMA_VERSION,
        "audience": "manager",
        "as_of": day(as_of),
        "handoff": {"id": snapshot.id, "account": clean(snapshot.account),
                    "outgoing": clean(snapshot.outgoing), "incoming": clean(snapshot.incoming),
                    "target_date": day(snapshot.target_date), "state": step.state,
                    "handed_over_at": step.handed_over_at.astimezone(UTC).isoformat()
                    if step.handed_over_at else None},
        "progress": {"done": snapshot.done, "total": snapshot.total, "open": snapshot.open,
                     "blocked": snapshot.blocked, "percent": snapshot.percent},
        "readiness": None if ready is None else {
            "met": ready.met, "total": ready.total, "unmet": [clean(u) for u in ready.unmet]},
        "renewal": None if found is None else {
            "date": day(found.day), "outreach_from": day(found.outreach),
            "outreach_due": found.outreach_due if as_of else None},
        "needs_attention": [{"what": what, "detail": clean(detail)}
                            for what, detail in attention_lines(snapshot)],
        "late": None if as_of is None else [
            {"person": clean(side.person), "side": side.side.value,
             "overdue": len(side.tasks), "oldest_due": day(side.oldest)}
            for side in late_by_side(snapshot, as_of)],
        "sections": [{"title": clean(s.title), "done": s.done, "total": s.total,
                      "open": s.open, "blocked": s.blocked,
                      "overdue": sum(1 for t in s.tasks if t.overdue(as_of))}
                     for s in snapshot.sections],
    }


