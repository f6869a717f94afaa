"""The lead's figures: per CSM, per week of target date, and one line per handoff for a report.

Every figure is a SQL aggregate (COUNT, SUM of CASE, MIN) in portable ANSI SQL, so the
same text runs on SQLite and PostgreSQL: no strftime, no date functions; dates are bound as
YYYY-MM-DD and compared as dates (ISO text in SQLite sorts as dates do). Grouping by week
and merging the incoming and outgoing sides of one person happen in Python over the few
hundred grouped rows the database returns, never over the 10,000 handoffs.

A person is the same CSM however their name is cased or spaced (as :func:`.domain.side_of`
matches names); their row shows the name as first written.

Rules declared here, once:

- late: :func:`transfer_tui.lateness.late_sql` (the rule home and ``list`` use).
- a renewal inside an open transition: the handoff is not accepted and its renewal (its
  own renewal date, else the soonest license renewal still ahead, as home shows it) falls
  between today and its target date (any day from today when it has no target).
- an overdue task: due before today, not done or n/a, in a handoff not accepted; it is the
  work of the side that owns it (both: each CSM).
- a promise they own: pending or at risk, its owner on our side names them; a promise
  with no owner is the outgoing CSM's, who made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from transfer_tui.dates import read_day
from transfer_tui.domain import HandoffState, person_key
from transfer_tui.lateness import late_by, late_sql

if TYPE_CHECKING:
    from transfer_tui.store.database import Database

ACCEPTED = HandoffState.ACCEPTED.value
HANDED_OVER = HandoffState.HANDED_OVER.value

_RENEWAL = ("COALESCE(h.renewal_date, (SELECT MIN(l.renewal_date) FROM license l "
            "WHERE l.handoff_id = h.id AND l.renewal_date >= :today))")
_IN_TRANSITION = (f"({_RENEWAL} >= :today AND (h.target_date IS NULL "
                  f"OR {_RENEWAL} <= h.target_date))")

BY_PAIR_SQL = f"""
SELECT h.incoming, h.outgoing, COUNT(*),
       SUM(CASE WHEN h.state = '{HANDED_OVER}' THEN 1 ELSE 0 END),
       MIN(CASE WHEN h.state = '{HANDED_OVER}' THEN h.handed_over_at END),
       SUM(CASE WHEN {_IN_TRANSITION} THEN 1 ELSE 0 END),
       SUM(CASE WHEN {late_sql()} THEN 1 ELSE 0 END)
FROM handoff h
WHERE h.state <> '{ACCEPTED}'
GROUP BY h.incoming, h.outgoing
"""
# Counted per handoff first (one walk through ix_task_due), then summed per pair of people.
OVERDUE_TASKS_SQL = f"""
SELECT h.incoming, h.outgoing, SUM(o.theirs_in), SUM(o.theirs_out)
FROM (SELECT t.handoff_id AS handoff_id,
             SUM(CASE WHEN t.owner IN ('incoming', 'both') THEN 1 ELSE 0 END) AS theirs_in,
             SUM(CASE WHEN t.owner IN ('outgoing', 'both') THEN 1 ELSE 0 END) AS theirs_out
      FROM task t
      WHERE t.due_date < :today AND t.status NOT IN ('done', 'na')
      GROUP BY t.handoff_id) o
JOIN handoff h ON h.id = o.handoff_id
WHERE h.state <> '{ACCEPTED}'
GROUP BY h.incoming, h.outgoing
"""
PROMISES_SQL = """
SELECT p.owner, h.outgoing, COUNT(*)
FROM promise p JOIN handoff h ON h.id = p.handoff_id
WHERE p.status <> 'fulfilled'
GROUP BY p.owner, h.outgoing
"""
BY_TARGET_SQL = f"""
SELECT h.target_date, COUNT(*), SUM(CASE WHEN {late_sql()} THEN 1 ELSE 0 END)
FROM handoff h
WHERE h.state <> '{ACCEPTED}' AND h.target_date IS NOT NULL
GROUP BY h.target_date
"""
TOTALS_SQL = f"""
SELECT COUNT(*),
       SUM(CASE WHEN h.state <> '{ACCEPTED}' THEN 1 ELSE 0 END),
       SUM(CASE WHEN {late_sql()} THEN 1 ELSE 0 END),
       SUM(CASE WHEN h.state = '{HANDED_OVER}' THEN 1 ELSE 0 END),
       SUM(CASE WHEN h.state <> '{ACCEPTED}' AND {_IN_TRANSITION} THEN 1 ELSE 0 END)
FROM handoff h
"""
HANDOFF_ROWS_SQL = f"""
SELECT h.id, h.account, h.outgoing, h.incoming, h.state,
       h.tasks_done + h.promises_fulfilled, h.tasks_total + h.promises_total,
       h.target_date, {_RENEWAL}, h.handed_over_at,
       CASE WHEN {late_sql()} THEN 1 ELSE 0 END
FROM handoff h
ORDER BY LOWER(h.account), h.created_at, h.id
"""


def _moment(value: object) -> datetime | None:
    """A stored time (ISO text in SQLite, a datetime elsewhere) as aware UTC."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str) and value:
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:  # a hand-edited file: no wait shown rather than a crash
            return None
    else:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: how the chart groups target dates."""
    return day - timedelta(days=day.weekday())


@dataclass
class CsmFigures:
    """One CSM's row in the Team view and the report."""

    name: str
    incoming: int = 0  # open handoffs coming to them
    outgoing: int = 0  # open handoffs they hand over
    overdue_tasks: int = 0
    awaiting: int = 0  # handed over to them, waiting for their acceptance
    waiting_since: datetime | None = None  # the oldest of those hand-overs
    renewals: int = 0  # renewals inside an open transition they are part of
    promises: int = 0  # open promises they own
    late: int = 0  # their open handoffs (either side) past target

    def longest_wait(self, today: date) -> int | None:
        """Days the oldest hand-over has waited for their acceptance (None: none waits)."""
        if self.waiting_since is None:
            return None
        return max(0, (today - self.waiting_since.astimezone().date()).days)

    @property
    def open_total(self) -> int:
        return self.incoming + self.outgoing


@dataclass(frozen=True)
class WeekFigures:
    """Open handoffs whose target date falls in one week, and how many of them are late."""

    week: date  # its Monday
    handoffs: int
    late: int


@dataclass(frozen=True)
class HandoffLine:
    """One handoff in the report."""

    id: str
    account: str
    outgoing: str
    incoming: str
    state: str
    done: int
    total: int
    target: date | None
    renewal: date | None
    handed_over_at: datetime | None
    late_days: int

    @property
    def awaiting_since(self) -> datetime | None:
        """When it was handed over, while it still waits for acceptance."""
        return self.handed_over_at if self.state == HANDED_OVER else None


@dataclass
class TeamFigures:
    """The whole realignment at a glance, as of one day."""

    as_of: date
    handoffs: int = 0
    open: int = 0
    late: int = 0
    awaiting: int = 0
    renewals: int = 0
    people: list[CsmFigures] = field(default_factory=list)
    weeks: list[WeekFigures] = field(default_factory=list)
    undated: int = 0  # open handoffs with no target date (not in any week)


class Team:
    """The lead's figures; reads only."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def figures(self, today: date) -> TeamFigures:
        """Per CSM and per week of target date, read in one read transaction."""
        params = {"today": today.isoformat()}
        with self.db.reading_plain() as conn:
            totals = conn.execute(TOTALS_SQL, params).fetchone()
            pairs = conn.execute(BY_PAIR_SQL, params).fetchall()
            tasks = conn.execute(OVERDUE_TASKS_SQL, params).fetchall()
            promises = conn.execute(PROMISES_SQL).fetchall()
            targets = conn.execute(BY_TARGET_SQL, params).fetchall()
        handoffs, open_, late, awaiting, renewals = (_int(value) for value in totals)
        figures = TeamFigures(today, handoffs, open_, late, awaiting, renewals)
        figures.people = _people(pairs, tasks, promises)
        weeks: dict[date, list[int]] = {}
        dated = 0
        for day_value, count, late in targets:
            day = read_day(day_value)
            if day is None:
                continue
            week = weeks.setdefault(week_of(day), [0, 0])
            week[0] += _int(count)
            week[1] += _int(late)
            dated += _int(count)
        figures.weeks = [WeekFigures(week, *counts) for week, counts in sorted(weeks.items())]
        figures.undated = figures.open - dated
        return figures

    def lines(self, today: date) -> list[HandoffLine]:
        """Every handoff on one line for the report, by account."""
        found = self.db.query(HANDOFF_ROWS_SQL, {"today": today.isoformat()}, lenient=True)
        lines = []
        for (id_, account, outgoing, incoming, state, done, total, target, renewal,
             handed_over_at, late) in found:
            target_day = read_day(target)
            lines.append(HandoffLine(
                _text(id_), _text(account), _text(outgoing), _text(incoming), _text(state),
                _int(done), _int(total), target_day, read_day(renewal),
                _moment(handed_over_at), late_by(target_day, today) if late else 0))
        return lines


def _people(pairs: list[tuple], tasks: list[tuple], promises: list[tuple]
            ) -> list[CsmFigures]:
    """Merge the grouped rows into one row per person, busiest first."""
    people: dict[str, CsmFigures] = {}

    def person(name: object) -> CsmFigures:
        text = " ".join(_text(name).split())
        return people.setdefault(person_key(text), CsmFigures(text))

    for incoming, outgoing, count, awaiting, oldest, renewals, late in pairs:
        taking, giving = person(incoming), person(outgoing)
        taking.incoming += _int(count)
        giving.outgoing += _int(count)
        taking.awaiting += _int(awaiting)
        since = _moment(oldest)
        if since is not None and (taking.waiting_since is None or since < taking.waiting_since):
            taking.waiting_since = since
        for someone in {id(taking): taking, id(giving): giving}.values():
            someone.renewals += _int(renewals)
            someone.late += _int(late)
    for incoming, outgoing, theirs_in, theirs_out in tasks:
        person(incoming).overdue_tasks += _int(theirs_in)
        person(outgoing).overdue_tasks += _int(theirs_out)
    for owner, outgoing, count in promises:
        key = person_key(_text(owner)) or person_key(_text(outgoing))
        if key in people:  # owners who are not CSMs of an open handoff have no row here
            people[key].promises += _int(count)
    return sorted(people.values(), key=lambda p: (-p.open_total, p.name.casefold()))
