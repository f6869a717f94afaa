"""Records on a handoff: list, add, change, delete and verify, each one transaction.

One generic set of methods serves every record kind: the kind's declaration
(:mod:`transfer_tui.records.kinds`) says which fields there are and how they
are checked; :mod:`.record_models` says where they live.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from transfer_tui.dates import read_day
from transfer_tui.records.fields import FieldSpec, FieldType
from transfer_tui.records.kinds import KINDS, RecordKind, get_kind
from transfer_tui.records.record import Record
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.errors import ConflictError, NotFoundError, ValidationError
from transfer_tui.store.record_values import clean_record, from_column, to_column
from transfer_tui.store.row_rules import problems_in, refuse_unreadable
from transfer_tui.timefmt import aware

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.store.database import Database
    from transfer_tui.store.record_models import RecordRow


def _kind(key: str) -> RecordKind:
    try:
        return get_kind(key)
    except KeyError as exc:
        raise ValidationError("kind", str(exc.args[0])) from None


def _record(kind: RecordKind, row: RecordRow) -> Record:
    return Record(
        kind_key=kind.key,
        id=row.id,
        handoff_id=row.handoff_id,
        values={spec.name: from_column(spec, getattr(row, spec.name)) for spec in kind.fields},
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
        verified_at=row.verified_at,
        verified_by=row.verified_by,
    )


def _sorted(kind: RecordKind, records: list[Record]) -> list[Record]:
    """The kind's order: by its sort field (blank ones last), then as they were added."""
    records = sorted(records, key=lambda r: (r.created_at, r.id))
    if kind.sort_field is None:
        return records
    dated = [r for r in records if r.values.get(kind.sort_field) is not None]
    blank = [r for r in records if r.values.get(kind.sort_field) is None]
    dated.sort(key=lambda r: r.values[kind.sort_field], reverse=kind.newest_first)
    return dated + blank


def read_records(raw: sqlite3.Connection, handoff_id: str,
                 kinds: list[RecordKind] | None = None) -> dict[str, list[Record]]:
    """A handoff's records of each kind, in the kind's order, inside an open transaction.

    Plain SQL, one indexed query per kind: opening a checklist reads all ten kinds
    for its header, and objects from the ORM cost several times more.
    """
    found: dict[str, list[Record]] = {}
    for kind in kinds or KINDS:
        cursor = raw.execute(f"SELECT * FROM {rows.quote(kind.key)} WHERE handoff_id = ?",
                             (handoff_id,))
        names = [d[0] for d in cursor.description]
        stored = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        refuse_unreadable("the database", [p for row in stored
                                           for p in problems_in(kind.key, row, strict=False)])
        found[kind.key] = _sorted(kind, [_stored_record(kind, row) for row in stored])
    return found


def _stored_record(kind: RecordKind, row: rows.Row) -> Record:
    """A record from its row as SQLite keeps it, with the values the models would read:
    dates as dates, times as aware UTC."""
    values = {}
    for spec in kind.fields:
        value = row[spec.name]
        if spec.type is FieldType.DATE:
            value = read_day(value)
        values[spec.name] = from_column(spec, value)
    verified = row["verified_at"]
    return Record(
        kind_key=kind.key,
        id=row["id"],
        handoff_id=row["handoff_id"],
        values=values,
        version=row["version"],
        created_at=rows.read_time(row["created_at"]),
        created_by=row["created_by"],
        changed_at=rows.read_time(row["changed_at"]),
        changed_by=row["changed_by"],
        verified_at=rows.read_time(verified) if verified else None,
        verified_by=row["verified_by"],
    )


def _row_json(session: Session, table: str, row_id: str) -> str:
    """The whole row as SQLite keeps it, so history, undo and merge can rebuild it."""
    stored = rows.fetch(driver(session), table, row_id)
    return rows.to_json(stored or {"id": row_id})


def _event_value(spec: FieldSpec, value: Any) -> str | None:
    """A value as an event holds it: the text of what the column stores."""
    column = to_column(spec, value)
    if isinstance(column, bool):
        return "1" if column else "0"
    return rows.as_text(column)


class RecordsMixin:
    """Record reads and writes; mixed into :class:`transfer_tui.store.Store`."""

    def records(self: Database, handoff_id: str, kind: str) -> list[Record]:
        """One kind's records on a handoff, in the kind's order."""
        return self.handoff_records(handoff_id, kinds=(kind,))[kind]

    def handoff_records(self: Database, handoff_id: str,
                        kinds: tuple[str, ...] | None = None) -> dict[str, list[Record]]:
        """Every kind's records on a handoff (one consistent read), keyed by kind."""
        wanted = [_kind(key) for key in kinds] if kinds else list(KINDS)
        with self.reading_plain() as raw:
            return read_records(raw, handoff_id, wanted)

    def get_record(self: Database, kind: str, record_id: str) -> Record:
        from transfer_tui.store.record_models import MODELS

        spec = _kind(kind)
        with self.reading() as session:
            row = session.get(MODELS[spec.key], record_id)
            if row is None:
                raise NotFoundError(f"no {spec.noun} with id {record_id}: was it deleted?")
            return _record(spec, row)

    def add_record(self: Database, handoff_id: str, kind: str, values: dict[str, Any], *,
                   record_id: str | None = None) -> Record:
        """Check every field, then save the record; it starts unverified."""
        from transfer_tui.store.models import Handoff, new_id
        from transfer_tui.store.record_models import MODELS

        spec = _kind(kind)
        clean = clean_record(spec, values)
        with self.writing() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}: was it deleted?")
            now = self.now()
            row = MODELS[spec.key](
                id=record_id or new_id(), handoff_id=handoff_id, created_at=now,
                created_by=self.user, changed_at=now, changed_by=self.user,
                **{f.name: to_column(f, clean[f.name]) for f in spec.fields},
            )
            session.add(row)
            session.flush()
            self._log(session, handoff_id, spec.key, row.id, "created", None,
                      _row_json(session, spec.key, row.id), now)
            self._touch(handoff, now)
            if spec.key == "license":
                self._renewal_follows_license(session, handoff, None, now)
            if spec.key == "promise":
                session.flush()
                self._reopen_for_open_promise(session, handoff_id, now)
            session.flush()
            return _record(spec, row)

    def update_record(self: Database, kind: str, record_id: str, changes: dict[str, Any], *,
                      expected_version: int | None = None) -> Record:
        """Apply the changes (checked with the rest of the record) and log each changed field.

        Editing does not verify: ``verify_record`` does. With ``expected_version``, a
        record someone else changed meanwhile is not overwritten (ConflictError).
        """
        spec = _kind(kind)
        unknown = [name for name in changes if name not in spec.names]
        if unknown:
            raise ValidationError(unknown[0], f"a {spec.noun} has no field {unknown[0]!r}")
        with self.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       next(iter(changes), spec.title_field))
            current = _record(spec, row).values
            clean = clean_record(spec, {**current, **changes})
            now = self.now()
            changed = False
            for field in spec.fields:
                old, new = current[field.name], clean[field.name]
                if old == new:
                    continue
                setattr(row, field.name, to_column(field, new))
                self._log(session, row.handoff_id, spec.key, row.id, field.name,
                          _event_value(field, old), _event_value(field, new), now)
                changed = True
            if changed:
                row.version += 1
                row.changed_at, row.changed_by = now, self.user
                self._touch_id(session, row.handoff_id, now)
            if spec.key == "license" and current.get("renewal_date") != clean.get("renewal_date"):
                from transfer_tui.store.models import Handoff

                handoff = session.get(Handoff, row.handoff_id)
                if handoff is not None:
                    self._renewal_follows_license(session, handoff,
                                                  current.get("renewal_date"), now)
            if spec.key == "promise" and changed:
                session.flush()
                self._reopen_for_open_promise(session, row.handoff_id, now)
            session.flush()
            return _record(spec, row)

    def _incoming_label(self: Database, session: Any, handoff_id: str) -> str:
        """Who should verify instead, as the handoff's playbook calls the receiving side."""
        from transfer_tui.store.labels import in_sentence, side_labels

        found = rows.fetch(driver(session), rows.HANDOFF, handoff_id)
        if not found:
            return "the incoming CSM"
        return f"{found['incoming']}, the {in_sentence(side_labels(found)[1])}"

    def verify_record(self: Database, kind: str, record_id: str, *,
                      expected_version: int | None = None) -> Record:
        """Say the record is right as it stands: who verified it and when. Refused to
        whoever added or last changed it: verified means checked by someone else."""
        from transfer_tui.rules import why_not_verify

        spec = _kind(kind)
        with self.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       spec.title_field)
            refusal = why_not_verify(self.user, _record(spec, row),
                                     self._incoming_label(session, row.handoff_id))
            if refusal:
                raise ValidationError("verified_by", refusal)
            now = self.now()
            for field, new in (("verified_at", now), ("verified_by", self.user)):
                self._log(session, row.handoff_id, spec.key, row.id, field,
                          rows.as_text(getattr(row, field)), rows.as_text(new), now)
            row.verified_at, row.verified_by = now, self.user
            row.version += 1
            self._touch_id(session, row.handoff_id, now)
            session.flush()
            return _record(spec, row)

    def delete_record(self: Database, kind: str, record_id: str, *,
                      expected_version: int | None = None) -> None:
        """Remove a record; the event log keeps the whole row."""
        spec = _kind(kind)
        with self.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       spec.title_field)
            now = self.now()
            self._log(session, row.handoff_id, spec.key, row.id, "deleted",
                      _row_json(session, spec.key, row.id), None, now)
            self._touch_id(session, row.handoff_id, now)
            session.delete(row)

    # -- helpers ----------------------------------------------------------------------------

    def _renewal_follows_license(self: Database, session: Session, handoff: Any,
                                 old: Any, now: datetime) -> None:
        """The licenses' next renewal becomes the handoff's, so ``renewal-90d`` tasks follow,
        unless someone set the handoff's own renewal date to something no license says.

        With several licenses the earliest renewal still ahead wins; when all have passed,
        the latest one does.
        """
        from sqlmodel import select

        from transfer_tui.store.record_models import MODELS

        model = MODELS["license"]
        dates = session.exec(select(model.renewal_date).where(
            model.handoff_id == handoff.id, model.renewal_date.is_not(None))).all()
        dates = [value for value in dates if isinstance(value, date)]
        if handoff.renewal_date is not None and handoff.renewal_date not in {*dates, old}:
            return
        if not dates:
            return
        ahead = [value for value in dates if value >= now.date()]
        chosen = min(ahead) if ahead else max(dates)
        if chosen != handoff.renewal_date:
            self._set(session, handoff, now, renewal_date=chosen)
            self._follow_rules(session, handoff)

    def _row_for_change(self: Database, session: Session, spec: RecordKind, record_id: str,
                        expected_version: int | None, field: str) -> RecordRow:
        from transfer_tui.store.record_models import MODELS

        row = session.get(MODELS[spec.key], record_id)
        if row is None:
            raise NotFoundError(f"no {spec.noun} with id {record_id}: was it deleted?")
        if expected_version is not None and row.version != expected_version:
            by, at = row.changed_by, row.changed_at
            if row.verified_at is not None and aware(row.verified_at) > aware(row.changed_at):
                by, at = row.verified_by or by, row.verified_at
            shown = _record(spec, row).text(field) or "(blank)"
            raise ConflictError(spec.noun, row.id, spec.field(field).label.lower(), shown, by,
                                at)
        return row

    def _touch_id(self: Database, session: Session, handoff_id: str, now: datetime) -> None:
        from transfer_tui.store.models import Handoff

        handoff = session.get(Handoff, handoff_id)
        if handoff is not None:
            self._touch(handoff, now)

    def _touch(self: Database, handoff: Any, now: datetime) -> None:
        handoff.updated_at = now
        handoff.updated_by = self.user
