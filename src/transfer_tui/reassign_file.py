"""Read a reassignment CSV (which handoff, its new incoming CSM) into checked moves.

Validated like a form, row by row, before anything is written: a handoff named by an id
(or its start) or an account that matches none, or several, is named with its line and the
candidates; so is a bad name, the outgoing CSM named as incoming, a handoff already
accepted, or one handoff on two rows. Any bad row: nothing moves. No SQL here: the store
writes the moves in one transaction (:meth:`Store.reassign.many`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from transfer_tui.cleantext import one_line
from transfer_tui.importer import CsvLayout, RowProblem, csv_rows
from transfer_tui.store import HandoffSummary, Reassignment, ValidationError
from transfer_tui.store.reassign import clean_incoming, why_not_reassign

LAYOUT = CsvLayout(
    columns={"handoff": "handoff", "account": "handoff", "id": "handoff",
             "handoff id": "handoff", "to": "incoming", "incoming": "incoming",
             "new incoming": "incoming", "incoming csm": "incoming",
             "new incoming csm": "incoming"},
    required=("handoff", "incoming"),
    names={"handoff": "handoff", "incoming": "to"},
    expected="handoff (an account or a handoff id), to (the new incoming CSM)",
)
MAX_LISTED = 4


Finder = Callable[[str], list[HandoffSummary]]  # Store.handoffs.find: id, its start, account


def pick(find: Finder, ref: str) -> HandoffSummary | str:
    """The handoff ``ref`` names, or why not in words. An account with an old accepted
    handoff and one open one names the open one: only that one can be reassigned."""
    try:
        found = find(ref)
    except ValidationError as exc:
        return exc.message
    if len(found) > 1:
        still_open = [s for s in found if s.is_open]
        found = still_open if len(still_open) == 1 else found
    if len(found) == 1:
        return found[0]
    if not found:
        return f"no handoff matches {one_line(ref, 60)!r}"
    listed = ", ".join(f"{s.short_id} {one_line(s.account, 30)} ({one_line(s.outgoing, 20)} "
                       f"-> {one_line(s.incoming, 20)})" for s in found[:MAX_LISTED])
    more = f" and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
    return (f"{one_line(ref, 60)!r} matches {len(found)} handoffs: {listed}{more}; give the "
            "id (its first 8 characters will do)")


def check_move(summary: HandoffSummary, name: str) -> tuple[str, str | None]:
    """The clean new name and why the move cannot be made (None: it can)."""
    try:
        clean = clean_incoming(name)
    except ValidationError as exc:
        return name, exc.message
    return clean, why_not_reassign(summary.account, summary.outgoing, summary.incoming,
                                   summary.state, clean)


def read_reassignments(path: Path, find: Finder
                       ) -> tuple[list[Reassignment], list[RowProblem]]:
    """Every row as a move, or the problems of every bad row (then move nothing)."""
    name = str(path)
    moves: list[Reassignment] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, fields, cells in csv_rows(path, LAYOUT):
        if len(cells) > len(fields) and any(c.strip() for c in cells[len(fields):]):
            problems.append(RowProblem(name, line, f"{len(cells)} values but the header has "
                                       f"{len(fields)} columns"))
            continue
        raw = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields)}
        why = [f"{LAYOUT.names[f]} is empty" for f in LAYOUT.required if not raw.get(f)]
        if not why:
            found = pick(find, raw["handoff"])
            if isinstance(found, str):
                why.append(found)
            else:
                incoming, refusal = check_move(found, raw["incoming"])
                if refusal:
                    why.append(refusal)
                elif found.id in seen:
                    why.append(f"{one_line(found.account, 40)} ({found.short_id}) is already "
                               f"moved on line {seen[found.id]}")
                else:
                    seen[found.id] = line
                    moves.append(Reassignment(found.id, incoming, line))
        if why:
            problems.append(RowProblem(name, line, "; ".join(why)))
    return moves, problems
