"""Records on a handoff: list, add, change, delete and verify, each one transaction.

One generic set of methods serves every record kind: the kind's declaration
(:mod:`transfer_tui.records.kinds`) says which fields there are and how they
are checked; :mod:`.record_models` says where they live.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from transfer_tui.dates import read_day
from transfer_tui.records.fields import FieldSpec, FieldType
from transfer_tui.records.kinds import KINDS, RecordKind, get_kind
from transfer_tui.records.record import Record
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.engines.raw import Raw
from transfer_tui.store.errors import ConflictError, NotFoundError, ValidationError
from transfer_tui.store.record_values import clean_record, from_column, to_column
from transfer_tui.store.row_rules import problems_in, refuse_unreadable
from transfer_tui.timefmt import aware

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.store.database import Database
    from transfer_tui.store.handoffs import Handoffs
    from transfer_tui.store.history import History
    from transfer_tui.store.record_models import RecordRow
    from transfer_tui.store.schedule import Schedule
    from transfer_tui.store.signoff import SignOff


def _kind(key: str) -> RecordKind:
    try:
        return get_kind(key)
    except KeyError as exc:
        raise ValidationError("kind", str(exc.args[0])) from None


def _record(kind: RecordKind, row: RecordRow) -> Record:
    """A record from its model object (a write's session): read as its row is."""
    from transfer_tui.store.record_models import BOOKKEEPING

    return _stored_record(kind, {name: getattr(row, name)
                                 for name in (*BOOKKEEPING, *kind.names)})


def _sorted(kind: RecordKind, records: list[Record]) -> list[Record]:
    """The kind's order: by its sort field (blank ones last), then as they were added."""
    records = sorted(records, key=lambda r: (r.created_at, r.id))
    field = kind.sort_field
    if field is None:
        return records
    dated = [r for r in records if r.values.get(field) is not None]
    blank = [r for r in records if r.values.get(field) is None]
    dated.sort(key=lambda r: r.values[field], reverse=kind.newest_first)
    return dated + blank


def read_records(raw: Raw, handoff_id: str,
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
    """A record from its row, as plain SQL reads it (ISO text) or as the models do (dates
    and times): dates as dates, times as aware UTC. The one reader of a record's row."""
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
        created_at=_time(row["created_at"]),
        created_by=row["created_by"],
        changed_at=_time(row["changed_at"]),
        changed_by=row["changed_by"],
        verified_at=_time(verified) if verified else None,
        verified_by=row["verified_by"],
    )


def _time(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else rows.read_time(value)


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


class Records:
    """Records on a handoff, every kind through the same methods. A record change touches
    its handoff (Handoffs), a license's renewal moves the handoff's renewal date and the due
    dates that follow it (Schedule), and a promise open again reopens a signed-off handoff
    (SignOff); every change is logged (History)."""

    def __init__(self, db: Database, handoffs: Handoffs, history: History,
                 schedule: Schedule, signoff: SignOff) -> None:
        self.db = db
        self.handoffs = handoffs
        self.history = history
        self.schedule = schedule
        self.signoff = signoff

    def of_kind(self, handoff_id: str, kind: str) -> list[Record]:
        """One kind's records on a handoff, in the kind's order."""
        return self.of_handoff(handoff_id, kinds=(kind,))[kind]

    def of_handoff(self, handoff_id: str,
                   kinds: tuple[str, ...] | None = None) -> dict[str, list[Record]]:
        """Every kind's records on a handoff (one consistent read), keyed by kind."""
        wanted = [_kind(key) for key in kinds] if kinds else list(KINDS)
        with self.db.reading_plain() as raw:
            return read_records(raw, handoff_id, wanted)

    def get(self, kind: str, record_id: str) -> Record:
        from transfer_tui.store.record_models import MODELS

        spec = _kind(kind)
        with self.db.reading() as session:
            row = session.get(MODELS[spec.key], record_id)
            if row is None:
                raise NotFoundError(f"no {spec.noun} with id {record_id}: was it deleted?")
            return _record(spec, row)

    def add(self, handoff_id: str, kind: str, values: dict[str, Any], *,
            record_id: str | None = None) -> Record:
        """Check every field, then save the record; it starts unverified."""
        from transfer_tui.store.models import Handoff, new_id
        from transfer_tui.store.record_models import MODELS

        spec = _kind(kind)
        clean = clean_record(spec, values)
        with self.db.writing() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}: was it deleted?")
            now = self.db.now()
            row = MODELS[spec.key](
                id=record_id or new_id(), handoff_id=handoff_id, created_at=now,
                created_by=self.db.user, changed_at=now, changed_by=self.db.user,
                **{f.name: to_column(f, clean[f.name]) for f in spec.fields},
            )
            session.add(row)
            session.flush()
            self.history.log(session, handoff_id, spec.key, row.id, "created", None,
                             _row_json(session, spec.key, row.id), now)
            self.handoffs.touch(handoff, now)
            if spec.key == "license":
                self._renewal_follows_license(session, handoff, None, now)
            if spec.key == "promise":
                session.flush()
                self.signoff.reopen_for_open_promise(session, handoff_id, now)
            session.flush()
            return _record(spec, row)

    def update(self, kind: str, record_id: str, changes: dict[str, Any], *,
               expected_version: int | None = None) -> Record:
        """Apply the changes (checked with the rest of the record) and log each changed field.

        Editing does not verify: ``verify_record`` does. With ``expected_version``, a
        record someone else changed meanwhile is not overwritten (ConflictError).
        """
        spec = _kind(kind)
        unknown = [name for name in changes if name not in spec.names]
        if unknown:
            raise ValidationError(unknown[0], f"a {spec.noun} has no field {unknown[0]!r}")
        with self.db.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       next(iter(changes), spec.title_field))
            current = _record(spec, row).values
            clean = clean_record(spec, {**current, **changes})
            now = self.db.now()
            changed = False
            for field in spec.fields:
                old, new = current[field.name], clean[field.name]
                if old == new:
                    continue
                setattr(row, field.name, to_column(field, new))
                self.history.log(session, row.handoff_id, spec.key, row.id, field.name,
                                 _event_value(field, old), _event_value(field, new), now)
                changed = True
            if changed:
                row.version += 1
                row.changed_at, row.changed_by = now, self.db.user
                self.handoffs.touch_id(session, row.handoff_id, now)
            if spec.key == "license" and current.get("renewal_date") != clean.get("renewal_date"):
                from transfer_tui.store.models import Handoff

                handoff = session.get(Handoff, row.handoff_id)
                if handoff is not None:
                    self._renewal_follows_license(session, handoff,
                                                  current.get("renewal_date"), now)
            if spec.key == "promise" and changed:
                session.flush()
                self.signoff.reopen_for_open_promise(session, row.handoff_id, now)
            session.flush()
            return _record(spec, row)

    def _incoming_label(self, session: Any, handoff_id: str) -> str:
        """Who should verify instead, as the handoff's playbook calls the receiving side."""
        from transfer_tui.store.labels import in_sentence, side_labels

        found = rows.fetch(driver(session), rows.HANDOFF, handoff_id)
        if not found:
            return "the incoming CSM"
        return f"{found['incoming']}, the {in_sentence(side_labels(found)[1])}"

    def verify(self, kind: str, record_id: str, *,
               expected_version: int | None = None) -> Record:
        """Say the record is right as it stands: who verified it and when. Refused to
        whoever added or last changed it: verified means checked by someone else."""
        from transfer_tui.rules import why_not_verify

        spec = _kind(kind)
        with self.db.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       spec.title_field)
            refusal = why_not_verify(self.db.user, _record(spec, row),
                                     self._incoming_label(session, row.handoff_id))
            if refusal:
                raise ValidationError("verified_by", refusal)
            now = self.db.now()
            for field, new in (("verified_at", now), ("verified_by", self.db.user)):
                self.history.log(session, row.handoff_id, spec.key, row.id, field,
                                 rows.as_text(getattr(row, field)), rows.as_text(new), now)
            row.verified_at, row.verified_by = now, self.db.user
            row.version += 1
            self.handoffs.touch_id(session, row.handoff_id, now)
            session.flush()
            return _record(spec, row)

    def delete(self, kind: str, record_id: str, *,
               expected_version: int | None = None) -> None:
        """Remove a record; the event log keeps the whole row."""
        spec = _kind(kind)
        with self.db.writing() as session:
            row = self._row_for_change(session, spec, record_id, expected_version,
                                       spec.title_field)
            now = self.db.now()
            self.history.log(session, row.handoff_id, spec.key, row.id, "deleted",
                             _row_json(session, spec.key, row.id), None, now)
            self.handoffs.touch_id(session, row.handoff_id, now)
            session.delete(row)

    # -- helpers ----------------------------------------------------------------------------

    def _renewal_follows_license(self, session: Session, handoff: Any,
                                 old: Any, now: datetime) -> None:
        """The licenses' next renewal becomes the handoff's, so ``renewal-90d`` tasks follow,
        unless someone set the handoff's own renewal date to something no license says.

        With several licenses the earliest renewal still ahead wins; when all have passed,
        the latest one does.
        """
        from sqlmodel import select

        from transfer_tui.store.record_models import License

        table = License.__table__  # type: ignore[attr-defined]  # a generated class
        found = session.exec(select(table.c.renewal_date).where(
            table.c.handoff_id == handoff.id, table.c.renewal_date.is_not(None))).all()
        dates = [value for value in found if isinstance(value, date)]
        if handoff.renewal_date is not None and handoff.renewal_date not in {*dates, old}:
            return
        if not dates:
            return
        ahead = [value for value in dates if value >= now.date()]
        chosen = min(ahead) if ahead else max(dates)
        if chosen != handoff.renewal_date:
            self.handoffs.set_fields(session, handoff, now, renewal_date=chosen)
            self.schedule.follow_rules(session, handoff)

    def _row_for_change(self, session: Session, spec: RecordKind, record_id: str,
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
