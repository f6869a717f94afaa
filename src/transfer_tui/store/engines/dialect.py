"""The few things SQL says differently on a file and on a server, each said once here.

Everything else the store sends is the same text on both (see :mod:`.raw`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from transfer_tui.store.engines.raw import is_server

ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def caseless(conn: object, column: str) -> str:
    """A column sorted as SQLite's NOCASE sorts it: ASCII letters folded, then byte order
    (the server's own collation would sort by its locale's rules instead)."""
    if is_server(conn):
        return f"translate({column}, '{ASCII_UPPER}', '{ASCII_UPPER.lower()}') COLLATE \"C\""
    return f"{column} COLLATE NOCASE"


def among(conn: object, column: str, name: str) -> str:
    """``column`` is one of the values of the parameter ``name`` (see :func:`values`)."""
    if is_server(conn):
        return f"{column} = ANY(:{name})"
    return f"{column} IN (SELECT value FROM json_each(:{name}))"


def values(conn: object, items: Sequence[Any]) -> Any:
    """The parameter for :func:`among`: an array on a server, JSON text on a file."""
    return list(items) if is_server(conn) else json.dumps(list(items))


def streamed(conn: Any, sql: str, params: Any) -> Any:
    """A cursor whose rows come as they are fetched: ``sqlite3``'s own does; on a server,
    a server-side cursor (see :meth:`.raw.ServerRaw.execute_streamed`). Close it after."""
    if is_server(conn):
        return conn.execute_streamed(sql, params)
    return conn.execute(sql, params)


def limit(count: int) -> str:
    """``LIMIT n``, or nothing for no limit (SQLite's ``LIMIT -1`` is an error on a server)."""
    return f" LIMIT {int(count)}" if count >= 0 else ""


def contains_folded(conn: object, column: str, name: str) -> str:
    """``column`` holds the parameter ``name`` (a LIKE pattern, ``\\`` escaping) with ASCII
    letters folded on both sides, or holds any letter beyond ASCII (which only Python's
    casefold compares rightly: the caller decides those). One pass over an index in the
    database, instead of every account handed to Python."""
    if is_server(conn):
        folded = f"translate({column}, '{ASCII_UPPER}', '{ASCII_UPPER.lower()}')"
        return f"({folded} LIKE :{name} ESCAPE '\\' OR {column} ~ '[^ -~]')"
    return f"({column} LIKE :{name} ESCAPE '\\' OR {column} GLOB '*[^ -~]*')"
