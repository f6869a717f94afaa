"""``transfer-tui report``: the Team view's figures and one line per handoff, as Markdown,
CSV or JSON.

CSV is written for spreadsheets to open as is: UTF-8 **with** a byte-order mark (Excel
reads a file without one in the machine's legacy code page, garbling every accent; other
spreadsheets and Python's ``utf-8-sig`` skip the mark), CRLF line ends, and two tables in
one sheet (the people, an empty row, then the handoffs), each under its own header row.
A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with an apostrophe, so a spreadsheet shows it as text instead of running it as a
formula (CSV injection); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from transfer_tui.domain import HandoffState
from transfer_tui.export.escape import cell as md_cell

if TYPE_CHECKING:  # the figures come in ready-made: rendering needs no store
    from transfer_tui.store.team import CsmFigures, HandoffLine, TeamFigures

FORMATS = ("md", "csv", "json")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

PEOPLE_COLUMNS = ("CSM", "Incoming (open)", "Outgoing (open)", "Late handoffs",
                  "Overdue tasks", "Awaiting their acceptance", "Longest wait (days)",
                  "Renewals in transition", "Open promises they own")
HANDOFF_COLUMNS = ("Account", "Outgoing", "Incoming", "State", "Done", "Total", "Progress %",
                   "Target", "Late by (days)", "Renewal", "Awaiting since", "Id")


def neutral(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: text that would start a formula gets a
    leading apostrophe; numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _since(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else ""


def _state(line: HandoffLine) -> str:
    try:
        label = HandoffState(line.state).label
    except ValueError:
        label = line.state
    return f"{label}, late" if line.late_days else label


def _percent(line: HandoffLine) -> int:
    return 100 if line.total <= 0 else round(100 * line.done / line.total)


def person_cells(person: CsmFigures, today: date) -> tuple:
    wait = person.longest_wait(today)
    return (person.name, person.incoming, person.outgoing, person.late, person.overdue_tasks,
            person.awaiting, "" if wait is None else wait, person.renewals, person.promises)


def handoff_cells(line: HandoffLine) -> tuple:
    return (line.account, line.outgoing, line.incoming, _state(line), line.done, line.total,
            _percent(line), _day(line.target), line.late_days or "", _day(line.renewal),
            _since(line.awaiting_since), line.id)


def _totals(figures: TeamFigures) -> list[tuple[str, int]]:
    return [("Handoffs", figures.handoffs), ("Open (not accepted)", figures.open),
            ("Late", figures.late), ("Awaiting acceptance", figures.awaiting),
            ("Renewals inside an open transition", figures.renewals)]


def render_csv(figures: TeamFigures, lines: list[HandoffLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PEOPLE_COLUMNS)
    for person in figures.people:
        writer.writerow([neutral(v) for v in person_cells(person, figures.as_of)])
    writer.writerow([])
    writer.writerow(HANDOFF_COLUMNS)
    for line in lines:
        writer.writerow([neutral(v) for v in handoff_cells(line)])
    return BOM + out.getvalue()


def render_json(figures: TeamFigures, lines: list[HandoffLine]) -> str:
    today = figures.as_of
    document = {
        "as_of": today.isoformat(),
        "totals": {"handoffs": figures.handoffs, "open": figures.open, "late": figures.late,
                   "awaiting_acceptance": figures.awaiting,
                   "renewals_in_transition": figures.renewals},
        "people": [{
            "name": p.name, "incoming_open": p.incoming, "outgoing_open": p.outgoing,
            "late": p.late, "overdue_tasks": p.overdue_tasks, "awaiting": p.awaiting,
            "longest_wait_days": p.longest_wait(today),
            "waiting_since": p.waiting_since.isoformat() if p.waiting_since else None,
            "renewals_in_transition": p.renewals, "promises_open": p.promises,
        } for p in figures.people],
        "weeks": [{"week": w.week.isoformat(), "handoffs": w.handoffs, "late": w.late}
                  for w in figures.weeks],
        "undated_open": figures.undated,
        "handoffs": [{
            "id": line.id, "account": line.account, "outgoing": line.outgoing,
            "incoming": line.incoming, "state": line.state, "late": bool(line.late_days),
            "done": line.done, "total": line.total, "target_date": line.target and _day(
                line.target), "late_days": line.late_days,
            "renewal": line.renewal and _day(line.renewal),
            "awaiting_since": (line.awaiting_since.isoformat() if line.awaiting_since
                               else None),
        } for line in lines],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _md_table(columns: tuple[str, ...], rows: list[tuple]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        out.append("| " + " | ".join(md_cell(str(v)) if isinstance(v, str) else str(v)
                                     for v in row) + " |")
    return out


def render_markdown(figures: TeamFigures, lines: list[HandoffLine]) -> str:
    today = figures.as_of
    out = [f"# Handoffs: the team as of {today.isoformat()}", ""]
    out += [f"- {label}: {value:,}" for label, value in _totals(figures)]
    out += ["", "## People", ""]
    if figures.people:
        out += _md_table(PEOPLE_COLUMNS, [person_cells(p, today) for p in figures.people])
    else:
        out.append("No open handoffs.")
    out += ["", "## By week of target date (open handoffs)", ""]
    if figures.weeks:
        out += _md_table(("Week of", "Handoffs", "Late"),
                         [(w.week.isoformat(), w.handoffs, w.late) for w in figures.weeks])
    if figures.undated:
        out += ["", f"{figures.undated:,} open handoffs have no target date."]
    out += ["", "## Handoffs", ""]
    if lines:
        out += _md_table(HANDOFF_COLUMNS[:-1], [handoff_cells(line)[:-1] for line in lines])
    else:
        out.append("No handoffs yet.")
    return "\n".join(out) + "\n"


RENDERERS = {"md": render_markdown, "csv": render_csv, "json": render_json}
