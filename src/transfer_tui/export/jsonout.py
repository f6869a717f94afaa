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
from transfer_tui.domain import Owner, Turn
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot, TaskSnapshot
from transfer_tui.records import KINDS, FieldSpec, FieldType, Record
from transfer_tui.records.record import attention_reason

SCHEMA_VERSION = 4  # 2: progress counts promises; records and their attention entries
# 3: readiness; handoff.account_id; stakeholders' email, phone, sponsor, primary_contact,
#    style, introduced_on
# 4: records holds fifteen kinds, no longer ten (product, opportunity, feature_request,
#    environment, document), in a new order: a script that walked the ten must look again
# 4: handoff.outgoing_label, handoff.incoming_label, handoff.account_history

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
        "outgoing_label": clean(snapshot.outgoing_label),
        "incoming_label": clean(snapshot.incoming_label),
        "target_date": _day(snapshot.target_date),
        "mode": snapshot.mode.value,
        "playbook": {"id": snapshot.playbook_id, "name": clean(snapshot.playbook_name),
                     "version": snapshot.playbook_version},
        "created_at": _time(snapshot.created_at),
        "created_by": clean(snapshot.created_by),
        "updated_at": _time(snapshot.updated_at),
        "updated_by": clean(snapshot.updated_by),
        "renewal_date": _day(snapshot.renewal_date),
        "sign_off": _sign_off(snapshot),
        "account_id": clean(snapshot.account_id) or None,
        "account_history": [_turn(turn) for turn in snapshot.account_history],
    }}


def _turn(turn: Turn) -> dict[str, Any]:
    return {"handoff_id": turn.handoff_id, "outgoing": clean(turn.outgoing),
            "incoming": clean(turn.incoming), "started_at": _time(turn.started),
            "state": turn.state.value, "handed_over_at": _time(turn.handed_over_at),
            "accepted_at": _time(turn.accepted_at),
            "accepted_by": clean(turn.accepted_by) if turn.accepted_by else None,
            "current": turn.current}


def readiness(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    """The playbook's rules for the next sign-off step: ``null`` when it declares none."""
    ready = snapshot.readiness
    return {"readiness": None if ready is None else {
        "met": ready.met, "total": ready.total, "ready": ready.ready,
        "unmet": [clean(line) for line in ready.unmet]}}


def _sign_off(snapshot: HandoffSnapshot) -> dict[str, Any]:
    step = snapshot.sign_off
    return {
        "state": step.state,
        "handed_over_at": _time(step.handed_over_at) if step.handed_over_at else None,
        "handed_over_by": clean(step.handed_over_by) if step.handed_over_by else None,
        "accepted_at": _time(step.accepted_at) if step.accepted_at else None,
        "accepted_by": clean(step.accepted_by) if step.accepted_by else None,
        "rejected_at": _time(step.rejected_at) if step.rejected_at else None,
        "rejected_by": clean(step.rejected_by) if step.rejected_by else None,
        "rejection_reason": clean(step.rejection_reason) if step.rejection_reason else None,
    }


def progress(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    """Tasks and promises together, as on the screens; each part on its own too."""
    return {"progress": {"done": snapshot.done, "total": snapshot.total,
                         "open": snapshot.open, "blocked": snapshot.blocked,
                         "percent": snapshot.percent,
                         "tasks": {"done": snapshot.tasks_done, "total": snapshot.tasks_total},
                         "promises": {"fulfilled": snapshot.promises_fulfilled,
                                      "total": len(snapshot.promises),
                                      "open": snapshot.promises_open}}}


def needs_attention(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = [
        {"task_id": entry.task.id, "reason": entry.reason,
         "due_date": _day(entry.task.due_date)}
        for entry in snapshot.attention(options.as_of)
    ]
    records: list[dict[str, Any]] = [
        {"record_id": record.id, "kind": record.kind_key, "reason": code}
        for record, code, _ in snapshot.record_attention()
    ]
    found = snapshot.renewal(options.as_of)
    if options.as_of is not None and found is not None and found.outreach_due and snapshot.open:
        records.append({"record_id": None, "kind": "renewal", "reason": "renewal_outreach",
                        "due_date": _day(found.outreach)})
    return {"needs_attention": tasks + records}


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


def _value(spec: FieldSpec, value: Any) -> Any:
    """A record value for scripts: dates as text, money in currency units, text cleaned."""
    if value is None:
        return None
    if spec.type is FieldType.DATE:
        return _day(value)
    if spec.type is FieldType.MONEY:
        return value // 100 if value % 100 == 0 else value / 100
    if spec.type is FieldType.LIST:
        return [clean(item) for item in value]
    if isinstance(value, str):
        return clean(value)
    return value


def _record(record: Record, started: datetime) -> dict[str, Any]:
    kind = record.kind
    why = attention_reason(record)
    return {
        "id": record.id,
        "title": clean(record.full_title),
        "fields": {spec.name: _value(spec, record.values.get(spec.name))
                   for spec in kind.fields},
        "attention": why[0] if why else None,
        "verified_since_start": not record.unverified(started),
        "verified_at": _time(_aware(record.verified_at)),
        "verified_by": clean(record.verified_by) if record.verified_by else None,
        "created_at": _time(_aware(record.created_at)),
        "created_by": clean(record.created_by),
        "changed_at": _time(_aware(record.changed_at)),
        "changed_by": clean(record.changed_by),
        "version": record.version,
    }


def _aware(stamp: datetime | None) -> datetime | None:
    if stamp is None:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def records(snapshot: HandoffSnapshot, options: ExportOptions) -> dict[str, Any]:
    """Every record kind as an array, in the app's order (empty arrays included)."""
    return {"records": {
        kind.key: [_record(r, snapshot.created_at) for r in snapshot.records.get(kind.key, ())]
        for kind in KINDS
    }}


def _row_or_text(field: str, text: str | None) -> Any:
    """A created or deleted row as the object it was; any other value as its text."""
    if text is not None and field in ("created", "deleted"):
        try:
            row = json.loads(text)
        except (ValueError, RecursionError):  # nested beyond reason: not ours
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


JSON_PARTS: tuple[JsonPart, ...] = (about, handoff, progress, readiness, needs_attention, records,
                                    sections, whats_left, history)


def to_json(snapshot: HandoffSnapshot, options: ExportOptions | None = None) -> dict[str, Any]:
    options = options or ExportOptions()
    data: dict[str, Any] = {}
    for part in JSON_PARTS:
        data.update(part(snapshot, options))
    return data


def render_json(snapshot: HandoffSnapshot, options: ExportOptions | None = None) -> str:
    """Indented, UTF-8 as is (no \\u escapes for letters), ending with a newline. The
    team's object is :func:`to_json`; a manager's and the customer's are their own,
    smaller objects, each with ``audience`` and its own ``schema_version``."""
    options = options or ExportOptions()
    if options.audience == "manager":
        from transfer_tui.export.manager import manager_json

        data = manager_json(snapshot, options)
    elif options.audience == "customer":
        from transfer_tui.export.customer import customer_json

        data = customer_json(snapshot, options)
    else:
        data = to_json(snapshot, options)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
