"""A copy into a server rewrites the handoff table afterwards (VACUUM FULL): never while
someone reads it, which would make the copy wait for them without end and every
colleague's read of the list queue behind it."""

from __future__ import annotations

import threading

import psycopg

from transfer_tui.store import Store
from transfer_tui.store.engines import postgres
from transfer_tui.store.engines.url import libpq_url


def _vacuumed(url: str) -> bool:
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute("SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables "
                           "WHERE relname = 'handoff'").fetchone()
    return bool(row and row[0])


def test_a_copys_rewrite_gives_way_to_a_colleagues_open_read(server_url: str,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(postgres, "REWRITE_WAIT", "100ms")
    store = Store(server_url, "Ann")
    reader = psycopg.connect(libpq_url(server_url))  # a transaction left open (psql, pg_dump)
    try:
        reader.execute("SELECT count(*) FROM handoff").fetchone()
        assert store.server is not None
        done = threading.Event()
        errors: list[BaseException] = []

        def compact() -> None:
            try:
                store.server.compact_after_bulk(rewrite=True)
            except BaseException as exc:
                errors.append(exc)
            finally:
                done.set()

        threading.Thread(target=compact, daemon=True).start()
        finished = done.wait(60)  # not a timing: without the fix it waits for the reader
        reader.rollback()
        done.wait(60)
        assert finished and not errors
        assert _vacuumed(server_url)  # the dead versions cleared all the same
    finally:
        reader.close()
        store.close()


def test_a_copy_whose_tidying_fails_still_says_it_is_saved(server_url: str, tmp_path,
                                                           monkeypatch, capsys) -> None:
    """The rows are committed and checked before the tidying: its failure (a dropped
    connection) is a warning, exit 0, not 'the copy failed'."""
    from transfer_tui.cli import main
    from transfer_tui.store import StoreError

    def fails(self, *, rewrite: bool) -> None:
        raise StoreError("the connection to the server was lost")

    source = tmp_path / "demo.db"
    assert main(["--db", str(source), "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(postgres.ServerLink, "compact_after_bulk", fails)
    assert main(["copy", str(source), server_url]) == 0
    out, err = capsys.readouterr()
    assert "every row of" in out and "(checked)" in out
    assert err.count("\n") == 1 and "the copy is saved" in err and "connection" in err
    assert main(["--db", server_url, "list", "--json"]) == 0
