"""Bulk handoffs from a CSV: every bad row reported, all or nothing, nothing twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transfer_tui.cli import main
from transfer_tui.paths import user_playbooks_dir

GOOD = """\
Account,From,To,Target Date,Playbook
Northwind Traders,Dana Whitfield,Sam Okafor,2026-12-31,
Globex Logistics,Priya Raman,Sam Okafor,2027-01-15,sales-to-cs-raci
"Initech, Inc.",Alex Chen,Jordan Rivera,,post-sale-handoff
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys, db: Path) -> list[dict]:
    _, out, _ = run(capsys, "--db", str(db), "list", "--json")
    return json.loads(out)


@pytest.fixture
def csv_file(tmp_path: Path):
    def make(text: str, name: str = "moves.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path
    return make


def test_each_row_becomes_a_handoff_with_its_playbook(capsys, db_path, csv_file) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "import", str(csv_file(GOOD)))
    assert code == 0, err
    assert out.startswith("Created 3 handoffs from ")
    rows = {r["account"]: r for r in listed(capsys, db_path)}
    assert set(rows) == {"Northwind Traders", "Globex Logistics", "Initech, Inc."}
    assert rows["Northwind Traders"]["playbook"] == "CSM account transfer"
    assert rows["Globex Logistics"]["playbook"] == "Sales to CS transition procedure"
    assert rows["Globex Logistics"]["total"] == 11
    assert rows["Initech, Inc."]["target_date"] is None


def test_importing_the_same_file_twice_adds_nothing(capsys, db_path, csv_file) -> None:
    path = csv_file(GOOD)
    run(capsys, "--db", str(db_path), "import", str(path))
    code, out, _ = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 0
    assert out.startswith(f"Nothing new in {path}: every row is already in an open handoff.")
    assert "Skipped 3 already in an open handoff:" in out
    assert f"{path}:2: Northwind Traders is already in an open handoff to Sam Okafor" in out
    assert len(listed(capsys, db_path)) == 3


def test_an_accepted_handoff_does_not_block_a_new_one(capsys, db_path, csv_file) -> None:
    from tests.ready import make_ready
    from transfer_tui.store import Store

    path = csv_file("account,from,to\nAcme,Dana,Sam\n")
    run(capsys, "--db", str(db_path), "import", str(path))
    store = Store(db_path, "Dana")
    handoff = store.handoffs.summaries()[0]
    for task in store.handoffs.checklist(handoff.id).tasks:
        store.tasks.update(task.id, status="done")
    make_ready(store, handoff.id, "Dana", "Sam")
    store.signoff.hand_over(handoff.id)
    store.user = "Sam"
    store.signoff.accept(handoff.id)
    store.close()
    code, out, _ = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 0 and out.startswith("Created 1 handoff from")
    code, out, _ = run(capsys, "--db", str(db_path), "import",
                       str(csv_file("account,from,to\nAcme,Dana,Kim\n", "other.csv")))
    assert out.startswith("Created 1 handoff from")  # same account, another incoming CSM


BAD = """\
account,from,to,target_date,playbook
Acme,Dana,Sam,2026-12-31,
,Dana,Sam,,
Beta,Dana,dana,,
Gamma,Dana,Sam,31/12/2026,
Delta,Dana,Sam,,no-such-playbook
ACME,Kim,sam,,
Epsilon,,,,
"""


def test_every_bad_row_is_reported_and_nothing_is_created(capsys, db_path, csv_file) -> None:
    path = csv_file(BAD)
    code, out, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines == [
        f"{path}:3: account is empty",
        f"{path}:4: Incoming and outgoing must be different people",
        f"{path}:5: Target date '31/12/2026' is not a date: write YYYY-MM-DD, e.g. 2026-12-31",
        f"{path}:6: unknown playbook 'no-such-playbook' (known: csm-account-transfer, "
        "desktop-study-handover, post-sale-handoff, sales-to-cs-internal, sales-to-cs-raci; "
        "a CSV names playbooks by id)",
        f"{path}:7: same account and incoming CSM as line 2",
        f"{path}:8: from is empty; to is empty",
        f"Nothing imported: 6 bad rows in {path}; fix them and import the file again.",
    ]
    assert not db_path.exists() or listed(capsys, db_path) == []


def test_line_numbers_count_quoted_line_breaks(capsys, db_path, csv_file) -> None:
    path = csv_file('account,from,to\n"Two\nlines",Dana,Sam\nOk,Dana,Dana\n')
    code, _, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1
    assert f"{path}:2: Account must fit on one line" in err
    assert f"{path}:4: Incoming and outgoing must be different people" in err


def test_headers_are_matched_loosely_and_semicolons_work(capsys, db_path, csv_file) -> None:
    path = csv_file("\ufeffACCOUNT;  From ;TO;target-date;Renewal_Date;Mode\n"
                    "Acme;Dana;Sam;2026-12-31;2027-06-30;Shadowing\n")
    code, _out, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 0, err
    (row,) = listed(capsys, db_path)
    assert (row["target_date"], row["renewal_date"], row["mode"]) == (
        "2026-12-31", "2027-06-30", "shadowing")


def test_a_user_playbook_by_id(capsys, db_path, csv_file) -> None:
    folder = user_playbooks_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        'id = "mine"\nname = "Mine"\n[[sections]]\nkey = "s"\ntitle = "S"\n'
        '[[sections.tasks]]\nkey = "t"\ntitle = "T"\n', encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db_path), "import",
                       str(csv_file("account,from,to,playbook\nAcme,Dana,Sam,mine\n")))
    assert code == 0, err
    assert listed(capsys, db_path)[0]["total"] == 1


@pytest.mark.parametrize(
    ("content", "encoding", "words"),
    [
        (None, "utf-8", "no such file"),
        ("", "utf-8", "is empty: expected a header row"),
        ("  \n\n", "utf-8", "is empty"),
        ("account,from,to\nZürich Ä,Dana,Sam\n", "latin-1", "is not UTF-8 text"),
        ("name,from,to\nAcme,Dana,Sam\n", "utf-8", "unknown column 'name' in the header row"),
        ("account,from\nAcme,Dana\n", "utf-8", "the header row has no 'to' column"),
        ("account,from,to,to\n", "utf-8", "the 'to' column appears twice"),
    ],
)
def test_file_problems_are_one_line(capsys, db_path, csv_file, tmp_path, content, encoding,
                                    words) -> None:
    path = tmp_path / "missing.csv" if content is None else csv_file(content, encoding=encoding)
    code, _out, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1
    assert words in err
    assert err.count("\n") == 1 and err.startswith("transfer-tui: error:")
    assert not db_path.exists()


def test_header_only_imports_nothing(capsys, db_path, csv_file) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "import",
                       str(csv_file("account,from,to\n")))
    assert code == 0 and "nothing to import" in out


def test_too_many_values(capsys, db_path, csv_file) -> None:
    path = csv_file("account,from,to\nAcme,Dana,Sam,extra\n")
    code, _, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1 and f"{path}:2: 4 values but the header has 3 columns" in err


@pytest.mark.parametrize("staged", [False, True])
@pytest.mark.parametrize(("changed", "words"), [
    ("Northwind Traders,Dana Whitfield,Dana Whitfield,,\n", "the file changed while it was"),
    (GOOD.split("\n", 1)[1] + "Umbrella,A,B,,\n", "changed while it was imported (4 rows "
     "instead of 3)"),
])
def test_a_file_changed_between_check_and_write_imports_nothing(
        capsys, db_path, csv_file, monkeypatch, staged, changed, words) -> None:
    """The rows are read again as they are written (so a big file is never all in memory):
    one that is bad by then, or a row more, and the transaction rolls back."""
    import transfer_tui.importer as importer
    from transfer_tui.store import Store, bulk

    Store(db_path, "Dana").close()  # an empty database, to show it stays empty
    if staged:
        monkeypatch.setattr(bulk, "STAGE_FROM", 1)
    path = csv_file(GOOD)
    checked = importer.read_import

    def check_then_change(*args):
        found = checked(*args)
        path.write_text(GOOD.split("\n", 1)[0] + "\n" + changed, encoding="utf-8")
        return found

    monkeypatch.setattr(importer, "read_import", check_then_change)
    code, _, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1 and words in err and err.count("\n") == 1, err
    assert listed(capsys, db_path) == []


def test_a_bad_byte_far_down_the_file_is_one_line_and_nothing(capsys, db_path,
                                                               csv_file) -> None:
    rows = "".join(f"Account {n},Dana,Sam,,\n" for n in range(3000))
    path = csv_file("account,from,to,target,playbook\n" + rows)
    path.write_bytes(path.read_bytes() + b"Z\xfcrich,Dana,Sam,,\n")
    code, _, err = run(capsys, "--db", str(db_path), "import", str(path))
    assert code == 1 and "is not UTF-8 text" in err and err.count("\n") == 1
    assert not db_path.exists()


def test_the_help_names_every_column_the_file_may_have(capsys) -> None:
    code, out, _ = run(capsys, "import", "--help")
    text = " ".join(out.split())
    assert code == 0
    for column in ("account", "from", "to", "target date", "playbook", "renewal date", "mode",
                   "account id"):
        assert column in text
