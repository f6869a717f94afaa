"""The handoff summary as one JSON object, for scripts and other tools.

The object mirrors the snapshot: :data:`JSON_PARTS` each add their keys, in
order, and the README documents every field. Bump :data:`SCHEMA_VERSION` when a
field changes meaning or goes away; adding a field does not need a bump.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from transfer_tui.cleantext import clean
from transfer_tui.domain import Owner
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot, TaskSnapshot

SCHEMA_VERSION = 1

JsonPart = Callable[[HandoffSnapshot, ExportOptions], dict[str, Any]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def about(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _time(options.generated_at),
        "generated_by": clean(options.generated_by) if options.generated_by else None,
        "as_of": _day(options.as_of),
    }


def handoff(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {"handoff": {
        "id": snapshot.id,
        "account": clean(snapshot.account),
        "outgoing": clean(snapshot.outgoing),
        "incoming": clean(snapshot.incoming),
        "target_date": _day(snapshot.target_date),
        "mode": snapshot.mode.value,
        "playbook": {"id": snapshot.playbook_id, "name": clean(snapshot.playbook_name),
                     "version": snapshot.playbook_version},
        "created_at": _time(snapshot.created_at),
        "created_by": clean(snapshot.created_by),
        "updated_at": _time(snapshot.updated_at),
        "updated_by": clean(snapshot.updated_by),
    }}


def progress(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {"progress": {"done": snapshot.done, "total": snapshot.total,
                         "open": snapshot.open, "blocked": snapshot.blocked,
                         "percent": snapshot.percent}}


def needs_attention(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {"needs_attention": [
        {"task_id": entry.task.id, "reason": entry.reason,
         "due_date": _day(entry.task.due_date)}
        for entry in snapshot.attention(options.as_of)
    ]}


def _task(task: TaskSnapshot, as_of: date | None) -> dict[str, Any]:
    return {
        "id": task.id,
        "key": task.key,
        "title": clean(task.title),
        "status": task.status.value,
        "owner": task.owner.value,
        "due_date": _day(task.due_date),
        "overdue": task.overdue(as_of) if as_of is not None else None,
        "note": clean(task.note),
        "guidance": clean(task.guidance),
        "raci": {letter: [clean(name) for name in names] for letter, names in task.roles},
        "changed_by": clean(task.changed_by),
        "changed_at": _time(task.changed_at),
        "version": task.version,
    }


def sections(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {"sections": [
        {"key": section.key, "title": clean(section.title), "done": section.done,
         "total": section.total, "open": section.open, "blocked": section.blocked,
         "tasks": [_task(task, options.as_of) for task in section.tasks]}
        for section in snapshot.sections
    ]}


def whats_left(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    return {"whats_left": {
        side.value: {"person": clean(snapshot.person(side)),
                     "task_ids": [task.id for task, _ in snapshot.left_for(side)]}
        for side in (Owner.OUTGOING, Owner.INCOMING)
    }}


def _row_or_text(field: str, text: str | None) -> Any:
    """A created or deleted row as the object it was; any other value as its text."""
    if text is not None and field in ("created", "deleted"):
        try:
            row = json.loads(text)
        except ValueError:
            row = None
        if isinstance(row, dict):
            return {key: clean(value) if isinstance(value, str) else value
                    for key, value in row.items()}
    return clean(text) if text is not None else None


def history(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    """With ``--history`` only, so an export without it stays the same bytes."""
    if not options.history:
        return {}
    return {"history": [
        {"id": c.id, "change_id": c.change_id, "at": _time(c.at), "by": clean(c.actor),
         "entity": c.entity, "entity_id": c.entity_id, "subject": clean(c.subject),
         "field": c.field, "old": _row_or_text(c.field, c.old),
         "new": _row_or_text(c.field, c.new), "undo": c.undo}
        for c in snapshot.history
    ]}


JSON_PARTS: tuple[JsonPart, ...] = (about, handoff, progress, needs_attention, sections,
                                    whats_left, history)


def to_json(snapshot: HandoffSnapshot, options: ExportOptions | None = None) -> dict[str, Any]:
    options = options or ExportOptions()
    data: dict[str, Any] = {}
    for part in JSON_PARTS:
        data.update(part(snapshot, options))
    return data


def render_json(snapshot: HandoffSnapshot, options: ExportOptions | None = None) -> str:
    """Indented, UTF-8 as is (no \\u escapes for letters), ending with a newline."""
    return json.dumps(to_json(snapshot, options), ensure_ascii=False, indent=2) + "\n"
