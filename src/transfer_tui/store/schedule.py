"""The handoff's dates: target and renewal. Due dates written as rules follow them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from transfer_tui.store.errors import ConflictError, NotFoundError
from transfer_tui.store.validate import parse_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.store.database import Database
    from transfer_tui.store.models import Handoff

_UNSET = object()


class ScheduleMixin:
    """Changing a handoff's target or renewal date; mixed into the Store."""

    def change_dates(
        self: Database,
        handoff_id: str,
        *,
        target_date: date | str | object | None = _UNSET,
        renewal_date: date | str | object | None = _UNSET,
        expected_version: int | None = None,
    ) -> tuple[Handoff, int]:
        """Set the dates given and move every due date that follows a rule, in one
        transaction; return the handoff and how many due dates moved. Due dates a
        person set by hand stay where they are."""
        from transfer_tui.store.models import Handoff

        changes: dict[str, date | None] = {}
        if target_date is not _UNSET:
            changes["target_date"] = parse_date(target_date, "target_date",  # type: ignore
                                                "Target date")
        if renewal_date is not _UNSET:
            changes["renewal_date"] = parse_date(renewal_date, "renewal_date",  # type: ignore
                                                 "Renewal date")
        with self.writing() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            if expected_version is not None and handoff.version != expected_version:
                field = next(iter(changes), "target_date")
                raise ConflictError("handoff", handoff.id, field,
                                    str(getattr(handoff, field) or "(none)"),
                                    handoff.updated_by, handoff.updated_at,
                                    version=handoff.version)
            now = self.now()
            self._set(session, handoff, now, **changes)
            moved = self._follow_rules(session, handoff)
        return handoff, moved

    def _follow_rules(self: Database, session: Session, handoff: Handoff) -> int:
        """Re-resolve every task's due-date rule against the handoff's anchors."""
        from transfer_tui.playbooks import RelativeDate

        anchors = handoff.anchors
        now = self.now()
        moved = 0
        for task in self._tasks_of(session, handoff.id):
            if not task.due_rule:
                continue
            try:
                due = RelativeDate.parse(task.due_rule).resolve(anchors)
            except ValueError:
                continue
            if due == task.due_date:
                continue
            self._log(session, handoff.id, "task", task.id, "due_date",
                      task.due_date.isoformat() if task.due_date else None,
                      due.isoformat() if due else None, now)
            task.due_date = due
            task.version += 1
            task.changed_at = now
            task.changed_by = self.user
            moved += 1
        session.flush()
        return moved
