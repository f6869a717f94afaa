"""Many handoffs at once (a realignment): all in one transaction, none twice.

The rows arrive checked (see :mod:`transfer_tui.importer`); here they are
written together, so a failure leaves nothing half-imported. An account that
is already in an open (not yet accepted) handoff to the same incoming person
is reported and skipped, so importing the same file twice adds nothing.

A big import is staged. With a rollback journal, a writer keeps readers out
from the moment its changes no longer fit in memory until it commits; 20,000
handoffs (about a GB of tasks and history) written in one transaction would keep
everyone's list and checklist out for the whole minute or two it takes. So
beyond STAGE_FROM rows, every handoff is first made in a private database of the
same schema (in the temporary folder; the shared file is not even locked, so
colleagues keep reading and saving meanwhile), then copied into the shared file
in ONE transaction of plain ``INSERT ... SELECT``: all or nothing as before, and
readers wait only while that copy is written, a tenth of the time or less. The
trade-off: the temporary folder needs room for the imported handoffs once more
while it runs (a killed import leaves that private file behind in it).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from transfer_tui.domain import HandoffState, person_key
from transfer_tui.store import rows as table_rows
from transfer_tui.store.accounts import carry_into_imported, latest_handoffs
from transfer_tui.store.connection import connect
from transfer_tui.store.handoffs import account_key, same_person

if TYPE_CHECKING:

    from transfer_tui.playbooks import Playbook
    from transfer_tui.store.database import Database
    from transfer_tui.store.handoffs import Handoffs

STAGE_FROM = 200  # rows: fewer are written straight into the shared file
# The copy's page cache: readers are kept out once it is full (an import of about 600
# handoffs fits). Bigger would keep them in longer, at the cost of memory: 64 MB made a
# 10,000-row import peak at 146 MB, past its 150 MB target at 50,000.
COPY_CACHE_KIB = 32 * 1024


@dataclass(frozen=True)
class NewHandoff:
    """One checked row: clean field values (as check_new_handoff returns them) and a playbook."""

    line: int
    fields: dict
    playbook: Playbook | None = None


class Created(NamedTuple):
    """A handoff an import made, as the command lists it: a few fields, not the model
    object (50,000 of those, kept until the end, took hundreds of MB). It also stands
    for itself among the open handoffs a later row is checked against."""

    id: str
    account: str
    outgoing: str
    incoming: str
    target_date: date | None
    playbook_name: str
    account_id: str = ""  # the account it belongs to, with its name (carry-over)
    line: int = 0  # of the CSV

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def state(self) -> str:
        return HandoffState.ACTIVE.value


class OpenHandoff(NamedTuple):
    """A handoff not yet accepted, as an import checks a row against it."""

    id: str
    incoming: str
    state: str

    @property
    def short_id(self) -> str:
        return self.id[:8]


@dataclass
class BulkResult:
    created: list[Created] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


_key = person_key  # accounts too are matched ignoring case and spacing


class Bulk:
    """Many handoffs at once (``import``), through Handoffs, in one transaction."""

    def __init__(self, db: Database, handoffs: Handoffs) -> None:
        self.db = db
        self.handoffs = handoffs

    def create(self, rows: Collection[NewHandoff]) -> BulkResult:
        """Every row, in one transaction; ``rows`` may be walked lazily (a file read as it
        goes: see :class:`transfer_tui.importer.ImportRows`), and only once."""
        if len(rows) < STAGE_FROM or self.db.server is not None:  # a server never locks readers
            with self.db.writing() as session:
                result = _create(self.handoffs, session, rows, _open_handoffs(session))
            if self.db.server is not None and len(result.created) >= STAGE_FROM:
                self.db.server.compact_after_bulk(rewrite=False)
            return result
        return _staged(self.db, rows)

    def plan(self, rows: Iterable[NewHandoff]
                      ) -> tuple[list[NewHandoff], list[tuple[int, str]]]:
        """What ``create_handoffs`` would do now, writing nothing: the rows it would
        create, and (line, why) for those it would skip (``import --dry-run``)."""
        with self.db.reading() as session:
            taken = _open_handoffs(session)
        creating: list[NewHandoff] = []
        skipped: list[tuple[int, str]] = []
        for row in rows:  # the file holds no row twice (the importer refuses that)
            why = _skip_reason(taken, row)
            if why is None:
                creating.append(row)
            else:
                skipped.append((row.line, why))
        return creating, skipped


Taken = dict[tuple[str, str], OpenHandoff | Created]  # by (account, incoming person)


def _open_handoffs(session: object) -> Taken:
    """Every handoff not yet accepted, by (account, incoming person)."""
    from transfer_tui.store.database import driver

    found = driver(session).execute(  # type: ignore[arg-type]
        "SELECT id, account, incoming, state FROM handoff WHERE state != ?",
        (HandoffState.ACCEPTED.value,))
    return {(_key(account), _key(incoming)): OpenHandoff(handoff_id, incoming, state)
            for handoff_id, account, incoming, state in found}


def _create(handoffs: Handoffs, session: Any, rows: Iterable[NewHandoff],
            taken: Taken) -> BulkResult:
    """Each row in turn, the session emptied as it goes: memory stays flat however many."""
    from transfer_tui.playbooks import DEFAULT_PLAYBOOK, get_builtin
    from transfer_tui.store.database import driver

    default = get_builtin(DEFAULT_PLAYBOOK)  # read once, not once per row
    latest = latest_handoffs(driver(session))
    result = BulkResult()
    shared: dict[Any, Any] = {}  # people, dates, playbook, state: one object each, not
    share = shared.setdefault      # one per row (50,000 rows: about 12 MB less)
    for row in rows:
        why = _skip_reason(taken, row)
        if why is not None:
            result.skipped.append((row.line, why))
            continue
        key = account_key(row.fields["account"], row.fields.get("account_id", ""))
        handoff = handoffs.insert(session, row.fields, row.playbook or default,
                                  earlier=latest.get(key))
        latest[key] = handoff.id
        made = Created(
            handoff.id, handoff.account, share(handoff.outgoing, handoff.outgoing),
            share(handoff.incoming, handoff.incoming),
            share(handoff.target_date, handoff.target_date),
            share(handoff.playbook_name, handoff.playbook_name), handoff.account_id or "",
            row.line)
        result.created.append(made)
        account, incoming = _row_key(row)
        taken[account, share(incoming, incoming)] = made
        session.expunge(handoff)
    return result


def _row_key(row: NewHandoff) -> tuple[str, str]:
    return _key(row.fields["account"]), _key(row.fields["incoming"])


def _skip_reason(taken: Taken, row: NewHandoff) -> str | None:
    """Why the row is not added (its account is already in an open handoff to the same
    incoming CSM), or None."""
    account, incoming = row.fields["account"], row.fields["incoming"]
    existing = taken.get(_row_key(row))
    if existing is not None and same_person(existing.incoming, incoming):
        return _already(account, existing)
    return None


def _already(account: str, existing: OpenHandoff | Created) -> str:
    return (f"{account} is already in an open handoff to {existing.incoming} "
            f"(id {existing.short_id}, {HandoffState(existing.state).label}): not added")


def _staged(store: Database, rows: Iterable[NewHandoff]) -> BulkResult:
    """Make the handoffs in a private database, then copy them in one transaction."""
    from transfer_tui.store import Store

    with store.reading() as session:
        taken = _open_handoffs(session)
    with tempfile.TemporaryDirectory(prefix="transfer-tui-import-") as folder:
        staging_path = Path(folder) / "import.db"
        staging = Store(staging_path, store.user, clock=store.now)
        try:
            with staging.writing() as session:
                result = _create(staging.handoffs, session, rows, dict(taken))
        finally:
            staging.close()
        if result.created:
            _copy_in(store, staging_path, result)
    return result


def _copy_in(store: Database, staging_path: Path, result: BulkResult) -> None:
    """Every staged row into the shared file in one transaction, skipping handoffs someone
    else opened for the same account and person while we staged (and saying so)."""
    assert store.path is not None  # staged only on a file
    conn = connect(store.path)
    try:
        conn.execute(f"PRAGMA cache_size = -{COPY_CACHE_KIB}")
        conn.execute("ATTACH DATABASE ? AS staging", (str(staging_path),))
        store.retry(lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            _drop_taken_meanwhile(conn, result)
            latest = latest_handoffs(conn)  # before the copy: the private file knew none
            for table in table_rows.handoff_tables(conn):
                _copy_table(conn, table)
            _copy_table(conn, table_rows.EVENT)
            carry_into_imported(conn, result.created, latest)
            store.retry(lambda: conn.execute("COMMIT"))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        from transfer_tui.store.database import _translate

        raise _translate(exc, store.path, "saving to") from None
    finally:
        if not conn.in_transaction:
            conn.execute("DETACH DATABASE staging")
        conn.close()
    store.saw_own_save()


def _drop_taken_meanwhile(conn: sqlite3.Connection, result: BulkResult) -> None:
    taken = {(_key(account), _key(incoming)): (incoming, handoff_id)
             for handoff_id, account, incoming in conn.execute(
                 "SELECT id, account, incoming FROM main.handoff WHERE state != ?",
                 (HandoffState.ACCEPTED.value,))}
    kept = []
    for handoff in result.created:
        found = taken.get((_key(handoff.account), _key(handoff.incoming)))
        if found is None or not same_person(found[0], handoff.incoming):
            kept.append(handoff)
            continue
        result.skipped.append((handoff.line, (
            f"{handoff.account} was added to an open handoff to {found[0]} (id "
            f"{found[1][:8]}) by someone else while this import ran: not added")))
        for table in reversed(table_rows.handoff_tables(conn)):
            owner = table_rows.owner_column(table)
            conn.execute(f"DELETE FROM staging.{table_rows.quote(table)} WHERE "
                         f"{table_rows.quote(owner)} = ?", (handoff.id,))
        conn.execute("DELETE FROM staging.event WHERE handoff_id = ?", (handoff.id,))
    result.created = kept


def _copy_table(conn: sqlite3.Connection, table: str) -> None:
    """All rows of one table, column by column; the handoffs' progress figures start at
    zero, since the triggers count the tasks and promises in again as they arrive."""
    columns = list(table_rows.table_columns(conn, table))
    derived = table_rows.DERIVED.get(table, frozenset())
    names = ", ".join(map(table_rows.quote, columns))
    values = ", ".join("0" if c in derived else table_rows.quote(c) for c in columns)
    conn.execute(f"INSERT INTO main.{table_rows.quote(table)} ({names}) "
                 f"SELECT {values} FROM staging.{table_rows.quote(table)}")
