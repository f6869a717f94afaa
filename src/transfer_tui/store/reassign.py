"""A different incoming CSM, before acceptance: one handoff, or many at once (a realignment).

Only the handoff's ``incoming`` name changes. Tasks are owned by a side (outgoing,
incoming, both), never by a name, so the incoming side's tasks follow the new person by
themselves. The change is one event on the handoff (field ``incoming``, old -> new), so
history shows it and ``undo`` takes it back. Many at once are one transaction: all or
nothing, each handoff checked again inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from transfer_tui.cleantext import one_line
from transfer_tui.domain import HandoffState
from transfer_tui.store.errors import ConflictError, NotFoundError, ValidationError
from transfer_tui.store.validate import clean_name, same_person

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.store.database import Database
    from transfer_tui.store.handoffs import Handoffs
    from transfer_tui.store.models import Handoff


@dataclass(frozen=True)
class Reassignment:
    """Move one handoff to a new incoming CSM; ``line`` is where a CSV asked for it."""

    handoff_id: str
    incoming: str
    line: int | None = None


def why_not_reassign(account: str, outgoing: str, incoming: str, state: str,
                     new_incoming: str) -> str | None:
    """Why this handoff cannot go to ``new_incoming`` (a clean name), or None when it can
    (also when it already goes to them: nothing to do). The CLI checks every CSV row
    with it before anything is written; the store checks again inside the write."""
    if state == HandoffState.ACCEPTED.value:
        return (f"{one_line(incoming, 40)} already accepted {one_line(account, 40)}: the "
                "incoming CSM can change only before acceptance")
    if same_person(new_incoming, outgoing):
        return (f"{one_line(new_incoming, 40)} hands {one_line(account, 40)} over: the "
                "incoming CSM must be someone else")
    return None


def clean_incoming(name: str) -> str:
    """The new incoming CSM's name, checked as the new-handoff form checks it."""
    return clean_name(name, "incoming", "The new incoming CSM")


class Reassign:
    """A different incoming CSM, for one handoff or many; changes go through Handoffs."""

    def __init__(self, db: Database, handoffs: Handoffs) -> None:
        self.db = db
        self.handoffs = handoffs

    def one(self, handoff_id: str, incoming: str, *,
            expected_version: int | None = None) -> tuple[Handoff, str]:
        """Give the handoff to ``incoming``; returns it and who had it before (the same
        name when it already went to them: nothing changed, nothing logged)."""
        name = clean_incoming(incoming)
        with self.db.writing() as session:
            handoff = _checked(session, handoff_id, name, expected_version)
            before = handoff.incoming
            if not same_person(before, name):
                self.handoffs.set_fields(session, handoff, self.db.now(), incoming=name)
        return handoff, before

    def many(self, moves: list[Reassignment]) -> list[tuple[str, str]]:
        """Every move in one transaction, or none (ValidationError naming the CSV line of
        the first move that no longer holds). Returns (handoff id, previous incoming) for
        each handoff that changed; one already with its new CSM is left as it is."""
        changed: list[tuple[str, str]] = []
        with self.db.writing() as session:
            now = self.db.now()
            for move in moves:
                name = clean_incoming(move.incoming)
                try:
                    handoff = _checked(session, move.handoff_id, name, None)
                except (NotFoundError, ValidationError) as exc:
                    where = f"line {move.line}: " if move.line is not None else ""
                    raise ValidationError("incoming", f"{where}{exc}") from None
                if not same_person(handoff.incoming, name):
                    changed.append((handoff.id, handoff.incoming))
                    self.handoffs.set_fields(session, handoff, now, incoming=name)
        return changed


def _checked(session: Session, handoff_id: str, name: str,
             expected_version: int | None) -> Handoff:
    """The handoff, read inside the write, and the move still allowed."""
    from transfer_tui.store.models import Handoff

    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise NotFoundError(f"no handoff with id {handoff_id}")
    if expected_version is not None and handoff.version != expected_version:
        raise ConflictError("handoff", handoff.id, "incoming", handoff.incoming,
                            handoff.updated_by, handoff.updated_at)
    refusal = why_not_reassign(handoff.account, handoff.outgoing, handoff.incoming,
                               handoff.state, name)
    if refusal:
        raise ValidationError("incoming", refusal)
    return handoff
