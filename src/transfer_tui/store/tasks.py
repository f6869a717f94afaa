"""Changing one task: status, owner, note, due date; each change checked and logged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from transfer_tui.dates import read_day
from transfer_tui.domain import Owner, Status
from transfer_tui.limits import MAX_NOTE
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.errors import ConflictError, NotFoundError, ValidationError
from transfer_tui.store.validate import UNSET, Unset, parse_date

if TYPE_CHECKING:
    from transfer_tui.store.database import Database
    from transfer_tui.store.history import History
    from transfer_tui.store.models import Task
    from transfer_tui.store.signoff import SignOff




class Tasks:
    """One task at a time: read it, change it (the status key's hot path, in plain SQL).
    Logs through History; a change that reopens the work goes through SignOff."""

    def __init__(self, db: Database, history: History, signoff: SignOff) -> None:
        self.db = db
        self.history = history
        self.signoff = signoff

    def get(self, task_id: str) -> Task:
        from transfer_tui.store.models import Task

        with self.db.reading() as session:
            task = session.get(Task, task_id)
        if task is None:
            raise NotFoundError(f"no task with id {task_id}: was its handoff deleted?")
        return task

    def update(
        self,
        task_id: str,
        *,
        expected_version: int | None = None,
        seen: Mapping[str, object] | None = None,
        status: Status | str | Unset = UNSET,
        owner: Owner | str | Unset = UNSET,
        note: str | Unset = UNSET,
        due_date: date | str | Unset | None = UNSET,
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
        changes: dict[str, object] = {}
        if not isinstance(status, Unset):
            try:
                changes["status"] = Status.parse(str(status)).value
            except ValueError:
                raise ValidationError("status", f"unknown status {status!r}") from None
        if not isinstance(owner, Unset):
            try:
                changes["owner"] = Owner(str(owner)).value
            except ValueError:
                raise ValidationError("owner", f"unknown owner {owner!r}") from None
        if not isinstance(note, Unset):
            text = str(note)
            if len(text) > MAX_NOTE:
                raise ValidationError("note", f"the note is too long (at most {MAX_NOTE:,} "
                                      "characters)")
            changes["note"] = text
        if not isinstance(due_date, Unset):
            parsed = parse_date(due_date, "due_date", "Due date")
            changes["due_date"] = parsed

        with self.db.writing() as session:  # plain SQL inside: the status key's hot path
            raw = driver(session)
            task = rows.fetch(raw, "task", task_id)
            if task is None:
                raise NotFoundError(f"no task with id {task_id}: was its handoff deleted?")
            if expected_version is not None and task["version"] != expected_version:
                field = _conflicting_field(task, changes, seen)
            else:
                field = None
            if field is not None:
                raise ConflictError("task", task_id, field, _show(field, task[field]),
                                    task["changed_by"], rows.read_time(task["changed_at"]),
                                    mine=_show(field, changes.get(field)),
                                    version=task["version"])
            now = self.db.now()
            handoff_id = task["handoff_id"]
            sets: dict[str, object] = {}
            for field, value in changes.items():
                old, new = task[field], _store_text(value)
                if old == new:
                    continue
                sets[field] = new
                self.history.log(session, handoff_id, "task", task_id, field, old, new, now)
            if sets and "due_date" in changes and task["due_rule"]:
                # a date set by hand stops following the target or renewal date
                self.history.log(session, handoff_id, "task", task_id, "due_rule", task["due_rule"],
                                 None, now)
                sets["due_rule"] = None
            if sets:
                sets.update(version=task["version"] + 1, changed_at=rows.sql_time(now),
                            changed_by=self.db.user)
                rows.update(raw, "task", task_id, sets)
                task.update(sets)
                state = raw.execute(
                    "UPDATE handoff SET updated_at = ?, updated_by = ? WHERE id = ? "
                    "RETURNING state", (rows.sql_time(now), self.db.user, handoff_id)).fetchall()
                if state:
                    self.signoff.reopen_after_task_change(session, handoff_id, state[0][0], now)
        return _task(task)


def _conflicting_field(task: rows.Row, changes: dict, seen: Mapping[str, object] | None
                       ) -> str | None:
    """The first changed field someone else changed too; without ``seen``, any field."""
    if seen is None:
        return next(iter(changes), "status")
    for field in changes:
        if field not in seen or _store_text(seen[field]) != _store_text(task[field]):
            return field
    return None


def _task(row: rows.Row) -> Task:
    """The task as saved, without another query: the row with the models' types (built
    without validation: the values come from the database as it was just written)."""
    from transfer_tui.store.models import Task

    due = row["due_date"]
    return Task.model_construct(**{**row, "due_date": read_day(due),
                                   "changed_at": rows.read_time(row["changed_at"])})


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
