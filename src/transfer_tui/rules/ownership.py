"""What changes hands on acceptance: the open work the outgoing CSM owned.

Pure: the store applies :func:`moves_on_accept` in the acceptance's own change,
so the history shows each move and undo takes them back with the acceptance; the
accept confirmation lists the same moves before anyone presses yes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transfer_tui.records.record import Record
from transfer_tui.rules.readiness import outgoing_owns

#: Kinds whose ``owner`` field names someone on our side, the field saying whether a
#: record is still open work, and its open values (a kept promise stays with whoever kept
#: it, a closed opportunity with whoever closed it; no values: every record is open).
OWNED_KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "promise": ("owner", "status", ("pending", "at_risk")),
    "risk": ("owner", "", ()),
    "opportunity": ("owner", "stage", ("identified", "qualified", "proposal", "negotiation")),
}


@dataclass(frozen=True)
class Move:
    kind_key: str
    record_id: str
    version: int
    field: str
    title: str
    old: str
    new: str

    @property
    def line(self) -> str:
        noun = "promise" if self.kind_key == "promise" else self.kind_key
        return f"{noun} {self.title!r}: {self.old or '(nobody)'} → {self.new}"


def moves_on_accept(records: Mapping[str, Sequence[Record]], outgoing: str,
                    incoming: str) -> list[Move]:
    """Every open promise, risk and opportunity the outgoing CSM owns (or nobody owns), to
    pass to the incoming CSM; one a third person owns stays theirs."""
    moves = []
    for key, (field, state, open_states) in OWNED_KINDS.items():
        for record in records.get(key, ()):
            owner = str(record.values.get(field) or "")
            if not outgoing_owns(owner, outgoing):
                continue
            if open_states and record.values.get(state) not in open_states:
                continue
            moves.append(Move(key, record.id, record.version, field, record.title, owner,
                              incoming))
    return moves


def closes_the_other_sides_task(task_owner: str, new_status: str, person_side: str) -> bool:
    """A task one side owns, done (or set n/a) by someone of the other side: the screen
    asks first, since it speaks for the other CSM (the history keeps who did it)."""
    closing = new_status in ("done", "na")
    return (closing and task_owner in ("outgoing", "incoming")
            and person_side in ("outgoing", "incoming") and task_owner != person_side)
