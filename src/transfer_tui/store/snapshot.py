"""A whole handoff read in one transaction, for the export.

The export's dataclasses are imported when a snapshot is taken, not when the
store is: opening the store stays as light as the home screen needs.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from transfer_tui.dates import read_day
from transfer_tui.domain import HandoffState, Mode, Owner, Status
from transfer_tui.store import rows
from transfer_tui.store.accounts import account_history
from transfer_tui.store.errors import NotFoundError
from transfer_tui.store.labels import side_labels
from transfer_tui.store.records import read_records
from transfer_tui.store.row_rules import problems_in, refuse_unreadable

if TYPE_CHECKING:
    from transfer_tui.export.snapshot import (
        ChangeSnapshot,
        HandoffSnapshot,
        Readiness,
        SignOff,
        TaskSnapshot,
    )
    from transfer_tui.store.database import Database


class SnapshotMixin:
    """Mixed into :class:`transfer_tui.store.Store`."""

    def snapshot(self: Database, handoff_id: str, *, history: bool = False
                 ) -> HandoffSnapshot:
        """Everything the export shows about one handoff, consistent with itself.

        New kinds of data (records, events) are read in the same session and
        passed to the snapshot as new fields. With ``history``, every event of
        the handoff too, oldest first.
        """
        with self.reading_plain() as raw:  # plain SQL: export --all reads 10,000 of them
            handoff = rows.fetch(raw, rows.HANDOFF, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            tasks = rows.rows_of(raw, "task", handoff_id)
            refuse_unreadable(self.where, [
                *problems_in(rows.HANDOFF, handoff, strict=False),
                *(problem for task in tasks
                  for problem in problems_in("task", task, strict=False))])
            changes = _history(raw, handoff_id) if history else ()
            records = read_records(raw, handoff_id)
            turns = tuple(account_history(raw, handoff_id))
        outgoing_label, incoming_label = side_labels(handoff)
        found = replace(_handoff(handoff, tasks, changes),
                        renewal_date=_day(handoff["renewal_date"]),
                        records={key: tuple(found) for key, found in records.items()},
                        sign_off=_sign_off(handoff), account_id=handoff["account_id"] or "",
                        outgoing_label=outgoing_label, incoming_label=incoming_label,
                        account_history=turns)
        return replace(found, readiness=_readiness(found, handoff, records,
                                                   self.now().astimezone().date()))


def _readiness(snapshot: HandoffSnapshot, handoff: rows.Row, records: dict,
               today: date) -> Readiness | None:
    """The playbook's rules for the next sign-off step, as the checklist header shows them."""
    from transfer_tui.export.snapshot import Readiness
    from transfer_tui.store.ready import readiness_of

    class _Handoff:  # what readiness_of reads of a handoff
        sign_off = HandoffState(handoff["state"])
        outgoing = handoff["outgoing"]
        created_at = snapshot.created_at
        ready_rules = handoff["ready_rules"]
        playbook_id = handoff["playbook_id"]

    found = readiness_of(_Handoff, records, today)
    if found is None:
        return None
    return Readiness(found.met, found.total, tuple(r.line for r in found.missing))


def _sign_off(handoff: rows.Row) -> SignOff:
    from transfer_tui.export.snapshot import SignOff

    def when(text: str | None) -> datetime | None:
        return None if not text else rows.read_time(text)

    return SignOff(
        state=handoff["state"],
        handed_over_at=when(handoff["handed_over_at"]), handed_over_by=handoff["handed_over_by"],
        accepted_at=when(handoff["accepted_at"]), accepted_by=handoff["accepted_by"],
        rejected_at=when(handoff["rejected_at"]), rejected_by=handoff["rejected_by"],
        rejection_reason=handoff["rejection_reason"],
    )


_day = read_day  # tolerant: a hand-edited date reads as none (check names it)


def _history(conn: sqlite3.Connection, handoff_id: str) -> tuple[ChangeSnapshot, ...]:
    from transfer_tui.export.snapshot import ChangeSnapshot
    from transfer_tui.store.history import read_entries

    return tuple(
        ChangeSnapshot(id=e.id, change_id=e.change_id, at=e.at, actor=e.actor, entity=e.entity,
                       entity_id=e.entity_id, subject=e.subject, field=e.field, old=e.old,
                       new=e.new, undo=e.undoes is not None)
        for e in read_entries(conn, "handoff_id = ?", (handoff_id,), newest_first=False))


def _handoff(handoff: rows.Row, tasks: list[rows.Row],
             changes: tuple[ChangeSnapshot, ...] = ()) -> HandoffSnapshot:
    from transfer_tui.export.snapshot import HandoffSnapshot, SectionSnapshot

    groups: dict[str, list[TaskSnapshot]] = {}
    titles: dict[str, str] = {}
    for task in tasks:
        groups.setdefault(task["section_key"], []).append(_task(task))
        titles.setdefault(task["section_key"], task["section_title"])
    return HandoffSnapshot(
        id=handoff["id"],
        account=handoff["account"],
        outgoing=handoff["outgoing"],
        incoming=handoff["incoming"],
        target_date=_day(handoff["target_date"]),
        mode=Mode(handoff["mode"]),
        playbook_id=handoff["playbook_id"],
        playbook_name=handoff["playbook_name"],
        playbook_version=handoff["playbook_version"],
        created_at=rows.read_time(handoff["created_at"]),
        created_by=handoff["created_by"],
        updated_at=rows.read_time(handoff["updated_at"]),
        updated_by=handoff["updated_by"],
        sections=tuple(SectionSnapshot(key, titles[key], tuple(group))
                       for key, group in groups.items()),
        history=changes,
    )


def _roles(raci: str | None) -> dict:
    """RACI roles as the Task model reads them: {} for anything but a JSON object."""
    try:
        value = json.loads(raci or "{}")
    except (ValueError, RecursionError):  # nested beyond reason: not ours
        return {}
    return value if isinstance(value, dict) else {}


def _task(task: rows.Row) -> TaskSnapshot:
    from transfer_tui.export.snapshot import TaskSnapshot

    return TaskSnapshot(
        id=task["id"],
        key=task["key"],
        section_key=task["section_key"],
        title=task["title"],
        guidance=task["guidance"],
        status=Status(task["status"]),
        owner=Owner(task["owner"]),
        note=task["note"],
        due_date=_day(task["due_date"]),
        roles=tuple((letter, tuple(str(n) for n in names))
                    for letter, names in _roles(task["raci"]).items()
                    if isinstance(names, list)),
        changed_at=rows.read_time(task["changed_at"]),
        changed_by=task["changed_by"],
        version=task["version"],
    )
