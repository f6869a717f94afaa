"""Sign-off by both sides: the outgoing CSM hands over, the incoming one accepts or rejects.

Handing over (and accepting) needs every task done or n/a, every n/a task a
note saying why, and the playbook's readiness rules met. Open promises are the
readiness rules' business, not a rule of their own here: the CSM transfer
playbook refuses one still owned by the outgoing CSM (reassign it or keep it
first), while one the outgoing CSM still owns under a playbook without that rule
passes to the incoming CSM on acceptance with the rest of her open work
(:mod:`transfer_tui.rules.ownership`). Who is who comes from the ``--as`` name compared with the
handoff's outgoing and incoming names. Each step records who and when, as
fields on the handoff and as events.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from transfer_tui.cleantext import one_line
from transfer_tui.domain import HandoffState, Side, Status, side_of
from transfer_tui.limits import MAX_REASON
from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.errors import ConflictError, NotFoundError, SignOffError, ValidationError
from transfer_tui.store.labels import side_labels
from transfer_tui.store.ready import handoff_rules
from transfer_tui.store.records import read_records
from transfer_tui.timefmt import aware

if TYPE_CHECKING:
    from sqlmodel import Session

    from transfer_tui.rules import Move, Readiness
    from transfer_tui.store.database import Database
    from transfer_tui.store.models import Handoff, Task

_CLOSED = frozenset({Status.DONE.value, Status.NA.value})
_SIGNED = frozenset({HandoffState.HANDED_OVER.value, HandoffState.ACCEPTED.value})
_WHO = "--as NAME says who you are on a file; on a server, your login"


def handover_gaps(tasks: Iterable[Task]) -> list[str]:
    """What stops a hand-over besides the readiness rules, in words: open tasks and n/a
    tasks with no note saying why."""
    tasks = list(tasks)
    still_open = [t for t in tasks if t.state.is_open]
    silent = [t for t in tasks if t.state is Status.NA and not t.note.strip()]
    gaps = []
    if still_open:
        gaps.append(f"{_count(still_open, 'task')} not done or n/a yet "
                    f"({_names([t.title for t in still_open])})")
    if silent:
        gaps.append(f"{_count(silent, 'n/a task')} without a note saying why "
                    f"({_names([t.title for t in silent])})")
    return gaps


def _count(items: Sequence[object], word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _names(titles: Sequence[str], shown: int = 3) -> str:
    names = "; ".join(one_line(title, 60) for title in titles[:shown])
    return names + (f" and {len(titles) - shown} more" if len(titles) > shown else "")


def _when(stamp: datetime | None) -> str:
    return f"{stamp:%Y-%m-%d}" if stamp else "earlier"


def why_not(step: str, handoff: Handoff, tasks: Iterable[Task], person: str,
            readiness: Readiness | None = None) -> str | None:
    """Why ``person`` may not take a sign-off ``step`` ("hand_over", "accept", "reject") now,
    or None when they may. The store refuses with exactly this; screens ask it first.

    ``readiness``: the playbook's rules for this step, as
    :func:`transfer_tui.rules.evaluate` found them."""
    side = side_of(person, handoff.outgoing, handoff.incoming)
    state = handoff.sign_off
    out_label, in_label = side_labels(handoff)
    if step == "hand_over":
        if side is not Side.OUTGOING:
            return (f"Only {handoff.outgoing} ({out_label}) can hand this handoff over; "
                    f"you are working as {person} ({_WHO})")
        if state is HandoffState.HANDED_OVER:
            return (f"Already handed over on {_when(handoff.handed_over_at)}: waiting for "
                    f"{handoff.incoming} to accept or reject it")
        if state is HandoffState.ACCEPTED:
            return (f"{handoff.accepted_by} already accepted this handoff on "
                    f"{_when(handoff.accepted_at)}")
        gaps = handover_gaps(tasks) + readiness_gaps(readiness)
        return "Cannot hand over yet: " + "; ".join(gaps) if gaps else None
    if side is not Side.INCOMING:
        return (f"Only {handoff.incoming} ({in_label}) can accept or reject this "
                f"handoff; you are working as {person} ({_WHO})")
    verb = "accept" if step == "accept" else "reject"
    if state is HandoffState.ACTIVE:
        return f"{handoff.outgoing} has not handed this over yet: there is nothing to {verb}"
    if state is HandoffState.REJECTED:
        return (f"{handoff.rejected_by} rejected it on {_when(handoff.rejected_at)}: "
                f"{handoff.outgoing} must hand it over again first")
    if state is HandoffState.ACCEPTED:
        return (f"{handoff.accepted_by} already accepted this handoff on "
                f"{_when(handoff.accepted_at)}")
    gaps = handover_gaps(tasks) + readiness_gaps(readiness) if step == "accept" else []
    return "Cannot accept: " + "; ".join(gaps) if gaps else None


def readiness_gaps(readiness: Readiness | None) -> list[str]:
    """Each unmet readiness rule, saying what to record and where."""
    return [result.line for result in readiness.missing] if readiness else []


class SignOffMixin:
    """Hand over, accept, reject; mixed into :class:`transfer_tui.store.Store`."""

    def hand_over(self: Database, handoff_id: str, *,
                  expected_version: int | None = None) -> Handoff:
        """The outgoing CSM says: everything is done (or n/a, with a reason), over to you."""
        with self.writing() as session:
            handoff = self._signing(session, handoff_id, expected_version, "hand_over")
            now = self.now()
            self._set(session, handoff, now, state=HandoffState.HANDED_OVER.value,
                      handed_over_at=now, handed_over_by=self.user)
        return handoff

    def accept(self: Database, handoff_id: str, *,
               expected_version: int | None = None) -> Handoff:
        """The incoming CSM takes the account: the handoff is done, and the open promises
        and risks the outgoing CSM owned (or nobody did) become the incoming CSM's (each
        move logged in the acceptance's change, so undo takes them back with it)."""
        from transfer_tui.rules import moves_on_accept

        with self.writing() as session:
            handoff = self._signing(session, handoff_id, expected_version, "accept")
            now = self.now()
            records = read_records(driver(session), handoff.id)
            for move in moves_on_accept(records, handoff.outgoing, handoff.incoming):
                self._move_owner(session, handoff.id, move, now)
            self._set(session, handoff, now, state=HandoffState.ACCEPTED.value,
                      accepted_at=now, accepted_by=self.user)
        return handoff

    def moves_on_accept(self: Database, handoff_id: str) -> list[Move]:
        """What acceptance would hand to the incoming CSM: the confirmation lists it."""
        from transfer_tui.rules import moves_on_accept

        with self.reading_plain() as raw:
            found = rows.fetch(raw, rows.HANDOFF, handoff_id)
            if found is None:
                raise NotFoundError(f"no handoff with id {handoff_id}")
            return moves_on_accept(read_records(raw, handoff_id), str(found["outgoing"]),
                                   str(found["incoming"]))

    def _move_owner(self: Database, session: Session, handoff_id: str, move: Move,
                    now: datetime) -> None:
        raw = driver(session)
        raw.execute(f"UPDATE {rows.quote(move.kind_key)} SET {rows.quote(move.field)} = ?, "
                    "version = version + 1, changed_at = ?, changed_by = ? WHERE id = ?",
                    (move.new, rows.sql_time(now), self.user, move.record_id))
        self._log(session, handoff_id, move.kind_key, move.record_id, move.field, move.old,
                  move.new, now)

    def reject(self: Database, handoff_id: str, reason: str, *,
               expected_version: int | None = None) -> Handoff:
        """The incoming CSM sends it back, saying why; the reason stays on the handoff."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("reason", "Say why you reject it: the outgoing CSM needs the "
                                  "reason to put it right")
        if len(reason) > MAX_REASON:
            raise ValidationError("reason", f"The reason is too long (at most {MAX_REASON:,} "
                                  "characters)")
        with self.writing() as session:
            handoff = self._signing(session, handoff_id, expected_version, "reject")
            now = self.now()
            self._set(session, handoff, now, state=HandoffState.REJECTED.value,
                      rejected_at=now, rejected_by=self.user, rejection_reason=reason)
        return handoff

    def _signing(self: Database, session: Session, handoff_id: str,
                 expected_version: int | None, step: str) -> Handoff:
        """The handoff, checked inside the write: as the person saw it, and the step allowed."""
        from transfer_tui.store.models import Handoff

        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            raise NotFoundError(f"no handoff with id {handoff_id}")
        if expected_version is not None and handoff.version != expected_version:
            raise ConflictError("handoff", handoff.id, "state", handoff.sign_off.label,
                                handoff.updated_by, handoff.updated_at)
        tasks = self._tasks_of(session, handoff.id)
        readiness = self._readiness(session, handoff, step)
        refusal = why_not(step, handoff, tasks, self.user, readiness)
        if refusal:
            raise SignOffError(refusal, tuple(handover_gaps(tasks) + readiness_gaps(readiness)))
        return handoff

    def _readiness(self: Database, session: Session, handoff: Handoff,
                   step: str) -> Readiness | None:
        """The playbook's rules for ``step``, checked against the records in this
        transaction; None for a rejection (nothing to check)."""
        if step == "reject":
            return None
        from transfer_tui.rules import evaluate, rules_for

        rules = rules_for(handoff_rules(handoff), step)
        if not rules:
            return None
        return evaluate(rules, read_records(driver(session), handoff.id),
                        outgoing=handoff.outgoing, started=aware(handoff.created_at),
                        today=self.now().astimezone().date())

    def _reopen_for_open_promise(self: Database, session: Session, handoff_id: str,
                                 now: datetime) -> None:
        """In a promise change's own transaction: a handoff awaiting acceptance goes back
        to active when the change breaks one of its playbook's rules about promises (one
        open again and still the outgoing CSM's), since it would not be handed over now;
        logged as ``_set`` logs. An accepted handoff stays accepted: its open promises
        are the incoming CSM's work from then on."""
        from transfer_tui.rules import evaluate
        from transfer_tui.store.models import Handoff

        handoff = session.get(Handoff, handoff_id)
        if handoff is None or handoff.state != HandoffState.HANDED_OVER.value:
            return
        rules = [rule for rule in handoff_rules(handoff) if rule.record == "promise"
                 and rule.at == "hand_over"]
        if not rules:
            return
        found = evaluate(rules, read_records(driver(session), handoff_id),
                         outgoing=handoff.outgoing, started=aware(handoff.created_at),
                         today=self.now().astimezone().date())
        if not found.ready:
            self._set(session, handoff, now, state=HandoffState.ACTIVE.value)

    def _reopen_after_task_change(self: Database, session: Session, handoff_id: str,
                                  state: str, now: datetime) -> None:
        """In the task change's own transaction: an accepted handoff reopens on any change;
        one awaiting acceptance goes back to active when it no longer qualifies. Plain SQL,
        as the task change itself (the status key's hot path), logged as ``_set`` would."""
        raw = driver(session)
        if not _may_reopen(raw, handoff_id, state):
            return
        raw.execute("UPDATE handoff SET state = ?, version = version + 1 WHERE id = ?",
                    (HandoffState.ACTIVE.value, handoff_id))
        self._log(session, handoff_id, "handoff", handoff_id, "state", state,
                  HandoffState.ACTIVE.value, now)


def _may_reopen(raw: sqlite3.Connection, handoff_id: str, state: str) -> bool:
    """Whether the change may take the handoff's sign-off back (see :mod:`.signoff`): an
    accepted one always reopens; one handed over only when a task is open again or an
    n/a task has no note (the rule of ``handover_gaps``, read without loading tasks)."""
    if state == HandoffState.ACCEPTED.value:
        return True
    if state != HandoffState.HANDED_OVER.value:
        return False
    return any(status not in _CLOSED or (status == Status.NA.value and not note.strip())
               for status, note in raw.execute(
                   "SELECT status, note FROM task WHERE handoff_id = ?", (handoff_id,)))


