"""Handoffs: create one from a playbook, read it back as a checklist, find it, delete it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from transfer_tui.domain import Mode, Side, Status, side_of
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.errors import NotFoundError, ValidationError
from transfer_tui.store.summary import SUMMARY_SQL, HandoffSummary

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.playbooks import Playbook
    from transfer_tui.store.database import Database
    from transfer_tui.store.models import Handoff, Task

MAX_NAME = 200


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    tasks: tuple[Task, ...]

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.state is Status.DONE)

    @property
    def total(self) -> int:
        return sum(1 for t in self.tasks if t.state is not Status.NA)

    @property
    def blocked(self) -> int:
        return sum(1 for t in self.tasks if t.state is Status.BLOCKED)


@dataclass(frozen=True)
class Checklist:
    """A handoff with its tasks, grouped into sections in playbook order."""

    handoff: Handoff
    tasks: tuple[Task, ...]

    @property
    def sections(self) -> list[SectionView]:
        groups: dict[str, list[Task]] = {}
        titles: dict[str, str] = {}
        for task in self.tasks:
            groups.setdefault(task.section_key, []).append(task)
            titles.setdefault(task.section_key, task.section_title)
        return [SectionView(key, titles[key], tuple(tasks)) for key, tasks in groups.items()]

    def side(self, person: str) -> Side:
        return side_of(person, self.handoff.outgoing, self.handoff.incoming)


def clean_name(value: str, field: str, label: str) -> str:
    """Names and accounts are one line: refuse empty, multi-line or overlong ones."""
    text = value.strip()
    if not text:
        raise ValidationError(field, f"{label} is required")
    if any(ch in text for ch in "\r\n"):
        raise ValidationError(field, f"{label} must fit on one line")
    if len(text) > MAX_NAME:
        raise ValidationError(field, f"{label} is too long (at most {MAX_NAME} characters)")
    return text


def parse_date(value: str | date | None, field: str, label: str) -> date | None:
    """ISO dates (YYYY-MM-DD) only: the one format no one reads two ways."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            field, f"{label} {text!r} is not a date: write YYYY-MM-DD, e.g. 2026-12-31"
        ) from None


def check_new_handoff(
    account: str,
    outgoing: str,
    incoming: str,
    target_date: str | date | None = None,
    mode: str | Mode = Mode.DIRECT,
) -> tuple[dict, dict[str, str]]:
    """Every problem with a new handoff's fields at once, keyed by field, plus the clean values."""
    values: dict = {}
    errors: dict[str, str] = {}
    for field, label, raw in (
        ("account", "Account", account),
        ("outgoing", "Outgoing CSM", outgoing),
        ("incoming", "Incoming CSM", incoming),
    ):
        try:
            values[field] = clean_name(raw, field, label)
        except ValidationError as exc:
            errors[field] = exc.message
    if "outgoing" in values and "incoming" in values and (
        " ".join(values["outgoing"].split()).casefold()
        == " ".join(values["incoming"].split()).casefold()
    ):
        errors["incoming"] = "Incoming and outgoing must be different people"
    try:
        values["target_date"] = parse_date(target_date, "target_date", "Target date")
    except ValidationError as exc:
        errors["target_date"] = exc.message
    try:
        values["mode"] = Mode(mode).value
    except ValueError:
        errors["mode"] = f"Transition mode must be direct or shadowing, not {mode!r}"
    return values, errors


class HandoffsMixin:
    """Handoff-level reads and writes; mixed into :class:`transfer_tui.store.Store`."""

    def summaries(self: Database) -> list[HandoffSummary]:
        return [HandoffSummary.from_row(row) for row in self.query(SUMMARY_SQL)]

    def find_handoffs(self: Database, ref: str) -> list[HandoffSummary]:
        """By id (or a unique prefix of at least 4 characters) or by account name."""
        ref = ref.strip()
        if not ref:
            return []
        everyone = [HandoffSummary.from_row(row) for row in self.query(SUMMARY_SQL)]
        exact = [s for s in everyone if s.id == ref.lower()]
        if exact:
            return exact
        named = [s for s in everyone if s.account.casefold() == ref.casefold()]
        if named:
            return named
        if len(ref) >= 4:
            prefixed = [s for s in everyone if s.id.startswith(ref.lower())]
            if prefixed:
                return prefixed
        return [s for s in everyone if ref.casefold() in s.account.casefold()]

    def create_handoff(
        self: Database,
        account: str,
        outgoing: str,
        incoming: str,
        *,
        target_date: str | date | None = None,
        mode: str | Mode = Mode.DIRECT,
        playbook: Playbook | None = None,
        handoff_id: str | None = None,
    ) -> Handoff:
        """Make a handoff and copy its playbook's tasks into it, in one transaction."""
        from transfer_tui.playbooks import DEFAULT_PLAYBOOK, get_builtin
        from transfer_tui.store.models import Handoff, Task, new_id

        fields, errors = check_new_handoff(account, outgoing, incoming, target_date, mode)
        if errors:
            field, message = next(iter(errors.items()))
            raise ValidationError(field, message)
        account, outgoing, incoming = fields["account"], fields["outgoing"], fields["incoming"]
        target, mode = fields["target_date"], Mode(fields["mode"])
        playbook = playbook or get_builtin(DEFAULT_PLAYBOOK)
        now = self.now()
        start = now.date()
        anchors = {"start": start, "target": target, "renewal": None}
        handoff = Handoff(
            id=handoff_id or new_id(),
            account=account,
            outgoing=outgoing,
            incoming=incoming,
            target_date=target,
            mode=mode.value,
            playbook_id=playbook.id,
            playbook_name=playbook.name,
            playbook_version=playbook.version,
            created_at=now,
            created_by=self.user,
            updated_at=now,
            updated_by=self.user,
        )
        with self.writing() as session:
            session.add(handoff)
            session.flush()
            position = 0
            for section in playbook.sections:
                for template in section.tasks:
                    position += 1
                    session.add(Task(
                        handoff_id=handoff.id,
                        position=position,
                        section_key=section.key,
                        section_title=section.title,
                        key=template.key,
                        title=template.title,
                        guidance=template.guidance,
                        owner=template.owner.value,
                        due_date=template.due.resolve(anchors) if template.due else None,
                        record_kind=template.record or section.record,
                        raci=json.dumps({k: list(v) for k, v in template.raci.items()}),
                        changed_at=now,
                        changed_by=self.user,
                    ))
            session.flush()
            raw = driver(session)
            for table in (rows.HANDOFF, "task"):
                for row in rows.rows_of(raw, table, handoff.id):
                    self._log(session, handoff.id, table, row["id"], "created", None,
                              rows.to_json(row), now)
        return handoff

    def checklist(self: Database, handoff_id: str) -> Checklist:
        from sqlmodel import select

        from transfer_tui.store.models import Handoff, Task

        with self.reading() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            tasks = session.exec(
                select(Task).where(Task.handoff_id == handoff_id).order_by(Task.position)
            ).all()
        return Checklist(handoff, tuple(tasks))

    def delete_handoff(self: Database, handoff_id: str) -> None:
        """Remove a handoff and every row on it, each logged whole ("deleted", old = the
        row as JSON), so its history stays and the rows could be rebuilt."""
        with self.writing() as session:
            raw = driver(session)
            if rows.fetch(raw, rows.HANDOFF, handoff_id) is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            now = self.now()
            tables = rows.handoff_tables(raw)
            doomed = [(table, rows.rows_of(raw, table, handoff_id)) for table in tables]
            for table, found in doomed:  # logged as they are, before anything goes
                for row in found:
                    self._log(session, handoff_id, table, row["id"], "deleted",
                              rows.to_json(row), None, now)
            for table, found in reversed(doomed):
                for row in found:
                    rows.delete(raw, table, row["id"])

    def _log(self: Database, session: Session, handoff_id: str | None, entity: str,
             entity_id: str, field: str, old: object, new: object, at: object,
             *, undoes: str | None = None) -> None:
        """One event, in the change (store call) the session belongs to."""
        from transfer_tui.store.models import Event

        session.add(Event(
            change_id=session.info.get("change_id"),
            undoes=undoes,
            handoff_id=handoff_id,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
            actor=self.user,
            at=at,
        ))
