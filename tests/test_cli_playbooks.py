"""Playbooks and sign-off from the shell: list, check, new --playbook, hand over, accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transfer_tui.cli import main
from transfer_tui.paths import user_playbooks_dir
from transfer_tui.store import Store

MINE = """\
id = "mine"
name = "My quick handoff"

[[sections]]
key = "basics"
title = "Basics"

[[sections.tasks]]
key = "intro"
title = "Introduce the new CSM"
owner = "outgoing"
due = "start+2d"
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_playbooks_lists_builtin_user_and_broken(capsys) -> None:
    folder = user_playbooks_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(MINE, encoding="utf-8")
    (folder / "oops.toml").write_text(MINE.replace('owner = "outgoing"', 'owner = "sales"'),
                                      encoding="utf-8")
    code, out, _ = run(capsys, "playbooks")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "SECTIONS", "TASKS", "WHERE"]
    assert lines[1].split()[0] == "csm-account-transfer" and lines[1].endswith("built-in")
    assert any(line.startswith("sales-to-cs-raci ") and " 4 " in line and " 11 " in line
               for line in lines)
    mine = next(line for line in lines if line.startswith("mine "))
    assert "My quick handoff" in mine
    assert mine.endswith("~/.config/transfer-tui/playbooks/mine.toml")
    assert "Broken, not usable (1)" in out
    assert "oops.toml:11: sections[1].tasks[1].owner: unknown owner 'sales'" in out


def test_check_a_clean_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    code, out, err = run(capsys, "playbook", "check", str(path))
    assert (code, err) == (0, "")
    assert out == f'{path}: ok: mine "My quick handoff", 1 sections, 1 tasks\n'


def test_check_prints_every_problem_and_exits_1(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MINE.replace('owner = "outgoing"', 'owner = "sales"')
                    .replace('due = "start+2d"', 'due = "in two days"'), encoding="utf-8")
    code, out, err = run(capsys, "playbook", "check", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}:11: sections[1].tasks[1].owner: unknown owner 'sales' (one of: outgoing, "
        "incoming, both)",
        f"{path}:12: sections[1].tasks[1].due: 'in two days' is not a relative date: write "
        "start, target or renewal, optionally followed by +N or -N and d (days) or w (weeks), "
        "e.g. start+14d",
        f"{path}: 2 problems",
    ]


def test_check_a_missing_file(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "playbook", "check", str(tmp_path / "nope.toml"))
    assert code == 1 and "nope.toml: no such file" in err


def test_new_with_a_playbook_by_id_or_file(capsys, db_path: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "new", "Acme", "--from", "Ada", "--to",
                       "Sam", "--playbook", "sales-to-cs-raci", "--renewal", "2027-06-30")
    assert code == 0
    path = tmp_path / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    code, _, _ = run(capsys, "--db", str(db_path), "new", "Beta", "--from", "Ada", "--to",
                     "Sam", "--playbook", str(path))
    assert code == 0
    _, out, _ = run(capsys, "--db", str(db_path), "list", "--json")
    rows = {r["account"]: r for r in json.loads(out)}
    assert (rows["Acme"]["playbook"], rows["Acme"]["total"], rows["Acme"]["renewal_date"]) == (
        "Sales to CS transition procedure", 11, "2027-06-30")
    assert (rows["Beta"]["playbook"], rows["Beta"]["total"]) == ("My quick handoff", 1)
    path.unlink()  # the handoff copied its tasks: the file is no longer needed
    store = Store(db_path, "x")
    assert store.checklist(rows["Beta"]["id"]).tasks[0].title == "Introduce the new CSM"
    store.close()


@pytest.mark.parametrize(("ref", "words"), [("nope", "no playbook with this id"),
                                            ("missing.toml", "no such file")])
def test_new_with_an_unknown_playbook_is_one_line(capsys, db_path: Path, ref, words) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "new", "Acme", "--from", "Ada", "--to",
                       "Sam", "--playbook", ref)
    assert code == 1 and words in err and err.count("\n") == 1
    assert not db_path.exists()


def test_sign_off_from_the_shell(capsys, db_path: Path) -> None:
    folder = user_playbooks_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(MINE, encoding="utf-8")
    db = ("--db", str(db_path))
    run(capsys, *db, "new", "Acme", "--from", "Ada Lovelace", "--to", "Sam Okafor",
        "--playbook", "mine")
    code, _, err = run(capsys, *db, "--as", "Ada Lovelace", "handover", "Acme")
    assert code == 1 and "Cannot hand over yet:\n  - 1 task not done or n/a yet" in err
    store = Store(db_path, "Ada Lovelace")
    (task,) = store.checklist(store.summaries()[0].id).tasks
    store.update_task(task.id, status="done")
    store.close()
    code, _, err = run(capsys, *db, "--as", "Sam Okafor", "handover", "Acme")
    assert code == 1 and "Only Ada Lovelace (Outgoing) can hand" in err
    code, out, _ = run(capsys, *db, "--as", "Ada Lovelace", "handover", "acme")
    assert code == 0 and "waiting for them to accept" in out
    code, out, _ = run(capsys, *db, "--as", "Sam Okafor", "reject", "Acme", "--reason",
                       "Intro not sent yet")
    assert code == 0
    code, _, _ = run(capsys, *db, "--as", "Ada Lovelace", "handover", "Acme")
    code, out, _ = run(capsys, *db, "--as", "Sam Okafor", "accept", "Acme")
    assert code == 0 and "the handoff is done" in out
    _, out, _ = run(capsys, *db, "list")
    assert out.splitlines()[1].endswith("accepted")


def test_dates_moves_rule_based_due_dates(capsys, db_path: Path) -> None:
    db = ("--db", str(db_path))
    run(capsys, *db, "new", "Acme", "--from", "Ada", "--to", "Sam", "--playbook",
        "sales-to-cs-internal")
    code, out, _ = run(capsys, *db, "dates", "Acme", "--renewal", "2027-06-30")
    assert code == 0
    assert out == "Acme: target none, renewal 2027-06-30; 1 due date moved.\n"
    code, _, err = run(capsys, *db, "dates", "Acme")
    assert code == 2 and "give --target, --renewal or both" in err
    code, _, err = run(capsys, *db, "dates", "Nobody", "--target", "2027-01-01")
    assert code == 1 and "no handoff matches 'Nobody'" in err


def test_a_version_beyond_sqlite_is_refused_by_check_and_new(capsys, tmp_path: Path) -> None:
    """It passed `playbook check` and then crashed `new` (OverflowError)."""
    big = tmp_path / "big.toml"
    big.write_text(MINE.replace('name = "My quick handoff"',
                                'name = "Big"\nversion = 99999999999999999999999'))
    code, _, err = run(capsys, "playbook", "check", str(big))
    assert code == 1 and "version" in err and "Traceback" not in err
    db = tmp_path / "h.db"
    code, _, err = run(capsys, "--db", str(db), "new", "Acme", "--from", "A", "--to", "B",
                       "--playbook", str(big))
    assert code == 1 and err.count("\n") == 1 and "version" in err


def test_forty_digits_of_seats_are_refused_not_a_crash(store: Store) -> None:
    from transfer_tui.store import ValidationError

    handoff = store.create_handoff("Acme", "A", "B")
    for seats in ("9" * 40, 10**40):
        with pytest.raises(ValidationError) as caught:
            store.add_record(handoff.id, "license", {"plan": "Pro", "seats_bought": seats})
        assert caught.value.field == "seats_bought"
    assert store.records(handoff.id, "license") == []


DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"


def test_a_toml_nested_5000_deep_is_one_problem_not_a_recursion_error(capsys,
                                                                      tmp_path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text(DEEP)
    code, _, err = run(capsys, "playbook", "check", str(deep))
    assert code == 1 and "nested too deeply" in err and "Traceback" not in err


def test_a_broken_file_in_the_playbooks_folder_never_stops_anything(capsys, tmp_path) -> None:
    """The same deep file, plus a FIFO, /dev/zero and a link loop under .toml names: the
    registry lists them as broken; playbooks, new and import work."""
    import os

    folder = user_playbooks_dir()
    folder.mkdir(parents=True)
    (folder / "deep.toml").write_text(DEEP)
    os.mkfifo(folder / "pipe.toml")
    (folder / "zero.toml").symlink_to("/dev/zero")
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    (folder / "huge.toml").write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    (folder / "mine.toml").write_text(MINE)
    code, out, err = run(capsys, "playbooks")
    assert code == 0, err
    assert "mine" in out and "Broken, not usable (5)" in out
    db = tmp_path / "h.db"
    code, _, err = run(capsys, "--db", str(db), "new", "Acme", "--from", "A", "--to", "B",
                       "--playbook", "mine")
    assert code == 0, err
    csv = tmp_path / "moves.csv"
    csv.write_text("account,from,to,playbook\nGlobex,A,B,mine\n")
    assert run(capsys, "--db", str(db), "import", str(csv))[0] == 0
    for name in ("deep", "pipe", "zero", "loop", "huge"):
        code, _, err = run(capsys, "--db", str(db), "new", f"X {name}", "--from", "A",
                           "--to", "B", "--playbook", name)
        assert code == 1 and err.count("\n") == 1, (name, err)
        code, _, err = run(capsys, "playbook", "check", str(folder / f"{name}.toml"))
        assert code == 1 and "Traceback" not in err, (name, err)


def test_a_csv_names_playbooks_by_id_only(capsys, tmp_path) -> None:
    """A path in the playbook column opened any file: /dev/zero read until memory ran out."""
    (tmp_path / "mine.toml").write_text(MINE)
    db = tmp_path / "h.db"
    for ref in ("/dev/zero", "mine.toml", str(tmp_path / "mine.toml"), "/etc/passwd",
                "../mine.toml"):
        csv = tmp_path / "moves.csv"
        csv.write_text(f"account,from,to,playbook\nAcme,A,B,{ref}\n")
        code, _, err = run(capsys, "--db", str(db), "import", str(csv))
        assert code == 1 and "names playbooks by id" in err, (ref, err)
    assert not db.exists()


@pytest.mark.parametrize("name", ["/dev/zero", "fifo"])
def test_import_reads_only_a_regular_file(capsys, tmp_path, name) -> None:
    import os

    path = name
    if name == "fifo":
        path = str(tmp_path / "moves.csv")
        os.mkfifo(path)
    code, _, err = run(capsys, "--db", str(tmp_path / "h.db"), "import", path)
    assert code == 1 and "not a regular file" in err and err.count("\n") == 1
