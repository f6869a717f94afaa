"""The command line: every command, --db/--as anywhere, one-line errors."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from transfer_tui import __version__
from transfer_tui.cli import main
from transfer_tui.paths import default_db_path
from transfer_tui.store import Store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_prints_the_id_and_list_shows_it(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "new", "Acme", "--from", "Dana",
                       "--to", "Sam", "--target", "2026-12-31")
    assert code == 0
    handoff_id = out.strip()
    assert len(handoff_id) == 32
    code, out, _ = run(capsys, "list", "--db", str(db_path))
    assert code == 0
    assert handoff_id[:8] in out and "Acme" in out and "Dana -> Sam" in out
    assert "0/38" in out and "2026-12-31" in out


def test_list_json_for_scripts(capsys, db_path: Path) -> None:
    run(capsys, "--db", str(db_path), "new", "Acme", "--from", "Dana", "--to", "Sam")
    code, out, _ = run(capsys, "--db", str(db_path), "list", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert {"id", "account", "outgoing", "incoming", "done", "total", "blocked",
            "target_date"} <= row.keys()
    assert (row["account"], row["done"], row["blocked"], row["target_date"]) == (
        "Acme", 0, 0, None)
    assert (row["promises_open"], row["license_renewal"], row["outreach_missed"]) == (
        0, None, False)


def test_list_counts_promises_as_the_screens_do(capsys, demo_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_file), "list", "--json")
    assert code == 0
    globex = next(row for row in json.loads(out) if row["account"] == "Globex Logistics")
    store = Store(demo_file, "x")
    handoff = store.handoffs.checklist(globex["id"]).handoff
    store.close()
    assert (globex["done"], globex["total"]) == (handoff.progress_done, handoff.progress_total)
    assert globex["total"] == handoff.tasks_total + 3 and globex["promises_open"] == 2


def test_env_variables_choose_database_and_person(capsys, db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRANSFER_TUI_DB", str(db_path))
    monkeypatch.setenv("TRANSFER_TUI_USER", "Priya")
    code, out, _ = run(capsys, "new", "Acme", "--from", "Dana", "--to", "Sam")
    assert code == 0
    store = Store(db_path, "x")
    assert store.handoffs.checklist(out.strip()).handoff.created_by == "Priya"
    store.close()


def test_as_option_names_who_changes(capsys, db_path: Path) -> None:
    _, out, _ = run(capsys, "new", "Acme", "--from", "Dana", "--to", "Sam", "--db",
                    str(db_path), "--as", "Jordan")
    store = Store(db_path, "x")
    assert store.handoffs.checklist(out.strip()).handoff.created_by == "Jordan"
    store.close()


def test_default_database_is_created_in_the_data_folder(capsys) -> None:
    code, _, _ = run(capsys, "new", "Acme", "--from", "Dana", "--to", "Sam")
    assert code == 0
    assert default_db_path().is_file()
    assert str(default_db_path()).startswith(str(Path.home()))


def test_demo_twice_adds_nothing_twice(capsys, db_path: Path) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "demo")
    assert code == 0 and "Added 9" in out
    code, out, _ = run(capsys, "--db", str(db_path), "demo")
    assert code == 0 and "nothing added" in out
    code, out, _ = run(capsys, "--db", str(db_path), "list", "--json")
    rows = json.loads(out)
    assert len(rows) == 9
    assert any(r["blocked"] for r in rows)
    assert any(r["done"] == r["total"] for r in rows)
    assert any(r["done"] == 0 for r in rows)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["new", "Acme", "--from", "Dana", "--to", "dana"], "different people"),
        (["new", "Acme", "--from", "Dana", "--to", "Sam", "--target", "soon"], "not a date"),
        (["new", "", "--from", "Dana", "--to", "Sam"], "Account is required"),
        (["new", "Acme", "--from", "Dana"], "Missing option '--to'"),
        (["lsit"], "No such command"),
        (["--bogus"], "No such option"),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(capsys, db_path: Path, args, words) -> None:
    code, _, err = run(capsys, "--db", str(db_path), *args)
    assert code != 0
    assert words in err
    assert err.count("\n") == 1 and err.startswith("transfer-tui: error:")


def test_a_folder_as_database_is_one_line(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "list")
    assert code == 1
    assert "is a folder" in err and err.count("\n") == 1


def test_list_of_a_missing_file_does_not_create_it(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "--db", str(missing), "list")
    assert code == 1 and "does not exist" in err
    assert not missing.exists()


@pytest.mark.parametrize("command", [[], ["new"], ["list"], ["demo"], ["export"], ["backup"],
                                     ["check"], ["share"], ["merge"]])
def test_help_on_every_command(capsys, command) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "--db" in out and "--as" in out


def test_every_command_is_known_by_name_in_its_module() -> None:
    """The group lists commands without importing them: each name and module, as each
    module's COMMANDS has it, both ways."""
    import importlib

    from transfer_tui.cli import COMMAND_MODULES, cli

    found = {command.name: module for module in set(COMMAND_MODULES.values())
             for command in importlib.import_module(f"transfer_tui.cli.{module}").COMMANDS}
    assert found == COMMAND_MODULES
    assert cli.list_commands(None) == sorted(COMMAND_MODULES)  # type: ignore[arg-type]


def test_a_mistyped_command_is_still_told_what_it_may_mean(capsys) -> None:
    import click

    code, _, err = run(capsys, "exprot")
    assert code == 2 and "No such command 'exprot'" in err
    if hasattr(click.exceptions, "NoSuchCommand"):  # click 8.4 on suggests a name
        assert "Did you mean 'export'?" in err


def test_version_and_python_dash_m() -> None:
    result = subprocess.run([sys.executable, "-m", "transfer_tui", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_no_traceback_on_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    result = subprocess.run([sys.executable, "-m", "transfer_tui", "--db", str(path), "list"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def _bad_files(folder: Path) -> dict[str, Path]:
    """Each kind of file that is not what it seems."""
    from tests.conftest import TODAY
    from transfer_tui.demo import load_demo
    from transfer_tui.store.migrations import LATEST

    made = {"folder": folder / "a-folder"}
    made["folder"].mkdir()
    made["text"] = folder / "notes.txt"
    made["text"].write_text("Dear Sam,\nthe account is yours now.\n" * 30)
    made["random"] = folder / "noise.db"
    made["random"].write_bytes(bytes((i * 37 + 11) % 256 for i in range(20_000)))
    made["foreign"] = folder / "other.db"
    conn = sqlite3.connect(made["foreign"])
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    for name in ("corrupt", "newer"):
        path = made[name] = folder / f"{name}.db"
        store = Store(path, "me")
        load_demo(store, today=TODAY)
        store.close()
    data = bytearray(made["corrupt"].read_bytes())
    data[30 * 4096:32 * 4096] = bytes(range(256)) * 32
    made["corrupt"].write_bytes(bytes(data))
    conn = sqlite3.connect(made["newer"])
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    return made


BAD_FILE_WORDS = {"folder": "is a folder", "text": "not a SQLite database",
                  "random": "not a SQLite database", "foreign": "another program",
                  "corrupt": "damaged", "newer": "newer transfer-tui"}


@pytest.mark.parametrize("command", [["list"], ["new", "Acme", "--from", "A", "--to", "B"],
                                     ["demo"], ["backup", "-o", "{tmp}/copy.db"],
                                     ["share", "x", "-o", "{tmp}/share.db"]])
def test_every_bad_file_is_one_line_and_left_untouched(capsys, tmp_path: Path,
                                                       command: list[str]) -> None:
    for kind, path in _bad_files(tmp_path).items():
        before = path.read_bytes() if path.is_file() else None
        args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
        code, _, err = run(capsys, "--db", str(path), *args)
        if command[0] == "backup" and kind in ("corrupt", "newer"):
            continue  # a copy of a damaged or newer file is still a faithful copy
        assert code == 1, kind
        assert err.count("\n") == 1 and err.startswith("transfer-tui: error:"), kind
        assert BAD_FILE_WORDS[kind] in err, (kind, err)
        if before is not None:
            assert path.read_bytes() == before, kind
        assert not (tmp_path / "copy.db").exists() and not (tmp_path / "share.db").exists()


def test_merge_of_a_bad_file_is_one_line(capsys, tmp_path: Path, db_path: Path) -> None:
    for kind, path in _bad_files(tmp_path).items():
        before = path.read_bytes() if path.is_file() else None
        code, _, err = run(capsys, "--db", str(db_path), "merge", str(path))
        assert code == 1 and err.count("\n") == 1, (kind, err)
        if before is not None:
            assert path.read_bytes() == before, kind


def test_check_says_ok_or_lists_problems(capsys, tmp_path: Path) -> None:
    made = _bad_files(tmp_path)
    good = tmp_path / "good.db"
    run(capsys, "--db", str(good), "demo")
    code, out, _ = run(capsys, "--db", str(good), "check")
    assert code == 0
    assert "Integrity: ok" in out and "9 handoffs, 280 tasks" in out and "Schema:" in out
    before = made["corrupt"].read_bytes()
    code, out, _ = run(capsys, "--db", str(made["corrupt"]), "check")
    assert code == 1 and "Problems:" in out
    assert made["corrupt"].read_bytes() == before
    code, out, _ = run(capsys, "--db", str(made["newer"]), "check")
    assert code == 1 and "newer transfer-tui" in out
    code, _, err = run(capsys, "--db", str(made["text"]), "check")
    assert code == 1 and err.count("\n") == 1


def test_backup_share_and_merge_from_the_shell(capsys, tmp_path: Path) -> None:
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    run(capsys, "--db", str(mine), "demo")
    code, out, _ = run(capsys, "--db", str(mine), "backup", "-o", str(tmp_path / "b.db"))
    assert code == 0 and "b.db" in out
    code, out, _ = run(capsys, "--db", str(mine), "share", "Globex", "-o",
                       str(tmp_path / "g.db"))
    assert code == 0 and "Shared Globex Logistics" in out
    code, out, _ = run(capsys, "--db", str(theirs), "merge", str(tmp_path / "g.db"))
    assert code == 0 and "Merged Globex Logistics" in out and "78 rows added" in out  # 1+38+39
    code, out, _ = run(capsys, "--db", str(theirs), "merge", str(tmp_path / "g.db"))
    assert code == 0 and "Nothing new" in out
    code, _, err = run(capsys, "--db", str(mine), "share", "nobody", "-o",
                       str(tmp_path / "n.db"))
    assert code == 1 and "no handoff matches" in err


def test_merge_lists_conflicts_with_both_values(capsys, tmp_path: Path) -> None:
    from transfer_tui.demo import demo_id

    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    run(capsys, "--db", str(mine), "demo")
    run(capsys, "--db", str(mine), "share", "Globex", "-o", str(tmp_path / "g.db"))
    run(capsys, "--db", str(theirs), "merge", str(tmp_path / "g.db"))
    for path, who, status in ((mine, "Priya", "blocked"), (theirs, "Marco", "done")):
        store = Store(path, who)
        task = store.handoffs.checklist(demo_id("Globex Logistics")).tasks[-1]
        store.tasks.update(task.id, status=status)
        store.close()
    run(capsys, "--db", str(theirs), "share", "Globex", "-o", str(tmp_path / "back.db"))
    code, out, _ = run(capsys, "--db", str(mine), "merge", str(tmp_path / "back.db"))
    assert code == 0
    assert "1 changed on both sides" in out
    assert "mine blocked (Priya" in out and "theirs done (Marco" in out
    assert "kept theirs" in out


@pytest.mark.parametrize("args", [
    ["new", b"Bad\xffX", "--from", "A", "--to", "B"],
    ["--as", b"\xfe\xff", "new", "Acme", "--from", "A", "--to", "B"],
    ["reject", "Acme", "--reason", b"no \xc3("],
    ["list", "--db", b"/tmp/\xff.db"],
])
def test_arguments_that_are_not_utf8_are_one_line_not_a_traceback(tmp_path, args) -> None:
    """Real bytes in a real argv (Python hands them over as lone surrogates)."""
    db = str(tmp_path / "h.db").encode()
    argv = [a if isinstance(a, bytes) else a.encode() for a in args]
    result = subprocess.run([sys.executable.encode(), b"-m", b"transfer_tui", b"--db", db,
                             *argv], capture_output=True)
    assert result.returncode == 2
    assert result.stdout == b"" and result.stderr.count(b"\n") == 1
    assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr
    assert not (tmp_path / "h.db").exists()


def test_an_environment_name_that_is_not_utf8_is_refused(capsys, db_path, monkeypatch) -> None:
    monkeypatch.setenv("TRANSFER_TUI_USER", "Bad\udcffName")
    code, _, err = run(capsys, "--db", str(db_path), "new", "Acme", "--from", "A", "--to", "B")
    assert code == 2 and "TRANSFER_TUI_USER is not valid UTF-8" in err


def test_a_name_too_long_for_the_history_is_refused(capsys, db_path) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "--as", "x" * 201, "new", "Acme",
                       "--from", "A", "--to", "B")
    assert code == 1 and "too long" in err and err.count("\n") == 1


@pytest.mark.parametrize("target", ["/dev/full"])
def test_writing_to_a_full_device_is_one_line(tmp_path, demo_file, target) -> None:
    with open(target, "w") as full:
        result = subprocess.run([sys.executable, "-m", "transfer_tui", "--db", str(demo_file),
                                 "list"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr == ("transfer-tui: error: cannot write the output: No space left on "
                             "device\n")


def test_a_closed_pipe_ends_quietly(store) -> None:
    """`export ... | head -c 1`: the reader leaves; no traceback, no "Exception ignored"."""
    handoff = store.handoffs.create("Acme", "A", "B")
    store.tasks.update(store.handoffs.checklist(handoff.id).tasks[0].id, note="x" * 99_000)
    result = subprocess.run(f"{sys.executable} -m transfer_tui --db {store.path} export Acme "
                            "| head -c 1", shell=True, capture_output=True, text=True)
    assert result.stdout == "#" and result.stderr == ""


def test_the_tui_exits_non_zero_after_a_crash(db_path, monkeypatch) -> None:
    """Textual prints the traceback and stops; the exit code said 0 all the same."""
    import transfer_tui.app

    class Crashed:
        return_code = 1

        def __init__(self, store, **_options) -> None:
            self.store = store

        def run(self, **_options) -> None:
            pass

    monkeypatch.setattr(transfer_tui.app, "TransferApp", Crashed)
    assert main(["--db", str(db_path)]) == 1
    Crashed.return_code = 0
    assert main(["--db", str(db_path)]) == 0


def test_the_tui_on_a_database_it_cannot_open_is_one_line(capsys, tmp_path: Path,
                                                          monkeypatch) -> None:
    """The store opens in a thread while the app imports: what it meets is said as before,
    in one line, and no app starts."""
    import transfer_tui.app

    started = []
    monkeypatch.setattr(transfer_tui.app.TransferApp, "run", lambda *_a, **_k: started.append(1))
    (tmp_path / "not-ours.db").write_text("plain text, not a database " * 100)
    code, out, err = run(capsys, "--db", str(tmp_path / "not-ours.db"))
    assert code == 1 and out == "" and not started
    assert err.startswith("transfer-tui: error: ") and err.count("\n") == 1


def test_demo_stopped_half_way_adds_none_of_the_samples(capsys, db_path, monkeypatch) -> None:
    import transfer_tui.demo

    real, added = transfer_tui.demo._add, []

    def add(store, sample, handoff_id, today):
        if len(added) == 3:
            raise KeyboardInterrupt  # as a kill half-way would stop it
        real(store, sample, handoff_id, today)
        added.append(sample.account)

    monkeypatch.setattr(transfer_tui.demo, "_add", add)
    assert main(["--db", str(db_path), "demo"]) == 130
    assert Store(db_path, "x").handoffs.summaries() == []
    monkeypatch.setattr(transfer_tui.demo, "_add", real)
    assert main(["--db", str(db_path), "demo"]) == 0
    assert len(Store(db_path, "x").handoffs.summaries()) == 9


@pytest.mark.parametrize("command", [["export"], ["share", "-o", "x.db"], ["handover"],
                                     ["accept"], ["reject", "--reason", "r"],
                                     ["dates", "--target", "2027-01-01"]])
def test_an_id_prefix_too_short_says_so(capsys, demo_file, command) -> None:
    """Every command that names a handoff: "a1" said "no handoff matches"."""
    ids = [s.id for s in Store(demo_file, "x").handoffs.summaries()]
    short = ids[0][:2]
    code, _, err = run(capsys, "--db", str(demo_file), command[0], short, *command[1:])
    assert code == 1 and "too short" in err and "at least 4" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "--db", str(demo_file), command[0], "zz", *command[1:])
    assert code == 1 and "no handoff matches" in err  # not an id: nothing to shorten


def test_store_lookup_by_prefix(demo_store) -> None:
    from transfer_tui.store import ValidationError

    ids = [s.id for s in demo_store.handoffs.summaries()]
    assert [s.id for s in demo_store.handoffs.find(ids[0][:4])] == [
        i for i in ids if i.startswith(ids[0][:4])]
    with pytest.raises(ValidationError):
        demo_store.handoffs.find(ids[0][:3])
    assert demo_store.handoffs.find("Initech")[0].account == "Initech"


def test_a_command_group_without_its_subcommand_shows_its_help_as_text(capsys) -> None:
    """`transfer-tui playbook` alone: its help, as lines, not one error line with the help
    squeezed in and its line ends shown as \\n."""
    code, _, err = run(capsys, "playbook")
    assert code == 2
    assert "\\n" not in err and "error" not in err
    assert err.startswith("Usage: transfer-tui playbook") and "Commands:" in err
