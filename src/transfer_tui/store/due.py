"""What is due for one person across every handoff: the query behind ``transfer-tui due``.

Indexed reads only, on the quick connection, in one read transaction: the handoffs'
people and dates come from the home screen's covering index (``ix_handoff_home``),
license renewals from ``ix_license_handoff``, and the person's open tasks due by the
horizon through ``ix_task_handoff`` for their handoffs only; open promises from the
promise table. Names are matched the way ``--as`` is everywhere (case and spacing
ignored, as :func:`transfer_tui.domain.side_of` does). The result is plain
:class:`~transfer_tui.outreach.digest.DueItem` values; the outreach package renders them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from transfer_tui.dates import LAST_DAY, moved, read_day, shifted
from transfer_tui.domain import person_key
from transfer_tui.store.engines.dialect import among, values
from transfer_tui.store.summary import ACCEPTED, OUTREACH_DAYS

if TYPE_CHECKING:
    from transfer_tui.outreach.digest import DueItem
    from transfer_tui.store.database import Database

# Every handoff's people, state and dates: all columns of ix_handoff_home, so SQLite walks
# that index instead of the table.
HANDOFFS_SQL = """
SELECT id, account, outgoing, incoming, target_date, state, renewal_date FROM handoff
"""
# The soonest license renewal ahead, for the person's handoffs without a renewal date of
# their own (ix_license_handoff: handoff_id, renewal_date).
LICENSES_SQL = """
SELECT handoff_id, min(renewal_date) FROM license
WHERE {ids} AND renewal_date >= :today
GROUP BY handoff_id
"""
# Open tasks of some handoffs that one side owns, due by the horizon: ix_task_handoff
# finds each handoff's tasks, so only the person's handoffs are read.
TASKS_SQL = """
SELECT t.id, t.handoff_id, t.title, t.due_date
FROM task AS t
WHERE {ids}
  AND t.owner IN (:side, 'both')
  AND t.status IN ('todo', 'in_progress', 'blocked')
  AND t.due_date IS NOT NULL AND t.due_date <= :horizon
"""
PROMISES_SQL = """
SELECT p.id, p.handoff_id, p.promise, p.owner FROM promise AS p
WHERE p.status IN ('pending', 'at_risk') AND p.owner <> ''
"""
# The target date of the handoffs whose promises the person owns (any handoff: a promise
# can be owned by someone who is neither side).
TARGETS_SQL = """
SELECT id, target_date, account FROM handoff
WHERE target_date IS NOT NULL AND {ids}
"""
HANDED_OVER_SQL = """
SELECT id, handed_over_at, handed_over_by FROM handoff
WHERE {ids}
"""


def _among(conn: object, sql: str, column: str) -> str:
    return sql.format(ids=among(conn, column, "ids"))


_key = person_key


def read_due(db: Database, person: str, today: date, days: int) -> list[DueItem]:
    """Everything due for ``person`` by ``today + days``: overdue and soon-due tasks they
    own, renewal outreach started on their handoffs (open ones, and accepted ones they
    took over), handoffs waiting for their acceptance, open promises they own whose
    handoff is due by then."""
    from transfer_tui.outreach.digest import DueItem

    me = _key(person)
    horizon = shifted(today, days) or LAST_DAY
    keys: dict[str, str] = {}  # a name -> its key: names repeat, so each is folded once

    def key(name: str) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = _key(name)
        return found

    with db.reading_plain() as conn:
        handoffs = {row[0]: row for row in conn.execute(HANDOFFS_SQL)
                    if key(row[2]) == me or key(row[3]) == me}
        outgoing = [h for h, row in handoffs.items() if key(row[2]) == me and row[5] != ACCEPTED]
        incoming = [h for h, row in handoffs.items() if key(row[3]) == me]
        open_incoming = [h for h in incoming if handoffs[h][5] != ACCEPTED]
        tasks: list[tuple] = []
        for side, ids in (("outgoing", outgoing), ("incoming", open_incoming)):
            if ids:
                tasks += conn.execute(_among(conn, TASKS_SQL, "t.handoff_id"), {
                    "ids": values(conn, ids), "side": side,
                    "horizon": horizon.isoformat()}).fetchall()
        mine = sorted(set(outgoing) | set(incoming))
        licensed = dict(conn.execute(_among(conn, LICENSES_SQL, "handoff_id"), {
            "ids": values(conn, [h for h in mine if not handoffs[h][6]]),
            "today": today.isoformat()}).fetchall())
        handed = conn.execute(_among(conn, HANDED_OVER_SQL, "id"), {"ids": values(
            conn, [h for h in incoming if handoffs[h][5] == "handed_over"])}).fetchall()
        promises = [row for row in conn.execute(PROMISES_SQL) if key(row[3]) == me]
        targets = {row[0]: row[1:] for row in conn.execute(_among(conn, TARGETS_SQL, "id"), {
            "ids": values(conn, sorted({row[1] for row in promises}))})}

    # stored dates read tolerantly (a hand-edited one reads as none: check names it), and
    # outreach counted within the range of dates kept (see transfer_tui.dates)
    items = [DueItem("overdue_task" if str(due) < today.isoformat() else "due_task", handoff_id,
                     handoffs[handoff_id][1], title, read_day(due), person, task_id)
             for task_id, handoff_id, title, due in tasks]
    for handoff_id in mine:
        renewal = read_day(handoffs[handoff_id][6] or licensed.get(handoff_id))
        if renewal is not None and moved(renewal, -OUTREACH_DAYS) <= today <= renewal:
            items.append(DueItem("renewal_outreach", handoff_id, handoffs[handoff_id][1],
                                 f"renews {renewal.isoformat()}",
                                 moved(renewal, -OUTREACH_DAYS), person, handoff_id))
    for handoff_id, at, by in handed:
        items.append(DueItem("awaiting_acceptance", handoff_id, handoffs[handoff_id][1],
                             f"handed over by {by or 'the outgoing CSM'}",
                             read_day(at[:10]) if isinstance(at, str) else None, person,
                             handoff_id))
    for record_id, handoff_id, promise, _ in promises:
        target = targets.get(handoff_id)
        if target and (day := read_day(target[0])) is not None and day <= horizon:
            items.append(DueItem("promise_due", handoff_id, target[1], promise, day, person,
                                 record_id))
    return items


class Due:
    """What is due for one person across every handoff; reads only."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def items(self, person: str, today: date, days: int) -> list[DueItem]:
        return read_due(self.db, person, today, days)
