"""Merging a shared handoff file into my database, row by row and field by field.

How merge knows who changed what. Every change is an event with a unique id,
and a share file carries the handoff's whole event log. So for each row, the
events only *they* have (ids not in my log) are their changes since our copies
last met, and the events only *I* have are mine. Field by field:

- the same value on both sides: nothing to do;
- only their events touch the field: take theirs; only mine: keep mine;
- both sides' events touch it: changed on both sides, so the later change (the
  later event time) wins, and the pair is listed as a conflict with both values;
- no event explains the difference (rows changed without history): the row with
  the higher version, then the later change time, wins.

Rows only they have are added (unless I deleted them after their last change);
rows they deleted (a "deleted" event I have not seen) go, unless I changed them
since. Their events are then added to mine, deduplicated by id. Merging the
same file again finds no event I have not seen, hence changes nothing; and once
each side has merged the other's file, both hold the same rows. Table-agnostic:
it works on every table that has a ``handoff_id`` (see :mod:`.rows`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from transfer_tui.store import rows
from transfer_tui.store.engines.raw import Raw


@dataclass(frozen=True)
class MergeConflict:
    """One field (or row) changed on both sides; ``kept`` says whose change stands."""

    table: str
    row_id: str
    subject: str
    field: str
    mine: str | None
    theirs: str | None
    my_by: str
    my_at: datetime | None
    their_by: str
    their_at: datetime | None
    kept: str  # "mine" or "theirs"


@dataclass
class MergeReport:
    accounts: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    removed: int = 0
    events: int = 0
    conflicts: list[MergeConflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.events)


def _latest(events: list[rows.Row]) -> rows.Row:
    return max(events, key=lambda e: e["at"])


class HandoffMerge:
    """One handoff of a share file merged into my database (inside my transaction)."""

    def __init__(self, mine: Raw, theirs: sqlite3.Connection, handoff_id: str,
                 report: MergeReport):
        self.mine, self.theirs, self.handoff_id, self.report = mine, theirs, handoff_id, report
        my_log = {e["id"]: e for e in rows.events_of(mine, handoff_id)}
        their_log = {e["id"]: e for e in rows.events_of(theirs, handoff_id)}
        self.their_new_events = [e for i, e in their_log.items() if i not in my_log]
        self.my_new = self._by_row(e for i, e in my_log.items() if i not in their_log)
        self.their_new = self._by_row(self.their_new_events)

    @staticmethod
    def _by_row(events) -> dict[str, list[rows.Row]]:
        grouped: dict[str, list[rows.Row]] = {}
        for event in events:
            grouped.setdefault(event["entity_id"], []).append(event)
        return grouped

    def _changes(self, side: dict[str, list[rows.Row]], row_id: str, name: str
                 ) -> list[rows.Row]:
        return [e for e in side.get(row_id, []) if e["field"] == name]

    def run(self) -> None:
        theirs_handoff = rows.fetch(self.theirs, rows.HANDOFF, self.handoff_id) or {}
        account = theirs_handoff.get("account", self.handoff_id)
        deleted_here = self._changes(self.my_new, self.handoff_id, "deleted")
        if deleted_here and rows.fetch(self.mine, rows.HANDOFF, self.handoff_id) is None:
            gone = _latest(deleted_here)
            self.report.skipped.append(f"{account}: deleted here by {gone['actor']} on "
                                       f"{gone['at'][:10]}, so nothing of it was merged")
            return
        self.report.accounts.append(account)
        tables = [t for t in rows.handoff_tables(self.theirs)
                  if rows.table_columns(self.mine, t)]
        for table in tables:
            mine = {r["id"]: r for r in rows.rows_of(self.mine, table, self.handoff_id)}
            for row in rows.rows_of(self.theirs, table, self.handoff_id):
                if row["id"] in mine:
                    self._reconcile(table, mine[row["id"]], row)
                else:
                    self._bring_in(table, row)
        for table in reversed(tables):
            theirs = {r[0] for r in self.theirs.execute(
                f"SELECT id FROM {rows.quote(table)} WHERE {rows.owner_column(table)} = ?",
                (self.handoff_id,))}
            for row in rows.rows_of(self.mine, table, self.handoff_id):
                if row["id"] not in theirs:
                    self._maybe_remove(table, row)
        for event in self.their_new_events:
            rows.insert(self.mine, rows.EVENT, event)
        self.report.events += len(self.their_new_events)
        rows.recount(self.mine, self.handoff_id)

    def _edits(self, side: dict[str, list[rows.Row]], row_id: str) -> list[rows.Row]:
        return [e for e in side.get(row_id, []) if e["field"] not in ("created", "deleted")]

    def _bring_in(self, table: str, row: rows.Row) -> None:
        """A row only they have: new, or one I deleted (it stays deleted unless they
        changed it after I deleted it)."""
        deleted = self._changes(self.my_new, row["id"], "deleted")
        if deleted:
            gone, edits = _latest(deleted), self._edits(self.their_new, row["id"])
            if not edits or _latest(edits)["at"] <= gone["at"]:
                return
            self._conflict(table, row, "row", "deleted", "changed", gone, _latest(edits),
                           "theirs")
        rows.insert(self.mine, table, row)
        self.report.added += 1

    def _maybe_remove(self, table: str, row: rows.Row) -> None:
        """A row only I have: new here, or one they deleted (it goes unless I changed it
        since)."""
        deleted = self._changes(self.their_new, row["id"], "deleted")
        if not deleted:
            return
        gone, edits = _latest(deleted), self._edits(self.my_new, row["id"])
        if edits and _latest(edits)["at"] > gone["at"]:
            self._conflict(table, row, "row", "changed", "deleted", _latest(edits), gone,
                           "mine")
            return
        rows.delete(self.mine, table, row["id"])
        self.report.removed += 1

    def _reconcile(self, table: str, mine: rows.Row, theirs: rows.Row) -> None:
        at_column, by_column = rows.stamp_columns(list(mine))
        skip = rows.META | rows.DERIVED.get(table, frozenset())
        taken: rows.Row = {}
        for name in mine:
            if name in skip or name not in theirs or mine[name] == theirs[name]:
                continue
            my_edits = self._changes(self.my_new, mine["id"], name)
            their_edits = self._changes(self.their_new, mine["id"], name)
            if their_edits and my_edits:
                mine_last, theirs_last = _latest(my_edits), _latest(their_edits)
                winner = "theirs" if theirs_last["at"] > mine_last["at"] else "mine"
                self._conflict(table, mine, name, rows.as_text(mine[name]),
                               rows.as_text(theirs[name]), mine_last, theirs_last, winner)
                if winner == "theirs":
                    taken[name] = theirs[name]
            elif their_edits or (not my_edits and (theirs.get("version") or 0,
                                                   theirs.get(at_column) or "") >
                                 (mine.get("version") or 0, mine.get(at_column) or "")):
                taken[name] = theirs[name]
        later = (theirs.get(at_column) or "") > (mine.get(at_column) or "")
        if not taken:
            if table == rows.HANDOFF and later:  # when it last changed, for the list
                rows.update(self.mine, table, mine["id"], {at_column: theirs[at_column],
                                                           by_column: theirs[by_column]})
            return
        merged = {**mine, **taken}
        whole = all(merged[n] == theirs[n] for n in mine if n not in skip and n in theirs)
        stamps: rows.Row = {}
        if whole and (theirs.get("version") or 0) > (mine.get("version") or 0):
            stamps = {n: theirs[n] for n in ("version", at_column, by_column) if n in theirs}
        else:
            if "version" in mine:
                stamps["version"] = max(mine["version"] or 0, theirs.get("version") or 0) + 1
            if later:
                stamps.update({at_column: theirs[at_column], by_column: theirs[by_column]})
        rows.update(self.mine, table, mine["id"], {**taken, **stamps})
        self.report.updated += 1

    def _conflict(self, table: str, row: rows.Row, name: str, mine: str | None,
                  theirs: str | None, my_event: rows.Row, their_event: rows.Row,
                  kept: str) -> None:
        self.report.conflicts.append(MergeConflict(
            table=table, row_id=row["id"], subject=rows.label_of(table, row), field=name,
            mine=mine, theirs=theirs, my_by=my_event["actor"],
            my_at=rows.read_time(my_event["at"]), their_by=their_event["actor"],
            their_at=rows.read_time(their_event["at"]), kept=kept))
