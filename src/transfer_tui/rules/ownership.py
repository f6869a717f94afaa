"""What changes hands on acceptance: the open work the outgoing CSM owned.

Pure: the store applies :func:`moves_on_accept` in the acceptance's own change,
so the history shows each move and undo takes them back with the acceptance; the
accept confirmation lists the same moves before anyone presses yes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transfer_tui.domain import same_person
from transfer_tui.records.record import Record

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
        return f"{noun} {self.title!r}: {self.old} → {self.new}"


def moves_on_accept(records: Mapping[str, Sequence[Record]], outgoing: str,
                    incoming: str) -> list[Move]:
    """Every open promise, risk and opportunity the outgoing CSM owns, to pass to the
    incoming CSM."""
    moves = []
    for key, (field, state, open_states) in OWNED_KINDS.items():
        for record in records.get(key, ()):
            owner = str(record.values.get(field) or "")
            if not same_person(owner, outgoing):
                continue
            if open_states and record.values.get(state) not in open_states:
                continue
            moves.append(Move(key, record.id, record.version, field, record.title, owner,
                              incoming))
    return moves
