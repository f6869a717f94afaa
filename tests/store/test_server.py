"""Team mode: opening a server, what is said when it cannot be, and what it tells us."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import fixed_clock
from tests.server import poke
from transfer_tui.store import DatabaseFileError, Store, StoreError
from transfer_tui.store.engines.url import is_server, redact, server_place


def test_a_password_is_never_shown() -> None:
    assert redact("postgresql://dana:s3cret@db.example.com:5433/handoffs") == (
        "postgresql://dana:***@db.example.com:5433/handoffs")
    assert "s3cret" not in redact("postgresql://dana@db/h?password=s3cret&sslmode=require")
    assert "sslmode=require" in redact("postgresql://dana@db/h?password=s3cret&sslmode=require")
    assert redact("postgresql://db.example.com/h") == "postgresql://db.example.com/h"
    assert server_place("postgresql://dana:x@db.example.com/handoffs") == (
        "db.example.com:5432/handoffs")
    assert is_server("postgresql://x/y") and is_server("postgres://x/y")
    assert not is_server("handoffs.db") and not is_server("/tmp/postgresql/x.db")


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store("postgresql://dana:s3cret@127.0.0.1:1/handoffs", "me")
    message = str(caught.value)
    assert message.startswith("cannot reach the server at 127.0.0.1:1/handoffs")
    assert "s3cret" not in message and "\n" not in message


def test_the_command_line_says_one_line_too(capsys) -> None:
    from transfer_tui.cli import main

    code = main(["--db", "postgresql://dana:s3cret@127.0.0.1:1/handoffs", "list"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "s3cret" not in err
    assert "cannot reach the server at 127.0.0.1:1" in err


def test_a_url_of_another_kind_is_refused_not_made_a_file(in_tmp, monkeypatch) -> None:
    with pytest.raises(DatabaseFileError) as caught:
        Store("mysql://dana:s3cret@db/handoffs", "me")
    assert "PostgreSQL" in str(caught.value) and "s3cret" not in str(caught.value)
    assert not any(in_tmp.rglob("*"))


def test_a_missing_database_says_create_it_first(server_template: str) -> None:
    from tests.server import url_of

    with pytest.raises(DatabaseFileError) as caught:
        Store(url_of("tt_no_such_database"), "me")
    assert "create it first" in str(caught.value)


def test_an_empty_database_gets_the_schema_once_even_from_two_at_once(
        empty_server_url: str) -> None:
    opened: list[Store] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Store(empty_server_url, "me", clock=fixed_clock))
        except BaseException as exc:  # pragma: no cover - the failure is the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(opened) == 4
    handoff = opened[0].create_handoff("Acme", "Dana", "Sam")
    assert [s.id for s in opened[3].summaries()] == [handoff.id]
    for store in opened:
        store.close()


def test_another_programs_tables_are_left_alone(empty_server_url: str) -> None:
    poke(empty_server_url, "CREATE TABLE handoff (x integer)")
    with pytest.raises(DatabaseFileError) as caught:
        Store(empty_server_url, "me")
    assert "not transfer-tui's" in str(caught.value)


def test_a_newer_schema_is_refused(server_url: str) -> None:
    poke(server_url, "UPDATE schema_version SET version = 99")
    with pytest.raises(DatabaseFileError) as caught:
        Store(server_url, "me")
    assert "newer transfer-tui" in str(caught.value)


def test_a_colleagues_save_is_told_by_the_server_not_mine(server_url: str) -> None:
    mine = Store(server_url, "Dana", clock=fixed_clock)
    theirs = Store(server_url, "Sam", clock=fixed_clock)
    try:
        assert not mine.changed_elsewhere()
        handoff = mine.create_handoff("Acme", "Dana", "Sam")
        assert not mine.changed_elsewhere()  # my own save
        task = theirs.checklist(handoff.id).tasks[0]
        theirs.update_task(task.id, status="done")
        deadline = threading.Event()
        for _ in range(50):  # the notification crosses the loopback in well under a second
            if mine.changed_elsewhere():
                break
            deadline.wait(0.02)
        else:
            pytest.fail("no notification of the colleague's save")
        assert not mine.changed_elsewhere()  # told once
    finally:
        mine.close()
        theirs.close()


def _terminate(url: str) -> int:
    """End every connection transfer-tui has to the test's database, as a server restart
    or an administrator would."""
    import psycopg

    from tests.server import ADMIN

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        return len(admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = 'transfer-tui'", (name,)).fetchall())


def _connections(url: str) -> int:
    import psycopg

    from tests.server import ADMIN

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        return admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = 'transfer-tui'", (url.rsplit("/", 1)[1],)).fetchone()[0]


def test_a_person_holds_one_connection_and_one_more_to_listen(server_url: str) -> None:
    """Fifty people fit in a server's default max_connections (100): reads and saves
    share one pooled connection, and only what listens (the app) holds a second."""
    store = Store(server_url, "Dana", clock=fixed_clock)
    try:
        assert _connections(server_url) == 1  # the quick one: no SQLAlchemy yet
        handoff = store.create_handoff("Acme", "Dana", "Sam")
        for task in store.checklist(handoff.id).tasks[:3]:
            store.update_task(task.id, note="one connection")
            assert store.get_task(task.id).note == "one connection"
        assert _connections(server_url) == 1  # the quick one gave way to the pool's
        store.listen()
        assert _connections(server_url) == 2
        assert not store.changed_elsewhere()
    finally:
        store.close()


def test_dropped_connections_are_replaced_and_nothing_is_lost(server_url: str) -> None:
    store = Store(server_url, "Dana", clock=fixed_clock)
    try:
        store.listen()  # as the app does
        handoff = store.create_handoff("Acme", "Dana", "Sam")
        task = store.checklist(handoff.id).tasks[0]
        assert _terminate(server_url) >= 2  # the listening and the pooled ones
        assert [s.id for s in store.summaries()] == [handoff.id]  # reconnected by itself
        # the listening connection is found dropped on a look soon after (the app looks
        # every second), replaced, and that counts as a change: we may have missed one
        assert any(store.changed_elsewhere() for _ in range(3))
        saved = store.update_task(task.id, status="done", note="kept")
        assert (saved.status, saved.note) == ("done", "kept")
        assert store.reconnects >= 2
        assert store.checklist(handoff.id).tasks[0].note == "kept"
    finally:
        store.close()
