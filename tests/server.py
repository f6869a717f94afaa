"""A PostgreSQL database of its own for each test that needs a server (team mode).

The server is the one at TRANSFER_TUI_TEST_SERVER (default: 127.0.0.1:5432, user
postgres, trust authentication). Each test gets a fresh database made from a template
that already holds the schema (one per test process), dropped after the test. Without
a server the tests that need one are skipped and say so, except under CI=true, where a
missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import NoReturn

import pytest

ADMIN = os.environ.get("TRANSFER_TUI_TEST_SERVER",
                       "postgresql://postgres@127.0.0.1:5432/postgres")


def no_server(why: str) -> NoReturn:
    """Skip a test that needs the server on a laptop without one; in CI (CI=true) the
    server is always there, so its absence fails the run instead of hiding tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"no PostgreSQL server for the server tests: {why}")
    pytest.skip(f"no PostgreSQL server: {why}")


def _admin():
    import psycopg

    return psycopg.connect(ADMIN, autocommit=True, connect_timeout=3)


def url_of(name: str) -> str:
    base, _, _ = ADMIN.rpartition("/")
    return f"{base}/{name}"


def create_database(template: str | None = None) -> str:
    name = "tt_" + uuid.uuid4().hex[:20]
    with _admin() as admin:
        suffix = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{suffix}')
    return name


def drop_database(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server_template() -> Iterator[str]:
    """A database holding the latest schema and nothing else, copied for each test."""
    try:
        name = create_database()
    except Exception as exc:
        no_server(f"{ADMIN} ({type(exc).__name__}: {exc})")
    from transfer_tui.store import Store

    Store(url_of(name), "setup").close()
    yield name
    drop_database(name)


@pytest.fixture
def server_url(server_template: str) -> Iterator[str]:
    """A fresh, empty transfer-tui database on the server, for one test."""
    name = create_database(server_template)
    yield url_of(name)
    drop_database(name)


@pytest.fixture
def empty_server_url(server_template: str) -> Iterator[str]:
    """A fresh database with no schema at all (what a DBA hands over)."""
    name = create_database()
    yield url_of(name)
    drop_database(name)


def poke(target: str, sql: str, params: tuple = ()) -> None:
    """Change the database behind the store's back, as another program would (a file
    edited with sqlite3, a server row changed in psql): one statement, committed."""
    from transfer_tui.store.engines.url import is_server, libpq_url

    if is_server(target):
        import psycopg

        with psycopg.connect(libpq_url(target), autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)
        return
    import sqlite3

    conn = sqlite3.connect(target)
    with conn:
        conn.execute(sql, params)
    conn.close()
