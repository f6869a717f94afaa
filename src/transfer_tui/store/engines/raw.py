"""Plain SQL on either engine, written once in SQLite's style (``?`` and ``:name``).

The store's hot paths skip the ORM and send plain SQL on the connection of the
session they are in. On a file that is the ``sqlite3`` connection itself; on a
server it is :class:`ServerRaw`, which takes the same SQL and parameters and
gives rows back as SQLite would: dates and times as the text the file keeps
(``2026-11-25`` and ``2026-11-25 09:00:00.000000``, UTC), booleans as 0/1. So a
row read from either engine compares, logs, shares and merges the same way.

What SQL cannot say the same way on both lives in :mod:`.dialect`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|(?<![:\w]):([A-Za-z_]\w*)|%")


@lru_cache(maxsize=512)
def to_pyformat(sql: str, has_params: bool) -> str:
    """``?`` -> ``%s``, ``:name`` -> ``%(name)s``, ``%`` -> ``%%``; quoted text untouched."""
    if not has_params:
        return sql

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%")  # psycopg reads % even inside quotes
    return _TOKEN.sub(swap, sql)


def _adapt(adapters: Any) -> None:
    """Register on a cursor's adapters: what the file gives back, the file's way (see the
    module docstring); whole numbers and flags go as untyped text, which the server reads
    as the column needs (1 into a boolean, 5 into a bigint), as SQLite does."""
    for name, loader in _LOADERS.items():
        adapters.register_loader(name, loader)
    adapters.register_dumper(int, _NUMBER)
    adapters.register_dumper(bool, _NUMBER)


def _classes() -> tuple[dict[str, Any], Any]:
    from psycopg.adapt import Dumper, Loader

    class Text(Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode()

    class Moment(Loader):
        """A time as the file keeps it: UTC (every connection's TimeZone), no offset,
        to the microsecond."""

        def load(self, data: Any) -> str:
            text = bytes(data).decode().removesuffix("+00")
            stamp, dot, fraction = text.partition(".")
            return f"{stamp}.{(fraction if dot else '').ljust(6, '0')}"

    class Flag(Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    class Number(Dumper):
        oid = 0  # unknown: the server infers the type from where the value goes

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()

    return {"date": Text, "timestamp": Moment, "timestamptz": Moment, "bool": Flag}, Number


_LOADERS: dict[str, Any] = {}
_NUMBER: Any = None
_CURSORS = 0  # a name for each server-side cursor (unique on its connection)


class ServerRaw:
    """A psycopg connection that answers the store's plain SQL like ``sqlite3`` would."""

    dialect = "postgresql"

    def __init__(self, conn: Any):
        global _NUMBER
        if _NUMBER is None:
            found, _NUMBER = _classes()
            _LOADERS.update(found)
        self.conn = conn

    def cursor(self) -> Any:
        cursor = self.conn.cursor()
        _adapt(cursor.adapters)
        return cursor

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        cursor = self.cursor()
        cursor.execute(to_pyformat(sql, bool(params)), params or None)
        return cursor

    def execute_streamed(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
                         ) -> Any:
        """``execute`` through a cursor on the server (``DECLARE``; inside the read's
        transaction), so ``fetchmany`` brings one batch at a time: 50,000 handoffs'
        lines were otherwise held whole in the driver's memory (about 20 MB) beside the
        summaries made from them. Close it before the transaction ends."""
        global _CURSORS
        _CURSORS += 1
        cursor = self.conn.cursor(name=f"transfer_tui_{_CURSORS}")
        _adapt(cursor.adapters)
        cursor.execute(to_pyformat(sql, bool(params)), params or None)
        return cursor

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | Mapping[str, Any]]) -> Any:
        cursor = self.cursor()
        cursor.executemany(to_pyformat(sql, True), list(seq))
        return cursor


def is_server(conn: object) -> bool:
    return isinstance(conn, ServerRaw)


#: What the store's plain SQL runs on: a file's connection or a server's.
Raw = sqlite3.Connection | ServerRaw
