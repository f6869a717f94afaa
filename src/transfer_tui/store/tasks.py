"""Changing one task: status, owner, note, due date; each change checked and logged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from transfer_tui.domain import Owner, Status
from transfer_tui.store.errors import ConflictError, NotFoundError, ValidationError
from transfer_tui.store.handoffs import parse_date

if TYPE_CHECKING:
    from transfer_tui.store.database import Database
    from transfer_tui.store.models import Task

MAX_NOTE = 100_000
_UNSET = object()


class TasksMixin:
    """Task-level reads and writes; mixed into :class:`transfer_tui.store.Store`."""

    def get_task(self: Database, task_id: str) -> Task:
        from transfer_tui.store.models import Task

        with self.reading() as session:
            task = session.get(Task, task_id)
        if task is None:
            raise NotFoundError(f"no task with id {task_id}: was its handoff deleted?")
        return task

    def update_task(
        self: Database,
        task_id: str,
        *,
        expected_version: int | None = None,
        seen: Mapping[str, object] | None = None,
        status: Status | str | object = _UNSET,
        owner: Owner | str | object = _UNSET,
        note: str | object = _UNSET,
        due_date: date | str | object | None = _UNSET,
    ) -> Task:
        """Apply the given changes in one transaction and return the task as saved.

        With ``expected_version`` (the version the person was looking at), a task
        someone else changed in the meantime is not overwritten: ConflictError says
        what it is now and who changed it. With ``seen`` as well (the values of the
        changed fields as the person saw them), only a change to one of those same
        fields is a conflict: one person's note and another's status both stand. A
        change to an accepted handoff reopens it, in the same transaction (see
        :mod:`.signoff`).
        """
        from transfer_tui.store.models import Handoff, Task

        changes: dict[str, str | None] = {}
        if status is not _UNSET:
            try:
                changes["status"] = Status.parse(str(status)).value
            except ValueError:
                raise ValidationError("status", f"unknown status {status!r}") from None
        if owner is not _UNSET:
            try:
                changes["owner"] = Owner(str(owner)).value
            except ValueError:
                raise ValidationError("owner", f"unknown owner {owner!r}") from None
        if note is not _UNSET:
            text = str(note)
            if len(text) > MAX_NOTE:
                raise ValidationError("note", f"the note is too long (at most {MAX_NOTE:,} "
                                      "characters)")
            changes["note"] = text
        if due_date is not _UNSET:
            parsed = parse_date(due_date, "due_date", "Due date")  # type: ignore[arg-type]
            changes["due_date"] = parsed  # type: ignore[assignment]

        with self.writing() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise NotFoundError(f"no task with id {task_id}: was its handoff deleted?")
            if expected_version is not None and task.version != expected_version:
                field = _conflicting_field(task, changes, seen)
            else:
                field = None
            if field is not None:
                raise ConflictError("task", task.id, field, _show(field, getattr(task, field)),
                                    task.changed_by, task.changed_at,
                                    mine=_show(field, changes.get(field)), version=task.version)
            now = self.now()
            changed = False
            for field, value in changes.items():
                old = getattr(task, field)
                if old == value:
                    continue
                setattr(task, field, value)
                self._log(session, task.handoff_id, "task", task.id, field, _store_text(old),
                          _store_text(value), now)
                changed = True
            if changed and "due_date" in changes and task.due_rule:
                # a date set by hand stops following the target or renewal date
                self._log(session, task.handoff_id, "task", task.id, "due_rule", task.due_rule,
                          None, now)
                task.due_rule = None
            if changed:
                task.version += 1
                task.changed_at = now
                task.changed_by = self.user
                session.flush()
                handoff = session.get(Handoff, task.handoff_id)
                if handoff is not None:
                    handoff.updated_at = now
                    handoff.updated_by = self.user
                    self._reopen_after_task_change(session, handoff, now)
            session.flush()
            session.refresh(task)
        return task


def _conflicting_field(task: Task, changes: dict, seen: Mapping[str, object] | None
                       ) -> str | None:
    """The first changed field someone else changed too; without ``seen``, any field."""
    if seen is None:
        return next(iter(changes), "status")
    for field in changes:
        if field not in seen or _store_text(seen[field]) != _store_text(getattr(task, field)):
            return field
    return None


def _store_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _show(field: str, value: object) -> str:
    """A value as people read it: status labels, "(none)" for nothing."""
    if value is None:
        return "(none)"
    if field == "status" and isinstance(value, str):
        try:
            return Status(value).label
        except ValueError:
            return value
    return _store_text(value) or ""
