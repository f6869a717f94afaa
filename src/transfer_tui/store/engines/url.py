"""Telling a server URL from a file path, and showing one without its password.

``--db`` and TRANSFER_TUI_DB take either. A URL is shown (in messages, the
header, logs) only through :func:`redact`: the password, whether in the URL or
in its query (``?password=``), never reaches a screen.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
_SECRET_KEYS = frozenset({"password", "passfile", "sslpassword"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_server(target: object) -> bool:
    """Whether ``--db`` names a server (``postgresql://...``) rather than a file."""
    match = _SCHEME.match(str(target))
    return match is not None and match.group(1).lower() in SCHEMES


def looks_like_url(target: object) -> bool:
    """Any ``scheme://`` at all: a URL of a kind we do not speak is refused, not made a
    file of that name."""
    return bool(_SCHEME.match(str(target)))


def redact(url: str) -> str:
    """The URL with any password replaced by ``***``: the only form ever shown."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not even a URL's shape: show only what comes after any "@"
        return url.rpartition("@")[2]
    netloc = parts.netloc
    if "@" in netloc:
        who, _, where = netloc.rpartition("@")
        user, colon, _password = who.partition(":")
        netloc = f"{user}{':***' if colon else ''}@{where}"
    query = parts.query
    if query:
        pairs = [(k, "***" if k.lower() in _SECRET_KEYS else v)
                 for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def driver_url(url: str) -> str:
    """The URL SQLAlchemy needs: ``postgresql+psycopg://`` (psycopg 3)."""
    scheme, rest = url.split("://", 1)
    if scheme.lower() in ("postgresql", "postgres"):
        scheme = "postgresql+psycopg"
    return f"{scheme}://{rest}"


def libpq_url(url: str) -> str:
    """The URL libpq takes (``postgresql://``), for psycopg's own connections."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.lower() in SCHEMES else url


def server_place(url: str) -> str:
    """host:port/database as people say it, for "cannot reach ..." (no user, no secret)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 5432
    except ValueError:
        return "the server"
    database = unquote(parts.path.lstrip("/")) or "(default database)"
    return f"{host}:{port}/{database}"
