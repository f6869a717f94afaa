"""An older server schema is upgraded: every step, in one transaction, nothing lost.

The fixture is a real schema-5 server database (the first server schema), made by the
app as of team mode's first commit, with two handoffs, task changes and records (see the
header of tests/fixtures/server-schema-5.sql). The file side's counterpart upgrades the
0.1.0 release file (tests/store/test_migration.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from transfer_tui.store import DatabaseFileError, Store, StoreError
from transfer_tui.store.migrations import LATEST

FIXTURE = Path(__file__).parent.parent / "fixtures" / "server-schema-5.sql"
ACME = "5a5a5a5a-0000-4000-8000-000000000001"


def _sql(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    from transfer_tui.store.engines.url import libpq_url

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def v5_url(empty_server_url: str) -> str:
    """A database holding the schema-5 fixture: tables, triggers, indexes and rows."""
    _sql(empty_server_url, FIXTURE.read_text(encoding="utf-8"))
    assert _sql(empty_server_url, "SELECT version FROM schema_version") == [(5,)]
    return empty_server_url


def _columns(url: str) -> set[tuple[str, str, str, str]]:
    """Every column of every table: name, type (varchar and text are one), nullability."""
    rows = _sql(url, "SELECT table_name, column_name, data_type, is_nullable FROM "
                "information_schema.columns WHERE table_schema = 'public'")
    return {(t, c, "text" if d == "character varying" else d, n) for t, c, d, n in rows}


def _indexes(url: str) -> set[str]:
    return {name for (name,) in _sql(url, "SELECT indexname FROM pg_indexes "
                                          "WHERE schemaname = 'public'")}


def _counts(url: str) -> dict[str, int]:
    return {table: _sql(url, f'SELECT count(*) FROM "{table}"')[0][0]
            for table in ("handoff", "task", "event", "stakeholder", "license")}


def test_init_server_upgrades_schema_5_and_every_row_survives(
        capsys, v5_url: str, server_url: str) -> None:
    from transfer_tui.cli import main

    before = _counts(v5_url)
    assert main(["--as", "Dana Whitfield", "init-server", v5_url]) == 0
    out = capsys.readouterr().out
    assert f"from schema 5 to {LATEST}, in one transaction" in out and "Done" in out
    assert _sql(v5_url, "SELECT version FROM schema_version") == [(LATEST,)]
    assert _counts(v5_url) == before  # nothing lost, nothing added
    # the same tables, columns and indexes as a database made new by this version
    assert _columns(v5_url) == _columns(server_url)
    assert _indexes(v5_url) == _indexes(server_url)
    store = Store(v5_url, "Sam Okafor")
    try:
        assert store.migrated_from is None  # init-server did it: nothing left to do
        tasks = store.handoffs.checklist(ACME).tasks
        assert (tasks[0].status, tasks[0].note) == ("done", "Kickoff done; notes in the CRM")
        assert (tasks[1].status, tasks[1].note) == ("blocked", "Waiting on legal")
        (priya,) = store.records.of_handoff(ACME)["stakeholder"]
        assert priya.values["name"] == "Priya Raman"
        assert priya.values["sponsor"] is False and priya.values["email"] == ""  # step 7
        summary = {s.account: s for s in store.handoffs.summaries()}["Acme Corp"]
        assert (summary.done, summary.blocked) == (1, 1)  # the counters' triggers kept
        saved = store.tasks.update(tasks[2].id, status="done", note="after the upgrade")
        assert saved.version == tasks[2].version + 1
    finally:
        store.close()
    assert _sql(v5_url, "SELECT count(*) FROM event WHERE handoff_id = %s AND field = 'note'",
                (ACME,)) == [(3,)]  # two from before the upgrade, one after


def test_opening_the_app_upgrades_too(v5_url: str) -> None:
    store = Store(v5_url, "Sam Okafor")
    try:
        assert store.migrated_from == 5
        assert len(store.handoffs.checklist(ACME).tasks) == _counts(v5_url)["task"] - len(
            store.handoffs.checklist("5a5a5a5a-0000-4000-8000-000000000002").tasks)
    finally:
        store.close()
    assert _sql(v5_url, "SELECT version FROM schema_version") == [(LATEST,)]


def test_a_step_that_fails_leaves_the_whole_schema_as_it_was(v5_url: str) -> None:
    """Step 7's last statement fails (its column is there already): step 6's index and
    step 7's first columns, run before it in the same transaction, are gone too."""
    _sql(v5_url, "ALTER TABLE handoff ADD COLUMN ready_rules TEXT")
    columns, indexes, counts = _columns(v5_url), _indexes(v5_url), _counts(v5_url)
    with pytest.raises(StoreError) as caught:
        Store(v5_url, "Sam Okafor")
    message = str(caught.value)
    assert "to schema 7" in message and "left as it was (schema 5)" in message
    assert "\n" not in message
    assert _sql(v5_url, "SELECT version FROM schema_version") == [(5,)]
    assert "ix_task_due" not in _indexes(v5_url)  # step 6 rolled back with step 7
    assert (_columns(v5_url), _indexes(v5_url), _counts(v5_url)) == (columns, indexes, counts)


def test_read_only_never_upgrades(v5_url: str) -> None:
    with pytest.raises(DatabaseFileError) as caught:
        Store(v5_url, "Sam Okafor", readonly=True)
    assert "older schema 5" in str(caught.value) and "init-server" in str(caught.value)
    assert _sql(v5_url, "SELECT version FROM schema_version") == [(5,)]


def test_an_index_added_after_the_schema_version_is_made_at_the_next_start(
        server_url: str) -> None:
    """The change log's order (rowid) is indexed on a server at the latest schema that
    lacks it, without a schema step; where the log stands is then read from the index."""
    from transfer_tui.store.engines.server_schema import LATE_INDEXES

    Store(server_url, "Dana Whitfield").close()
    assert set(LATE_INDEXES) <= _indexes(server_url)  # a new schema has them
    for name in LATE_INDEXES:
        _sql(server_url, f"DROP INDEX {name}")
    store = Store(server_url, "Dana Whitfield")  # the tests' login administers the server
    try:
        assert set(LATE_INDEXES) <= _indexes(server_url)
        assert store.migrated_from is None  # no schema step ran
        import psycopg

        from transfer_tui.store.engines.url import libpq_url

        with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
            conn.execute("SET enable_seqscan = off")  # the table is empty here
            plan = conn.execute("EXPLAIN SELECT coalesce(max(rowid), 0) FROM event")
            assert "ix_event_rowid" in " ".join(line for (line,) in plan.fetchall())
            plan = conn.execute("EXPLAIN SELECT id FROM handoff WHERE lower(account) LIKE "
                                "lower(%s) ESCAPE '\\'", ("Acme%Corp",))
            assert "ix_handoff_account" in " ".join(line for (line,) in plan.fetchall())
        assert store.handoffs.change_mark() == 0
    finally:
        store.close()


def test_a_late_index_never_waits_without_end_for_a_colleagues_open_save(
        server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A transaction left open after a write (psql) would hold an administrator's start,
    making the index, for ever (and every save behind it): the start goes on without it,
    and the next start makes it."""
    import psycopg

    from transfer_tui.store.engines import server_schema
    from transfer_tui.store.engines.url import libpq_url

    monkeypatch.setattr(server_schema, "LATE_INDEX_WAIT", "100ms")
    Store(server_url, "Dana Whitfield").close()
    _sql(server_url, "DROP INDEX ix_event_rowid")
    done = threading.Event()
    with psycopg.connect(libpq_url(server_url)) as colleague:
        colleague.execute("LOCK TABLE event IN ROW EXCLUSIVE MODE")  # as a save holds it

        def start() -> None:
            Store(server_url, "Dana Whitfield").close()
            done.set()

        threading.Thread(target=start, daemon=True).start()
        started = done.wait(60)  # not a timing: without the fix it waits for the save
        colleague.rollback()
    assert started
    assert "ix_event_rowid" not in _indexes(server_url)
    Store(server_url, "Dana Whitfield").close()
    assert "ix_event_rowid" in _indexes(server_url)
