"""Handoffs: create one from a playbook, read it back as a checklist, find it, delete it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from transfer_tui.domain import Mode, Side, Status, side_of
from transfer_tui.records.kinds import KINDS
from transfer_tui.store import rows
from transfer_tui.store.accounts import carry_records, latest_of_account
from transfer_tui.store.database import driver
from transfer_tui.store.engines import dialect
from transfer_tui.store.errors import NotFoundError, UnreadableError, ValidationError
from transfer_tui.store.row_rules import problems_in, refuse_unreadable
from transfer_tui.store.summary import (
    ASCII_LOWER,
    SUMMARY_SELECT,
    HandoffSummary,
    list_order,
    read_summaries,
    summary_order,
)
from transfer_tui.store.validate import (  # noqa: F401 - callers import them from here
    MAX_NAME,
    account_key,
    check_new_handoff,
    clean_name,
    parse_date,
    same_person,
)

RECORD_TABLES = tuple(kind.key for kind in KINDS)
LOOK_UP = object()  # _insert_handoff: find the account's latest handoff itself
MIN_ID_PREFIX = 4  # characters of an id that name a handoff (`export 3f9a`)
_ID_START = re.compile(r"^[0-9a-fA-F]+$")
_IDS_PER_QUERY = 500  # SQLite allows 32,766 parameters; a few hundred stay quick
_MARK_SQL = "SELECT coalesce(max(rowid), 0) FROM event"
_COUNT_SQL = "SELECT count(*) FROM handoff"
T = TypeVar("T")


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.playbooks import Playbook
    from transfer_tui.store.database import Database
    from transfer_tui.store.engines.raw import Raw
    from transfer_tui.store.history import History
    from transfer_tui.store.models import Handoff, Task

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


class Handoffs:
    """Handoffs as a whole: the home list and its change feed, finding, creating (with the
    playbook's tasks), reading a checklist, deleting; and, for the other parts, changing a
    handoff's own fields with one event each (:meth:`set_fields`). Logs through History."""

    def __init__(self, db: Database, history: History) -> None:
        self.db = db
        self.history = history

    def summaries(self, today: date | None = None, *, limit: int = -1
                  ) -> list[HandoffSummary]:
        """Every handoff on one line (or the first ``limit``, in the same order);
        ``today`` decides which renewal is the next one."""
        return self._summaries_where("", {}, today, limit)

    def summaries_of(self, ids: Iterable[str], today: date | None = None
                     ) -> list[HandoffSummary]:
        """The lines of these handoffs only, each found by its id (the ones that are gone
        are simply not in the answer), in the list's order."""
        found: list[HandoffSummary] = []
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start:start + _IDS_PER_QUERY]
            marks = ", ".join(f":id{n}" for n in range(len(chunk)))
            found += self._summaries_where(f"WHERE h.id IN ({marks})",
                                           {f"id{n}": i for n, i in enumerate(chunk)}, today)
        return sorted(found, key=list_order)

    def _summaries_where(self, where: str, params: dict[str, object],
                         today: date | None = None, limit: int = -1) -> list[HandoffSummary]:
        return self._read_lines(where, params, today, limit, lambda _raw, lines: lines)

    def _read_lines(self, where: str, params: dict[str, object], today: date | None,
                    limit: int, then: Callable[[Raw, list[HandoffSummary]], T]) -> T:
        """The lines ``where`` says, in the list's order, then what ``then`` reads beside
        them, all in one snapshot; text that is not UTF-8 is listed anyway, marked."""
        today = today or self.db.now().astimezone().date()
        params = {**params, "today": today.isoformat()}
        try:
            return self._summary_rows(where, params, limit, then, lenient=False)
        except UnreadableError:
            return self._summary_rows(where, params, limit, then, lenient=True)

    def _summary_rows(self, where: str, params: dict, limit: int,
                      then: Callable[[Raw, list[HandoffSummary]], T], *, lenient: bool) -> T:
        with self.db.reading_plain(lenient=lenient) as raw:
            where = where.replace("{account}", dialect.caseless(raw, "h.account"))
            sql = SUMMARY_SELECT + where + "\n" + summary_order(raw) + dialect.limit(limit)
            if limit >= 0:  # a page: small, read at once
                return then(raw, read_summaries(raw.execute(sql, params)))
            cursor = dialect.streamed(raw, sql, params)
            try:
                lines = read_summaries(cursor)
            finally:
                cursor.close()
            return then(raw, lines)

    def first_page(self, limit: int, today: date | None = None
                   ) -> tuple[int | None, list[HandoffSummary], int | None]:
        """What the home screen's first paint needs, in ONE read (one snapshot, one round
        trip's worth of BEGIN/COMMIT on a server): the first ``limit`` lines; then, when
        there are more, how many handoffs there are in all (the rest is read next, with
        its own change mark), else the change mark of this very moment (see
        :meth:`change_mark`). A long list's mark is not asked for: the rest's read takes
        its own (a server older than ix_event_rowid read its whole log for it)."""
        def with_mark_or_count(raw: Raw, summaries: list[HandoffSummary]
                               ) -> tuple[int | None, list[HandoffSummary], int | None]:
            if len(summaries) < limit or limit < 0:
                return raw.execute(_MARK_SQL).fetchone()[0], summaries, None
            return None, summaries, raw.execute(_COUNT_SQL).fetchone()[0]

        return self._read_lines("", {}, today, limit, with_mark_or_count)

    def count(self) -> int:
        return self.db.query(_COUNT_SQL)[0][0]

    def change_mark(self) -> int:
        """Where the change log stands now: give it to :meth:`handoffs_changed_since`
        later to learn which handoffs changed in between."""
        return self.db.query(_MARK_SQL)[0][0]

    def changed_since(self, mark: int) -> tuple[int, set[str] | None]:
        """The new mark, and the ids of the handoffs changed (created, edited, deleted)
        since ``mark``; None when that cannot be told and everything must be read again.

        Every change is logged in ``event``, which is only ever added to, so the events
        after the mark (a range of rowids: an index walk of just the new ones) name every
        handoff changed since. A file whose log is shorter than the mark (restored from a
        backup, replaced) answers None.
        """
        rows_ = self.db.query("SELECT rowid, handoff_id FROM event WHERE rowid > ? "
                           "ORDER BY rowid", (mark,))
        if not rows_:
            if self.change_mark() < mark:
                return self.change_mark(), None
            return mark, set()
        return rows_[-1][0], {handoff for _, handoff in rows_ if handoff is not None}

    def find(self, ref: str) -> list[HandoffSummary]:
        """By id (or a prefix of at least MIN_ID_PREFIX characters) or by account name.

        The id, its prefix and the exact name are index lookups (the primary key, and
        ix_handoff_home's account); a part of a name is searched for in SQL, in one pass
        over that index (accounts with letters beyond ASCII are then compared in Python,
        casefolded), never by making a summary of each.
        A shorter start of an id that names no account is refused as too short
        (ValidationError), rather than answered with "no handoff matches".
        """
        ref = ref.strip()
        if not ref:
            return []
        exact = self._summaries_where("WHERE h.id = :ref", {"ref": ref.lower()})
        if exact:
            return exact
        folded = ref.casefold()
        named = [s for s in self._summaries_where(  # {account}: see _summary_rows
            "WHERE {account} = :ref", {"ref": ref.translate(ASCII_LOWER)})
            if s.account.casefold() == folded]
        if named:
            return named
        if len(ref) >= MIN_ID_PREFIX and _ID_START.match(ref):
            low = ref.lower()
            high = low[:-1] + chr(ord(low[-1]) + 1)
            prefixed = self._summaries_where("WHERE h.id >= :low AND h.id < :high",
                                             {"low": low, "high": high})
            if prefixed:
                return prefixed
        with self.db.reading_plain(lenient=True) as raw:
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", ref.translate(ASCII_LOWER)) + "%"
            if not ref.isascii():  # folds into other letters (ß: ss): Python decides all
                pattern = "%"
            accounts = raw.execute(  # SQLite's LIKE folds ASCII letters itself
                "SELECT id, account FROM handoff AS h WHERE "
                + dialect.contains_folded(raw, "h.account", "pattern"),
                {"pattern": pattern}).fetchall()
        named_ids = [i for i, account in accounts if _text(account).casefold() == folded]
        if named_ids:  # equal only once folded beyond ASCII (Straße, STRASSE)
            return self.summaries_of(named_ids)
        found = self.summaries_of(i for i, account in accounts
                                  if folded in _text(account).casefold())
        if not found and len(ref) < MIN_ID_PREFIX and _ID_START.match(ref):
            raise ValidationError("handoff", f"{ref!r} is too short to name a handoff by its "
                                  f"id: give at least {MIN_ID_PREFIX} characters of it")
        return found

    def create(
        self,
        account: str,
        outgoing: str,
        incoming: str,
        *,
        target_date: str | date | None = None,
        mode: str | Mode = Mode.DIRECT,
        renewal_date: str | date | None = None,
        playbook: Playbook | None = None,
        handoff_id: str | None = None,
        account_id: str | None = None,
    ) -> Handoff:
        """Make a handoff and copy its playbook's tasks into it, in one transaction; an
        account handed over before starts with the records of its latest handoff."""
        fields, errors = check_new_handoff(account, outgoing, incoming, target_date, mode,
                                           renewal_date, account_id)
        if errors:
            field, message = next(iter(errors.items()))
            raise ValidationError(field, message)
        with self.db.writing() as session:
            return self.insert(session, fields, playbook, handoff_id)

    def insert(self, session: Session, fields: dict,
               playbook: Playbook | None, handoff_id: str | None = None,
               earlier: str | object | None = LOOK_UP) -> Handoff:
        """Add one checked handoff and its tasks inside the caller's transaction.

        Tasks and readiness rules copy the playbook's content, so editing or deleting
        the playbook file later changes nothing here; relative due dates keep their
        rule so they can follow the target and renewal dates. ``earlier``: the account's
        latest handoff when the caller knows it (a bulk import: see :func:`latest_handoffs`).
        """
        from transfer_tui.playbooks import DEFAULT_PLAYBOOK, get_builtin
        from transfer_tui.playbooks.checker import dump_ready_rules
        from transfer_tui.store.models import Handoff, Task, new_id, ordered_id

        playbook = playbook or get_builtin(DEFAULT_PLAYBOOK)
        now = self.db.now()
        if earlier is LOOK_UP:
            earlier = latest_of_account(driver(session), fields["account"],
                                        fields.get("account_id", ""))
        handoff = Handoff(
            id=handoff_id or new_id(),
            account=fields["account"],
            outgoing=fields["outgoing"],
            incoming=fields["incoming"],
            target_date=fields.get("target_date"),
            renewal_date=fields.get("renewal_date"),
            mode=Mode(fields.get("mode", Mode.DIRECT)).value,
            playbook_id=playbook.id,
            playbook_name=playbook.name,
            playbook_version=playbook.version,
            account_id=fields.get("account_id", ""),
            ready_rules=dump_ready_rules(playbook.ready),
            outgoing_label=playbook.outgoing_label,
            incoming_label=playbook.incoming_label,
            created_at=now,
            created_by=self.db.user,
            updated_at=now,
            updated_by=self.db.user,
        )
        session.add(handoff)
        session.flush()
        anchors = {"start": now.date(), "target": handoff.target_date,
                   "renewal": handoff.renewal_date}
        # one executemany, not an object per task: a 1,000-row import stays quick
        task_rows = [
            {
                "id": ordered_id(),
                "handoff_id": handoff.id,
                "position": position,
                "section_key": section.key,
                "section_title": section.title,
                "key": template.key,
                "title": template.title,
                "guidance": template.guidance,
                "status": Status.TODO.value,
                "owner": template.owner.value,
                "note": "",
                "due_date": template.due.resolve(anchors) if template.due else None,
                "due_rule": str(template.due) if template.due else None,
                "record_kind": template.record or section.record,
                "raci": json.dumps({k: list(v) for k, v in template.raci.items()}),
                "changed_at": now,
                "changed_by": self.db.user,
                "version": 1,
            }
            for position, (section, template) in enumerate(
                ((section, template) for section in playbook.sections
                 for template in section.tasks), start=1)
        ]
        if task_rows:
            session.execute(Task.__table__.insert(), task_rows)  # type: ignore[attr-defined]
        session.flush()
        raw = driver(session)
        if isinstance(earlier, str):
            carry_records(raw, earlier, handoff.id)
        self.history.log_rows(session, handoff.id, "created", [
            (table, row) for table in (rows.HANDOFF, "task", *RECORD_TABLES)
            for row in rows.rows_of(raw, table, handoff.id)], now)
        session.refresh(handoff)  # the task and promise counters the triggers just set
        return handoff

    def checklist(self, handoff_id: str) -> Checklist:
        from sqlmodel import col, select

        from transfer_tui.store.models import Handoff, Task

        with self.db.reading() as session:
            raw = driver(session)  # values the models could not read: one line, not a crash
            stored = rows.fetch(raw, rows.HANDOFF, handoff_id)
            if stored is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            refuse_unreadable(self.db.where, [
                *problems_in(rows.HANDOFF, stored, strict=False),
                *(p for task in rows.rows_of(raw, "task", handoff_id)
                  for p in problems_in("task", task, strict=False))])
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            tasks = session.exec(
                select(Task).where(Task.handoff_id == handoff_id).order_by(col(Task.position))
            ).all()
        return Checklist(handoff, tuple(tasks))

    def delete(self, handoff_id: str) -> None:
        """Remove a handoff and every row on it, each logged whole ("deleted", old = the
        row as JSON), so its history stays and the rows could be rebuilt."""
        with self.db.writing() as session:
            raw = driver(session)
            if rows.fetch(raw, rows.HANDOFF, handoff_id) is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            now = self.db.now()
            tables = rows.handoff_tables(raw)
            doomed = [(table, rows.rows_of(raw, table, handoff_id)) for table in tables]
            self.history.log_rows(session, handoff_id, "deleted",  # as they are, before any goes
                                  [(table, row) for table, found in doomed for row in found], now)
            for table, found in reversed(doomed):
                for row in found:
                    rows.delete(raw, table, row["id"])

    def tasks_of(self, session: Session, handoff_id: str) -> list[Task]:
        from sqlmodel import col, select

        from transfer_tui.store.models import Task

        return list(session.exec(select(Task).where(Task.handoff_id == handoff_id)
                                 .order_by(col(Task.position))).all())  # the checklist's order

    def set_fields(self, session: Session, handoff: Handoff, now: datetime,
                   **values: object) -> None:
        """Change handoff fields with one event each; the row's version moves on once."""
        changed = False
        for field, value in values.items():
            old = getattr(handoff, field)
            if old == value:
                continue
            setattr(handoff, field, value)
            self.history.log(session, handoff.id, "handoff", handoff.id, field,
                             old.isoformat() if isinstance(old, datetime) else old,
                             value.isoformat() if isinstance(value, datetime) else value, now)
            changed = True
        if changed:
            handoff.version += 1
            handoff.updated_at = now
            handoff.updated_by = self.db.user
        session.flush()

    def touch(self, handoff: Handoff, now: datetime) -> None:
        """Mark the handoff changed (a row on it changed), without an event of its own."""
        handoff.updated_at = now
        handoff.updated_by = self.db.user

    def touch_id(self, session: Session, handoff_id: str, now: datetime) -> None:
        from transfer_tui.store.models import Handoff

        handoff = session.get(Handoff, handoff_id)
        if handoff is not None:
            self.touch(handoff, now)
