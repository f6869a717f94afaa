"""What is due for one person across every handoff: the query behind ``transfer-tui due``.

Indexed reads only, on the quick connection, in one read transaction: the handoff
lines come from the home screen's covering index (``ix_handoff_home``, with the
license renewal from ``ix_license_handoff``); the person's open tasks due by the
horizon are read through ``ix_task_handoff`` for their handoffs only; open promises
from the promise table. Names are matched the way ``--as`` is everywhere
(:func:`transfer_tui.domain.side_of`). The result is plain
:class:`~transfer_tui.outreach.digest.DueItem` values; the outreach package renders them.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from transfer_tui.domain import Side, side_of
from transfer_tui.store.summary import OUTREACH_DAYS, SUMMARY_SQL, HandoffSummary

if TYPE_CHECKING:
    from transfer_tui.outreach.digest import DueItem
    from transfer_tui.store.database import Database

# Open tasks of some handoffs that one side owns, due by the horizon: ix_task_handoff
# finds each handoff's tasks, so only the person's handoffs are read.
TASKS_SQL = """
SELECT t.id, t.handoff_id, t.title, t.due_date
FROM task AS t
WHERE t.handoff_id IN (SELECT value FROM json_each(:ids))
  AND t.owner IN (:side, 'both')
  AND t.status IN ('todo', 'in_progress', 'blocked')
  AND t.due_date IS NOT NULL AND t.due_date <= :horizon
"""
PROMISES_SQL = """
SELECT p.id, p.handoff_id, p.promise, p.owner FROM promise AS p
WHERE p.status IN ('pending', 'at_risk') AND p.owner <> ''
"""
HANDED_OVER_SQL = """
SELECT id, handed_over_at, handed_over_by FROM handoff
WHERE id IN (SELECT value FROM json_each(:ids))
"""


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def read_due(db: Database, person: str, today: date, days: int) -> list[DueItem]:
    """Everything due for ``person`` by ``today + days``: overdue and soon-due tasks they
    own, renewal outreach started on their handoffs, handoffs waiting for their
    acceptance, open promises they own whose handoff is due."""
    from transfer_tui.outreach.digest import DueItem

    horizon = today + timedelta(days=days)
    with db.reading_plain() as conn:
        lines = [HandoffSummary._make(row) for row in conn.execute(
            SUMMARY_SQL, {"today": today.isoformat()})]
        sides = {s.id: side_of(person, s.outgoing, s.incoming) for s in lines}
        mine = [s for s in lines if sides[s.id] is not Side.NEITHER
                and (s.is_open or sides[s.id] is Side.INCOMING)]
        by_id = {s.id: s for s in lines}
        tasks = []
        for side in (Side.OUTGOING, Side.INCOMING):
            ids = [s.id for s in mine if s.is_open and sides[s.id] is side]
            if ids:
                tasks += conn.execute(TASKS_SQL, {"ids": json.dumps(ids), "side": side.value,
                                                  "horizon": horizon.isoformat()}).fetchall()
        waiting = [s.id for s in mine if s.state == "handed_over"
                   and sides[s.id] is Side.INCOMING]
        handed = conn.execute(HANDED_OVER_SQL, {"ids": json.dumps(waiting)}).fetchall()
        me = _key(person)
        promises = [row for row in conn.execute(PROMISES_SQL) if _key(row[3]) == me]

    items = []
    for task_id, handoff_id, title, due in tasks:
        day = date.fromisoformat(due)
        kind = "overdue_task" if day < today else "due_task"
        items.append(DueItem(kind, handoff_id, by_id[handoff_id].account, title, day,
                             person, task_id))
    for line in mine:
        renewal = line.renewal
        if renewal is not None and renewal - timedelta(days=OUTREACH_DAYS) <= today <= renewal:
            items.append(DueItem("renewal_outreach", line.id, line.account,
                                 f"renews {renewal.isoformat()}",
                                 renewal - timedelta(days=OUTREACH_DAYS), person, line.id))
    for handoff_id, at, by in handed:
        day = date.fromisoformat(at[:10]) if at else None
        items.append(DueItem("awaiting_acceptance", handoff_id, by_id[handoff_id].account,
                             f"handed over by {by or 'the outgoing CSM'}", day, person,
                             handoff_id))
    for record_id, handoff_id, promise, _ in promises:
        line = by_id.get(handoff_id)
        target = line.target_date if line else None
        if line is not None and target is not None and target <= horizon:
            items.append(DueItem("promise_due", handoff_id, line.account, promise, target,
                                 person, record_id))
    return items


class DueMixin:
    """Mixed into :class:`transfer_tui.store.Store`."""

    def due_items(self: Database, person: str, today: date, days: int) -> list[DueItem]:
        return read_due(self, person, today, days)
