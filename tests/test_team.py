"""Team mode from the command line: every command on a server as on a file, copy, and
init-server. The same commands run on a file in the rest of the suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transfer_tui.cli import main
from transfer_tui.store import Store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "realignment.csv"
    path.write_text("account,from,to,target date,playbook\n"
                    "Borealis,Dana Whitfield,Sam Okafor,2026-12-15,csm-account-transfer\n"
                    "Cygnus,Dana Whitfield,Lee Park,,csm-account-transfer\n", encoding="utf-8")
    return path


def test_every_command_works_on_a_server(capsys, server_url: str, csv_file: Path,
                                         tmp_path: Path) -> None:
    db = ["--db", server_url, "--as", "Dana Whitfield"]
    code, out, _ = run(capsys, *db, "new", "Acme", "--from", "Dana Whitfield",
                       "--to", "Sam Okafor")
    assert code == 0, out
    assert run(capsys, *db, "import", str(csv_file))[0] == 0
    code, out, err = run(capsys, *db, "demo")
    assert code == 0, err
    code, out, _ = run(capsys, *db, "list", "--json")
    listed = json.loads(out)
    assert code == 0 and {"Acme", "Borealis", "Cygnus"} <= {h["account"] for h in listed}
    code, out, _ = run(capsys, *db, "export", "Acme", "--as-of", "2026-11-25")
    assert code == 0 and "# Account handoff: Acme" in out
    folder = tmp_path / "exports"
    code, _, err = run(capsys, *db, "export", "--all", "-o", str(folder))
    assert code == 0, err
    assert len(list(folder.iterdir())) == len(listed)
    shared = tmp_path / "acme.db"
    assert run(capsys, *db, "share", "Acme", "-o", str(shared))[0] == 0
    # the incoming CSM works on the shared file and sends it back: merged into the server
    file_db = ["--db", str(shared), "--as", "Sam Okafor"]
    assert run(capsys, *file_db, "reject", "Acme", "--reason", "x")[0] == 1  # not handed over
    code, out, err = run(capsys, *file_db, "dates", "Acme", "--target", "2027-01-31")
    assert code == 0, err
    code, out, err = run(capsys, *db, "merge", str(shared))
    assert code == 0, err
    code, out, _ = run(capsys, *db, "list", "--json")
    acme = next(h for h in json.loads(out) if h["account"] == "Acme")
    assert acme["target_date"] == "2027-01-31"
    assert "s3cret" not in out


def _analyzed(url: str) -> int:
    """The server's own estimate of the handoffs (-1 or 0 before any ANALYZE)."""
    import psycopg

    from transfer_tui.store.engines.url import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'handoff'"
                           ).fetchone()
    return int(row[0]) if row else -1


def _handoff_file(url: str) -> int:
    """Which file on the server's disk holds the handoff table (a rewrite makes a new one)."""
    import psycopg

    from transfer_tui.store.engines.url import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute("SELECT pg_relation_filenode('handoff')").fetchone()
    assert row is not None
    return int(row[0])


def test_copy_a_file_into_a_server_and_back(capsys, demo_db: str, server_url: str,
                                           tmp_path: Path) -> None:
    Store(server_url, "Dana Whitfield").close()  # the schema, before the copy
    table_file = _handoff_file(server_url)
    code, out, err = run(capsys, "copy", demo_db, server_url)
    assert code == 0, err
    assert "every row of" in out and "(checked)" in out
    assert _analyzed(server_url) == 9  # the planner knows how many handoffs there are
    # rewritten afresh: each task copied in had left a dead version of its handoff's row
    assert _handoff_file(server_url) != table_file
    code, again, err = run(capsys, "copy", demo_db, server_url)
    assert code == 0 and "Copied 0 rows" in again  # repeating adds nothing
    back = tmp_path / "back.db"
    assert run(capsys, "copy", server_url, str(back))[0] == 0
    lists = [json.loads(run(capsys, "--db", where, "list", "--json")[1])
             for where in (demo_db, server_url, str(back))]
    assert lists[0] == lists[1] == lists[2]
    exports = [run(capsys, "--db", where, "export", lists[0][0]["id"], "--history",
                   "--as-of", "2026-11-25")[1] for where in (demo_db, server_url, str(back))]
    assert exports[0] == exports[1] == exports[2]


def test_init_server_says_what_it_does(capsys, empty_server_url: str) -> None:
    code, out, _ = run(capsys, "init-server", empty_server_url)
    assert code == 0 and out.startswith("Creating the transfer-tui schema")
    code, out, _ = run(capsys, "init-server", empty_server_url)
    assert code == 0 and "nothing to do" in out
    code, _, err = run(capsys, "init-server", "handoffs.db")
    assert code == 2 and "not a server address" in err


def test_backup_and_check_point_at_the_servers_own_tools(capsys, server_url: str) -> None:
    code, _, err = run(capsys, "--db", server_url, "check")
    assert code == 1 and "pg_dump" in err and err.count("\n") == 1


def test_a_browser_tabs_process_never_has_the_url_on_its_command_line() -> None:
    from transfer_tui.web.sessions import app_command

    argv = app_command("postgresql://dana:s3cret@db.example.com/handoffs", "Dana")
    assert "s3cret" not in " ".join(argv) and argv[-4:] == ["--db", "-", "--as", "Dana"]
    assert app_command("/tmp/x.db", "Dana")[-4:] == ["--db", "/tmp/x.db", "--as", "Dana"]
