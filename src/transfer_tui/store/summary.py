"""One line per handoff for the home screen and ``transfer-tui list``.

Read with plain sqlite3 from counters that triggers keep on the handoff row, so
the home screen paints before SQLAlchemy is even imported.

Progress counts tasks and promises: every task that applies (n/a left out) and
every promise made is one piece of work; a done task or a fulfilled promise is
done, a pending or at-risk promise is open. The checklist header, the home
screen and ``list --json`` all show these same figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from transfer_tui.dates import moved, read_day
from transfer_tui.domain import HandoffState, Mode
from transfer_tui.lateness import is_late, late_by

#: The home list's first read: more lines than a screen shows (what the first paint needs);
#: the rest is read right after that paint.
FIRST_PAGE = 100

SUMMARY_SELECT = """
SELECT h.id, h.account, h.outgoing, h.incoming, h.target_date, h.mode,
       h.tasks_done + h.promises_fulfilled, h.tasks_total + h.promises_total,
       h.tasks_blocked, h.created_at, h.updated_at, h.playbook_name, h.state, h.renewal_date,
       h.promises_total - h.promises_fulfilled,
       (SELECT min(l.renewal_date) FROM license AS l
        WHERE l.handoff_id = h.id AND l.renewal_date >= :today)
FROM handoff AS h
"""
SUMMARY_ORDER = "ORDER BY {account}, h.created_at{ties}\n"
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def summary_order(conn: object) -> str:
    """SUMMARY_ORDER as the engine under ``conn`` says it: the account with ASCII letters
    folded (SQLite's NOCASE), so both engines and :func:`list_order` agree."""
    from transfer_tui.store.engines.dialect import caseless
    from transfer_tui.store.engines.raw import is_server

    # a file walks ix_handoff_home, whose order ends with the id; a server is told
    ties = ', h.id COLLATE "C"' if is_server(conn) else ""
    return SUMMARY_ORDER.format(account=caseless(conn, "h.account"), ties=ties)


def list_order(summary: HandoffSummary) -> tuple[str, str, str]:
    """SUMMARY_ORDER in Python (NOCASE folds ASCII letters only; ties in the index's
    order), so a list read once can take a changed line in its place."""
    return summary.account.translate(ASCII_LOWER), summary.created_text, summary.id
OUTREACH_DAYS = 90  # as in transfer_tui.records.record; kept here so start-up imports nothing
ACCEPTED = HandoffState.ACCEPTED.value


_UNKNOWN_TIME = datetime(1970, 1, 1, tzinfo=UTC)
_MODES = frozenset(Mode)
_STATES = frozenset(HandoffState)


def _utc(text: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:  # a hand-edited file: check names it
        return _UNKNOWN_TIME
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _number(value: object) -> int:
    return value if type(value) is int else 0


def _maybe_text(value: object) -> str | None:
    return value if value is None or type(value) is str else None


_day = read_day  # tolerant: a hand-edited date reads as none (check names it)


#: Columns whose values repeat across handoffs (people, day dates, mode, playbook, state):
#: one string object each instead of one per row. The id, the account and the two times
#: are each handoff's own.
_SHARED = (2, 3, 4, 5, 11, 12, 13, 15)
_BATCH = 1000


def read_summaries(cursor: Any) -> list[HandoffSummary]:
    """Every row of a SUMMARY_SELECT cursor as a summary, read a batch at a time, with
    repeated values shared: 50,000 handoffs hold about half the memory they did as
    rows, and the rows are never all held at once beside their summaries."""
    shared: dict[object, object] = {}
    keep = shared.setdefault
    found: list[HandoffSummary] = []
    readable = HandoffSummary.readable
    while batch := cursor.fetchmany(_BATCH):
        columns: list[Any] = list(zip(*batch, strict=True))
        for at in _SHARED:
            columns[at] = map(keep, columns[at], columns[at])
        found += map(readable, zip(*columns, strict=True))
    return found


class HandoffSummary(NamedTuple):
    """One handoff's line, made straight from its row (10,000 of them in a few ms).

    Dates stay text as SQLite gives them (ISO, so they compare in order) until
    someone asks: the home screen turns only the rows on screen into cells.
    """

    id: str
    account: str
    outgoing: str
    incoming: str
    target_text: str | None
    mode: str
    done: int
    total: int
    blocked: int
    created_text: str
    updated_text: str
    playbook: str
    state: str
    renewal_text: str | None  # the handoff's own renewal date (anchors due rules)
    promises_open: int
    license_renewal_text: str | None  # the soonest license renewal still ahead

    @classmethod
    def readable(cls, row: tuple) -> HandoffSummary:
        """The summary of a row as stored, with values of the wrong type (a hand-edited
        file; ``transfer-tui check`` names them) made into ones the list can show, so one
        bad row never stops anyone from seeing the others."""
        (id_, account, outgoing, incoming, target, mode, done, total, blocked, created,
         updated, playbook, state, renewal, promises, license_renewal) = row
        if (type(id_) is str and type(account) is str and type(outgoing) is str
                and type(incoming) is str and mode in _MODES and state in _STATES
                and type(done) is int and type(total) is int and type(blocked) is int
                and type(promises) is int and type(created) is str and type(updated) is str
                and type(playbook) is str and (target is None or type(target) is str)
                and (renewal is None or type(renewal) is str)
                and (license_renewal is None or type(license_renewal) is str)):
            return cls._make(row)
        return cls(_text(id_), _text(account), _text(outgoing), _text(incoming),
                   _maybe_text(target), mode if mode in _MODES else Mode.DIRECT.value,
                   _number(done), _number(total), _number(blocked), _text(created),
                   _text(updated), _text(playbook),
                   state if state in _STATES else HandoffState.ACTIVE.value,
                   _maybe_text(renewal), _number(promises), _maybe_text(license_renewal))

    @property
    def target_date(self) -> date | None:
        return _day(self.target_text)

    @property
    def renewal_date(self) -> date | None:
        return _day(self.renewal_text)

    @property
    def license_renewal(self) -> date | None:
        return _day(self.license_renewal_text)

    @property
    def created_at(self) -> datetime:
        return _utc(self.created_text)

    @property
    def updated_at(self) -> datetime:
        return _utc(self.updated_text)

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def sign_off(self) -> HandoffState:
        return HandoffState(self.state)

    @property
    def is_open(self) -> bool:
        """Not yet accepted (``HandoffState.is_open``, without making the enum)."""
        return self.state != ACCEPTED

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.done / self.total)

    def overdue(self, today: date) -> bool:
        """Late: past its target date with work still open (:func:`.lateness.is_late`)."""
        return is_late(self.target_date, self.state, self.done, self.total, today)

    def late_by(self, today: date) -> int:
        """Days past the target while late; 0 otherwise."""
        return late_by(self.target_date, today) if self.overdue(today) else 0

    @property
    def renewal(self) -> date | None:
        """The renewal that matters: the handoff's date when set, else the license's."""
        return _day(self.renewal_text or self.license_renewal_text)

    @property
    def outreach(self) -> date | None:
        """When renewal outreach starts: 90 days before the renewal."""
        renewal = self.renewal
        return moved(renewal, -OUTREACH_DAYS) if renewal else None

    def outreach_missed(self, today: date) -> bool:
        """Outreach day has passed, the renewal has not, and the handoff is still open."""
        renewal = self.renewal
        return (renewal is not None and moved(renewal, -OUTREACH_DAYS) < today
                <= renewal and not self.complete and self.is_open)

    @property
    def haystack(self) -> str:
        """What the filter looks in: the account and both people, case-folded."""
        return f"{self.account}\n{self.outgoing}\n{self.incoming}".casefold()

    def matches(self, needle: str) -> bool:
        """Filter-as-you-type: every word must appear in the account or a person's name."""
        haystack = self.haystack
        return all(word in haystack for word in needle.casefold().split())

    def as_json(self) -> dict:
        return {
            "id": self.id, "account": self.account, "outgoing": self.outgoing,
            "incoming": self.incoming, "target_date": self.target_text, "mode": self.mode,
            "done": self.done, "total": self.total, "blocked": self.blocked,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(), "playbook": self.playbook,
            "state": self.state, "renewal_date": self.renewal_text,
            "promises_open": self.promises_open,
            "license_renewal": self.license_renewal_text,
        }
