"""Many handoffs at once (a realignment): all in one transaction, none twice.

The rows arrive checked (see :mod:`transfer_tui.importer`); here they are
written together, so a failure leaves nothing half-imported. An account that
is already in an open (not yet accepted) handoff to the same incoming person
is reported and skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transfer_tui.domain import HandoffState
from transfer_tui.store.handoffs import same_person

if TYPE_CHECKING:
    from transfer_tui.playbooks import Playbook
    from transfer_tui.store.database import Database
    from transfer_tui.store.models import Handoff


@dataclass(frozen=True)
class NewHandoff:
    """One checked row: clean field values (as check_new_handoff returns them) and a playbook."""

    line: int
    fields: dict
    playbook: Playbook | None = None


@dataclass
class BulkResult:
    created: list[Handoff] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class BulkMixin:
    """Create many handoffs in one transaction; mixed into :class:`transfer_tui.store.Store`."""

    def create_handoffs(self: Database, rows: list[NewHandoff]) -> BulkResult:
        from sqlmodel import select

        from transfer_tui.playbooks import DEFAULT_PLAYBOOK, get_builtin
        from transfer_tui.store.models import Handoff

        default = get_builtin(DEFAULT_PLAYBOOK)  # read once, not once per row
        result = BulkResult()
        with self.writing() as session:
            open_now = session.exec(
                select(Handoff).where(Handoff.state != HandoffState.ACCEPTED.value)
            ).all()
            taken = {(_key(h.account), _key(h.incoming)): h for h in open_now}
            for row in rows:
                account, incoming = row.fields["account"], row.fields["incoming"]
                existing = taken.get((_key(account), _key(incoming)))
                if existing is not None and same_person(existing.incoming, incoming):
                    result.skipped.append((row.line, (
                        f"{account} is already in an open handoff to {existing.incoming} "
                        f"(id {existing.short_id}, {existing.sign_off.label}): not added")))
                    continue
                handoff = self._insert_handoff(session, row.fields, row.playbook or default)
                taken[(_key(account), _key(incoming))] = handoff
                result.created.append(handoff)
        return result
