"""Accounts outlive handoffs: a new handoff of an account starts with its current records.

An account is known by its id when it has one, else by its name with case and spacing
ignored (:func:`transfer_tui.store.validate.account_key`). Its current records are
those of its latest handoff; they are copied onto the new one, who wrote each kept,
verification dropped (the new pair checks them again). Plain SQL on an open
connection, so one handoff made in the app and a thousand staged by an import (whose
private file knows none of the shared file's accounts) carry them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from transfer_tui.domain import HandoffState, Turn
from transfer_tui.records.kinds import KINDS
from transfer_tui.store import rows
from transfer_tui.store.engines.raw import is_server
from transfer_tui.store.validate import account_key
from transfer_tui.timefmt import aware

if TYPE_CHECKING:
    from transfer_tui.store.database import Database

RECORD_TABLES = tuple(kind.key for kind in KINDS)
#: Fields about the previous pair that do not hold for the new one: a stakeholder met the
#: last incoming CSM, not this one.
FRESH_FOR_THE_NEW_PAIR: dict[str, dict[str, object]] = {"stakeholder": {"introduced_on": None}}


def latest_of_account(raw: Any, account: str, account_id: str,
                      leave_out: Collection[str] = ()) -> str | None:
    """The id of the account's latest handoff (by its id, else its name), if any, not
    counting the handoffs in ``leave_out``."""
    found = sorted(_account_rows(raw, account, account_id), key=lambda row: str(row[3]),
                   reverse=True)
    key = account_key(account, account_id)
    return next((str(row[0]) for row in found if str(row[0]) not in leave_out
                 and account_key(str(row[1]), str(row[2] or "")) == key), None)


def _account_rows(raw: Any, account: str, account_id: str) -> list[tuple[Any, ...]]:
    """The handoffs that may be the account's (id, account, account_id, created_at): by
    its id, else its name's words in order, any case and spacing; the caller decides by
    :func:`account_key`. A name is looked up in an index from its first word (the
    LIKE's own start): on a file ``ix_handoff_home`` (NOCASE folds ASCII letters, as
    SQLite's LIKE does), on a server ``ix_handoff_account``. Reading every handoff
    instead took 76 ms at 50,000 on a file (0.9 s from a cold disk), on every new
    handoff and every export's account history."""
    if account_id:
        return raw.execute("SELECT id, account, account_id, created_at FROM handoff WHERE "
                           "lower(account_id) = lower(?)", (account_id,)).fetchall()
    words = [re.sub(r"([\\%_])", r"\\\1", word) for word in account.split()]
    params: tuple[str, ...] = ("%".join(words),)
    walk = ""
    if words and not is_server(raw):
        first = account.split()[0]
        walk = " AND account >= ? COLLATE NOCASE AND account < ? COLLATE NOCASE"
        params += (first, first + "\U0010ffff")
    return raw.execute("SELECT id, account, account_id, created_at FROM handoff WHERE "
                       "lower(account) LIKE lower(?) ESCAPE '\\' AND account_id = ''"
                       + walk, params).fetchall()


def latest_handoffs(raw: Any) -> dict[str, str]:
    """Every account's latest handoff, by :func:`account_key`: read once for a bulk
    import, where a lookup per row (a scan of the handoffs) made it slower the more
    handoffs there were."""
    found = raw.execute("SELECT id, account, account_id FROM handoff ORDER BY created_at")
    return {account_key(str(account), str(account_id or "")): str(handoff_id)
            for handoff_id, account, account_id in found}


def carry_records(raw: Any, earlier: str, handoff_id: str) -> list[tuple[str, rows.Row]]:
    """The account's records, as its latest handoff left them, onto a new one: who
    wrote each stays, verification does not, nor a stakeholder's introduction to the
    previous incoming CSM. Returns the rows written, to be logged."""
    from transfer_tui.store.models import new_id

    written = []
    for table in RECORD_TABLES:
        for row in rows.rows_of(raw, table, earlier):
            copy = {**row, "id": new_id(), "handoff_id": handoff_id, "version": 1,
                    "verified_at": None, "verified_by": None,
                    **FRESH_FOR_THE_NEW_PAIR.get(table, {})}
            rows.insert(raw, table, copy)
            written.append((table, copy))
    return written


def carry_into_imported(raw: Any, created: Iterable[Any], latest: dict[str, str]) -> None:
    """After a staged import's copy, in its transaction: each new handoff of an account
    handed off before gets the account's records, logged in the import's own change
    (so undoing the import takes them too). ``latest``: :func:`latest_handoffs` as the
    file was before the copy, read once (a lookup per handoff scanned them all: an
    import took time growing with the square of its rows)."""
    for handoff in created:
        earlier = latest.get(account_key(handoff.account, handoff.account_id or ""))
        if earlier is None:
            continue
        written = carry_records(raw, earlier, handoff.id)
        if not written:
            continue
        made = raw.execute("SELECT change_id, actor, at FROM event WHERE entity = ? AND "
                           "entity_id = ? AND field = 'created'",
                           (rows.HANDOFF, handoff.id)).fetchone()
        change_id, actor, at = made if made else (None, "", None)
        for table, row in written:
            raw.execute("INSERT INTO event (id, change_id, undoes, handoff_id, entity, "
                        "entity_id, field, old, new, actor, at) VALUES "
                        "(?, ?, NULL, ?, ?, ?, 'created', NULL, ?, ?, ?)",
                        (_event_id(), change_id, handoff.id, table, row["id"],
                         rows.to_json(row), actor, at))


def _event_id() -> str:
    from transfer_tui.store.models import ordered_id

    return ordered_id()  # an event's


def account_history(raw: Any, handoff_id: str) -> list[Turn]:
    """Every handoff of the account ``handoff_id`` belongs to, oldest first: who held it,
    when, and when the next one accepted it."""
    found = raw.execute("SELECT account, account_id FROM handoff WHERE id = ?",
                        (handoff_id,)).fetchone()
    if found is None:
        return []
    account, account_id = str(found[0]), str(found[1] or "")
    ids = _same_account(raw, account, account_id) or [handoff_id]
    marks = ", ".join("?" for _ in ids)
    turns = [
        Turn(str(row[0]), str(row[1]), str(row[2]), _moment(row[3]) or datetime.min,
             _state(row[4]), _moment(row[5]), _moment(row[6]),
             None if row[7] is None else str(row[7]), str(row[0]) == handoff_id)
        for row in raw.execute(
            "SELECT id, outgoing, incoming, created_at, state, handed_over_at, accepted_at, "
            f"accepted_by FROM handoff WHERE id IN ({marks})", ids).fetchall()]
    return sorted(turns, key=lambda turn: (turn.started, turn.handoff_id))


def _same_account(raw: Any, account: str, account_id: str) -> list[str]:
    key = account_key(account, account_id)
    return [str(row[0]) for row in _account_rows(raw, account, account_id)
            if account_key(str(row[1]), str(row[2] or "")) == key]


def _moment(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return aware(value)
    try:
        return rows.read_time(str(value))
    except ValueError:
        return None


def _state(value: Any) -> HandoffState:
    try:
        return HandoffState(str(value))
    except ValueError:
        return HandoffState.ACTIVE


class Accounts:
    """An account's handoffs over time (who held it, when); reads only."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def history(self, handoff_id: str) -> list[Turn]:
        """Who held the account of ``handoff_id``, when, and accepted when, oldest first."""
        with self.db.reading_plain() as raw:
            return account_history(raw, handoff_id)
