"""A file someone edited by hand: merge refuses values a form would refuse (changing
nothing), check names them, and the list, the checklist and the export never crash on
them (they degrade or say so in one line)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import TODAY, fixed_clock
from transfer_tui.cli import main
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.store import DatabaseFileError, Store, UnreadableError
from transfer_tui.store.maintenance import check

GLOBEX = demo_id("Globex Logistics")

# (table, column, SQL value): each a value the app cannot read or a form would refuse
EDITS = [
    ("handoff", "target_date", "'garbage'"),
    ("handoff", "account", "x'41636d65'"),  # a blob
    ("handoff", "playbook_version", "x'01'"),
    ("handoff", "state", "'done-ish'"),
    ("handoff", "outgoing", "''"),
    ("handoff", "account", "CAST(x'4261640a4e616d65' AS TEXT)"),  # two lines
    ("handoff", "account", "CAST(x'4261ff' AS TEXT)"),  # not UTF-8
    ("handoff", "created_at", "'yesterday'"),
    ("handoff", "renewal_date", "'0001-03-01'"),
    ("task", "due_date", "'9999-99-99'"),
    ("task", "status", "'finished'"),
    ("task", "note", "x'00'"),
    ("task", "raci", "'[1, 2'"),
    ("task", "due_rule", "'next tuesday'"),
    ("task", "owner", "'sales'"),
    ("license", "seats_bought", "'many'"),
    ("license", "seats_bought", "99999999999999999"),
    ("license", "renewal_date", "'2026-02-30'"),
    ("promise", "status", "'maybe'"),
    ("stakeholder", "name", "''"),
    ("cadence", "attendees", "'not a list'"),
    ("document", "link", "'javascript:alert(1)'"),
    ("document", "day", "'1899-12-31'"),
    ("feature_request", "status", "'someday'"),
    ("opportunity", "value", "'lots'"),
    ("opportunity", "value", "-500"),
    ("environment", "integrations", "'not a list'"),
    ("environment", "docs_link", "'file:///etc/passwd'"),
    ("product", "name", "''"),
    ("event", "at", "'garbage'"),
    ("event", "old", "x'00ff'"),
]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """Globex, shared by Priya (with its license, promises, stakeholders, history)."""
    folder = tmp_path_factory.mktemp("share")
    store = Store(folder / "priya.db", "Priya Raman", clock=fixed_clock)
    load_demo(store, today=TODAY)
    store.share(GLOBEX, folder / "globex.db")
    store.close()
    return folder / "globex.db"


def _edited(source: Path, target: Path, table: str, column: str, value: str) -> Path:
    target.write_bytes(source.read_bytes())
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # as a hand edit of the schema would
    where = ("" if table in ("handoff", "event")
             else f" WHERE rowid = (SELECT min(rowid) FROM {table})")
    with conn:
        conn.execute(f"UPDATE {table} SET {column} = {value}{where}")
    conn.close()
    return target


@pytest.mark.parametrize(("table", "column", "value"), EDITS,
                         ids=[f"{t}.{c}={v}" for t, c, v in EDITS])
def test_merge_refuses_the_whole_file_and_changes_nothing(tmp_path, shared, table, column,
                                                          value) -> None:
    bad = _edited(shared, tmp_path / "globex-edited.db", table, column, value)
    mine = tmp_path / "marco.db"
    Store(mine, "Marco Bellini").close()
    before = mine.read_bytes()
    store = Store(mine, "Marco Bellini")
    with pytest.raises(UnreadableError) as refused:
        store.merge(bad)
    store.close()
    message = str(refused.value)
    assert "nothing was merged" in message and "\n" not in message
    assert f"{table} " in message and f" {column}:" in message  # table, row and column
    assert mine.read_bytes() == before


def test_merge_from_the_command_line_is_one_line_and_exit_1(capsys, tmp_path, shared) -> None:
    bad = _edited(shared, tmp_path / "g.db", "handoff", "target_date", "'garbage'")
    code, out, err = _run(capsys, "--db", str(tmp_path / "marco.db"), "merge", str(bad))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "handoff" in err and "target_date" in err and "garbage" in err


def test_an_untouched_share_still_merges(tmp_path, shared) -> None:
    store = Store(tmp_path / "marco.db", "Marco Bellini")
    assert store.merge(shared).added > 30
    store.close()


@pytest.fixture
def hand_edited(tmp_path, demo_file) -> Path:
    """The demo database after someone "fixed" Globex with the sqlite3 shell."""
    conn = sqlite3.connect(demo_file)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    with conn:
        conn.execute("UPDATE handoff SET target_date = 'garbage', account = x'476c6f626578', "
                     "state = 'bogus', created_at = 'soon', tasks_done = 'x' WHERE id = ?",
                     (GLOBEX,))
        conn.execute("UPDATE task SET status = 'finished', due_date = '9999-99-99' "
                     "WHERE handoff_id = ?", (GLOBEX,))
        conn.execute("UPDATE license SET seats_bought = 'lots' WHERE handoff_id = ?",
                     (GLOBEX,))
    conn.close()
    return demo_file


def test_check_names_values_the_app_cannot_read(capsys, hand_edited) -> None:
    report = check(hand_edited)
    assert not report.ok
    text = "\n".join(report.problems)
    for where in ("handoff", "target_date", "account", "state", "task", "status", "due_date"):
        assert where in text
    code, out, _ = _run(capsys, "--db", str(hand_edited), "check")
    assert code == 1 and "Problems:" in out and "target_date" in out


def test_the_list_degrades_and_the_rest_still_opens_and_exports(capsys, tmp_path,
                                                                hand_edited) -> None:
    db = ("--db", str(hand_edited))
    code, out, err = _run(capsys, *db, "list", "--json")
    assert code == 0, err
    listed = {row["id"]: row for row in json.loads(out)}
    assert len(listed) == 9 and listed[GLOBEX]["target_date"] is None
    assert listed[GLOBEX]["account"] == "Globex"  # the blob shown as its text
    assert _run(capsys, *db, "list")[0] == 0
    assert _run(capsys, *db, "export", "Initech", "--stamp")[0] == 0
    code, out, err = _run(capsys, *db, "export", GLOBEX, "--stamp")
    assert code == 1 and out == "" and err.count("\n") == 1 and "transfer-tui check" in err
    code, _, err = _run(capsys, *db, "export", "--all", "-o", str(tmp_path / "all"))
    assert code == 1 and "transfer-tui check" in err
    store = Store(hand_edited, "Sam Okafor")
    with pytest.raises(UnreadableError):
        store.checklist(GLOBEX)
    with pytest.raises(UnreadableError):
        store.handoff_records(GLOBEX)
    assert store.checklist(demo_id("Initech")).handoff.account == "Initech"
    store.history(GLOBEX)
    store.close()


def test_text_that_is_not_utf8_is_listed_not_a_crash(capsys, demo_file) -> None:
    conn = sqlite3.connect(demo_file)
    with conn:
        conn.execute("UPDATE handoff SET account = CAST(x'476c6fff' AS TEXT) WHERE id = ?",
                     (GLOBEX,))
    conn.close()
    code, out, err = _run(capsys, "--db", str(demo_file), "list")
    assert code == 0, err
    assert "Glo\ufffd" in out
    code, _, err = _run(capsys, "--db", str(demo_file), "export", GLOBEX[:8])
    assert code == 1 and err.count("\n") == 1


def test_history_holding_json_nested_beyond_reason_still_reads(capsys, tmp_path,
                                                               shared) -> None:
    """A created event's row JSON nested 5,000 deep (valid text, so merge takes it): the
    history, undo and the export read it as plain text instead of a RecursionError."""
    deep = "[" * 5000 + "]" * 5000
    edited = _edited(shared, tmp_path / "deep.db", "event", "new", f"'{deep}'")
    store = Store(tmp_path / "marco.db", "Marco Bellini")
    store.merge(edited)
    assert store.activity(GLOBEX)
    store.snapshot(GLOBEX, history=True)
    store.close()
    code, _, err = _run(capsys, "--db", str(tmp_path / "marco.db"), "export", GLOBEX[:8],
                        "--history", "--format", "json")
    assert code == 0, err


def test_a_share_file_too_big_to_be_one_handoff_is_refused(tmp_path, shared) -> None:
    big = tmp_path / "big.db"
    big.write_bytes(shared.read_bytes())
    with big.open("r+b") as handle:  # sparse: costs no disk
        handle.truncate(300 * 2**20)
    store = Store(tmp_path / "marco.db", "Marco Bellini")
    with pytest.raises(DatabaseFileError) as caught:
        store.merge(big)
    store.close()
    assert "too big for a shared handoff" in str(caught.value)


@pytest.mark.parametrize("command", [["share", "Globex", "--force", "-o"],
                                     ["export", "Globex", "--force", "-o"]])
def test_a_device_or_pipe_is_never_replaced_by_a_file(capsys, tmp_path, demo_file,
                                                      command) -> None:
    """As root, `-o /dev/null --force` renamed a file over the device itself (shown here with
    a pipe of our own: the same code path, and safe to run)."""
    import os
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    code, _, err = _run(capsys, "--db", str(demo_file), *command, str(pipe))
    assert code == 1 and "not a regular file" in err and err.count("\n") == 1
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


#: A value a form would refuse in each of the newer record tables, as the shell would put it.
NEWER_KINDS = [
    ("product", "status", "'stolen'"),
    ("opportunity", "expected_close", "'2200-01-01'"),
    ("feature_request", "link", "'data:text/html,<b>hi</b>'"),
    ("environment", "hosting", "'on the moon'"),
    ("document", "kind", "'napkin'"),
]


def test_check_finds_bad_values_in_the_newer_record_tables(capsys, demo_file) -> None:
    conn = sqlite3.connect(demo_file)
    with conn:
        for table, column, value in NEWER_KINDS:
            conn.execute(f"UPDATE {table} SET {column} = {value} WHERE handoff_id = ?",
                         (GLOBEX,))
    conn.close()
    report = check(demo_file)
    assert not report.ok
    text = "\n".join(report.problems)
    for table, column, _ in NEWER_KINDS:
        assert f"{table} " in text and f" {column}:" in text, (table, column)
    code, out, _ = _run(capsys, "--db", str(demo_file), "check")
    assert code == 1 and "feature_request" in out and "link" in out
