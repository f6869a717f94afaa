"""The lead's figures are portable SQL: the very statements store/team.py runs on SQLite
give the same answers on PostgreSQL 15 (run through psql, which binds :today as the store
does), on a copy of the demo handoffs. Skipped where no PostgreSQL server answers."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import datetime

import pytest

from tests.conftest import TODAY
from tests.server import no_server
from transfer_tui.store import team

PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
COLUMNS = {  # what the statements read, with PostgreSQL's types
    "handoff": {"id": "TEXT PRIMARY KEY", "account": "TEXT", "outgoing": "TEXT",
                "incoming": "TEXT", "state": "TEXT", "target_date": "DATE",
                "renewal_date": "DATE", "created_at": "TIMESTAMP",
                "handed_over_at": "TIMESTAMP", "tasks_done": "INTEGER",
                "tasks_total": "INTEGER", "promises_fulfilled": "INTEGER",
                "promises_total": "INTEGER"},
    "task": {"id": "TEXT", "handoff_id": "TEXT", "owner": "TEXT", "status": "TEXT",
             "due_date": "DATE"},
    "promise": {"id": "TEXT", "handoff_id": "TEXT", "owner": "TEXT", "status": "TEXT"},
    "license": {"id": "TEXT", "handoff_id": "TEXT", "renewal_date": "DATE"},
}
STATEMENTS = ["TOTALS_SQL", "BY_PAIR_SQL", "OVERDUE_TASKS_SQL", "PROMISES_SQL",
              "BY_TARGET_SQL", "HANDOFF_ROWS_SQL"]


def _psql(*args: str, sql: str | None = None) -> str:
    return subprocess.run([*PSQL, *args], input=sql, capture_output=True, text=True,
                          check=True, timeout=60).stdout


@pytest.fixture
def postgres():
    if shutil.which("psql") is None:
        no_server("no psql")
    try:
        _psql("-d", "postgres", "-c", "SELECT 1")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        no_server("127.0.0.1:5432 does not answer")
    name = f"tt_team_{uuid.uuid4().hex[:12]}"
    _psql("-d", "postgres", "-c", f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        _psql("-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {name}")


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _same(value: str) -> str:
    """A cell as both engines print it: times to the second, no trailing zeros."""
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return value


def test_the_figures_are_the_same_on_postgresql(demo_store, postgres) -> None:
    script = []
    for table, columns in COLUMNS.items():
        script.append(f"CREATE TABLE {table} ("
                      + ", ".join(f"{c} {t}" for c, t in columns.items()) + ");")
        for row in demo_store.query(f"SELECT {', '.join(columns)} FROM {table}"):
            script.append(f"INSERT INTO {table} VALUES ({', '.join(map(_literal, row))});")
    _psql("-d", postgres, sql="\n".join(script))
    params = {"today": TODAY.isoformat()}
    for name in STATEMENTS:
        sql = getattr(team, name)
        on_sqlite = sorted("|".join(_same("" if v is None else str(v)) for v in row)
                           for row in demo_store.query(sql, params))
        printed = _psql("-d", postgres, "-A", "-t", "-F", "|", "-v",
                        f"today='{TODAY.isoformat()}'", sql=sql)
        on_postgres = sorted("|".join(_same(cell) for cell in line.split("|"))
                             for line in printed.splitlines() if line)
        assert on_postgres == on_sqlite, name
        assert on_sqlite, name  # the demo gives every statement rows to compare
