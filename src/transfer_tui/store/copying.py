"""Copying a whole database into another: a file into a server, a server into a file.

Every row of every handoff table and every event goes across in ONE transaction on
the target (all or nothing), read from ONE snapshot of the source. Rows are matched by
id (keys are UUIDs on both engines), so a row the target already holds is left as it
is and repeating a copy adds nothing. Afterwards every source id is looked up in the
target again: the counts are verified, not assumed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from transfer_tui.store import rows
from transfer_tui.store.database import driver
from transfer_tui.store.engines.raw import Raw
from transfer_tui.store.errors import StoreError

if TYPE_CHECKING:
    from transfer_tui.store.database import Database

CHUNK = 2000  # rows per INSERT batch: memory stays flat on a big copy


@dataclass
class CopyReport:
    """Per table: rows in the source, rows added, rows the target had already."""

    source: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)
    #: the tidying after a copy into a server failed (the rows are saved all the same)
    untidy: str | None = None

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


def copy_database(source: Database, target: Database) -> CopyReport:
    """Every handoff, record and history row of ``source`` into ``target`` (see above)."""
    if source.target == target.target:
        raise StoreError("the source and the target are the same database: nothing to copy")
    report = CopyReport()
    with source.reading_plain() as src, target.writing() as session:
        dst = driver(session)
        tables = [t for t in rows.handoff_tables(src) if rows.table_columns(dst, t)]
        missing = [t for t in rows.handoff_tables(src) if t not in tables]
        if missing:
            raise StoreError(f"{target.where} has no table {missing[0]}: is it an older "
                             "transfer-tui? Open it once with this one to upgrade it")
        for table in [*tables, rows.EVENT]:
            _copy_table(src, dst, table, report)
    _verify(source, target, [*tables, rows.EVENT], report)
    if target.server is not None and report.added.get(rows.HANDOFF):
        # the handoff rows went through one update per task (bloat), and the planner
        # had no statistics for a fresh copy (it guessed 4.3 million rows for 50,000)
        try:
            target.server.compact_after_bulk(rewrite=True)
        except StoreError as exc:  # every row is saved and checked: say so, not "failed"
            report.untidy = str(exc)
    return report


def _ids(conn: Raw, table: str) -> set[str]:
    return {row[0] for row in conn.execute(f"SELECT id FROM {rows.quote(table)}")}


def _copy_table(src: Raw, dst: Raw, table: str, report: CopyReport) -> None:
    """One table's rows the target lacks. A handoff's progress figures go in at zero: the
    target's own triggers count its tasks and promises in as they arrive."""
    columns = [c for c in rows.table_columns(src, table) if c in rows.table_columns(dst, table)]
    derived = rows.DERIVED.get(table, frozenset())
    have = _ids(dst, table)
    order = " ORDER BY at, rowid" if table == rows.EVENT else ""
    names = ", ".join(map(rows.quote, columns))
    insert = (f"INSERT INTO {rows.quote(table)} ({names}) "
              f"VALUES ({', '.join('?' for _ in columns)})")
    key = columns.index("id")
    seen = added = 0
    for chunk in _chunks(src.execute(f"SELECT {names} FROM {rows.quote(table)}{order}")):
        seen += len(chunk)
        fresh = [tuple(0 if name in derived else value
                       for name, value in zip(columns, row, strict=True))
                 for row in chunk if row[key] not in have]
        if fresh:
            dst.executemany(insert, fresh)
            added += len(fresh)
    report.source[table], report.added[table] = seen, added
    report.present[table] = seen - added


def _chunks(cursor: object) -> Iterator[list[tuple]]:
    while True:
        chunk = cursor.fetchmany(CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            return
        yield chunk


def _verify(source: Database, target: Database, tables: list[str], report: CopyReport
            ) -> None:
    """Every id of the source is in the target now; else say which table falls short."""
    with source.reading_plain() as src:
        wanted = {table: _ids(src, table) for table in tables}
    with target.reading_plain() as dst:
        for table in tables:
            short = len(wanted[table] - _ids(dst, table))
            if short:
                raise StoreError(f"the copy into {target.where} is short of {short} {table} "
                                 "rows after it was saved: run the copy again")
