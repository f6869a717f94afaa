"""`transfer-tui export`: which handoff, where it goes, and every way it can refuse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TODAY
from transfer_tui.cli import main
from transfer_tui.demo import demo_id
from transfer_tui.export import ExportOptions, render_markdown
from transfer_tui.store import Store

GLOBEX = demo_id("Globex Logistics")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str) -> str:
    assert code != 0
    assert err.startswith("transfer-tui: error:") and err.count("\n") == 1
    return err


def test_markdown_to_stdout_by_account_id_or_prefix(capsys, demo_store, demo_db) -> None:
    expected = render_markdown(demo_store.snapshot(GLOBEX), ExportOptions(as_of=TODAY))
    for ref in ("Globex Logistics", "globex logistics", GLOBEX, GLOBEX[:8]):
        code, out, _ = run(capsys, "--db", demo_db, "export", ref, "--as-of", "2026-11-25")
        assert code == 0
        assert out == expected


def test_measured_as_of_today_unless_a_day_is_given(capsys, demo_db) -> None:
    code, first, _ = run(capsys, "--db", demo_db, "export", GLOBEX)
    today = date.today().isoformat()
    assert code == 0
    assert first.splitlines()[2].startswith(f"As of today, {today}: open tasks due before")
    assert "Generated" not in first
    code, stamped, _ = run(capsys, "--db", demo_db, "--as", "Marco Bellini", "export", GLOBEX,
                           "--stamp")
    assert code == 0
    assert "Generated " in stamped and " UTC by Marco Bellini." in stamped
    assert "- **Overdue**, due " in stamped
    fixed = run(capsys, "--db", demo_db, "export", GLOBEX, "--as-of", "2026-11-25")[1]
    assert run(capsys, "--db", demo_db, "export", GLOBEX, "--as-of", "2026-11-25")[1] == fixed
    assert fixed.splitlines()[2].startswith("As of 2026-11-25: ")


@pytest.mark.parametrize("audience", ["team", "manager", "customer"])
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_each_audience_from_the_command_line(capsys, demo_store, demo_db, audience,
                                             fmt) -> None:
    from transfer_tui.export import render_json

    code, out, err = run(capsys, "--db", demo_db, "export", "Globex", "--audience", audience,
                         "--format", fmt, "--as-of", "2026-11-25")
    assert (code, err) == (0, "")
    render = render_json if fmt == "json" else render_markdown
    assert out == render(demo_store.snapshot(GLOBEX),
                         ExportOptions(as_of=TODAY, audience=audience))


def test_the_customer_letter_takes_emails_from_the_config_file(capsys, demo_db,
                                                               isolated_home) -> None:
    folder = isolated_home / ".config" / "transfer-tui"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('[people]\n"Marco Bellini" = "marco@vendor.example"\n',
                                        encoding="utf-8")
    code, out, err = run(capsys, "--db", demo_db, "export", "Globex", "--audience", "customer")
    assert (code, err) == (0, "")
    assert "E-mail: marco@vendor.example" in out


def test_a_broken_config_file_is_one_warning_and_the_export_goes_on(capsys, demo_db,
                                                                   isolated_home) -> None:
    folder = isolated_home / ".config" / "transfer-tui"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("[people\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", demo_db, "export", "Globex", "--audience", "customer")
    assert code == 0 and out.startswith("# Globex Logistics: your new Customer Success")
    assert err.startswith("transfer-tui: warning: ") and err.count("\n") == 1
    assert "is not valid TOML" in err


def test_as_of_marks_overdue_reproducibly(capsys, demo_store, demo_db) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "export", "Initech", "--as-of", "2026-11-25")
    assert code == 0
    expected = render_markdown(demo_store.snapshot(demo_id("Initech")),
                               ExportOptions(as_of=TODAY))
    assert out == expected
    assert "- **Overdue**, due 2026-10-19 (37 days late): " in out


def test_json_has_a_schema_version(capsys, demo_db) -> None:
    code, out, _ = run(capsys, "--db", demo_db, "export", "Globex Logistics", "--format",
                       "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 4
    assert data["handoff"]["account"] == "Globex Logistics"
    assert data["progress"] == {"done": 7, "total": 40, "open": 33, "blocked": 2,
                                "percent": 18, "tasks": {"done": 6, "total": 37},
                                "promises": {"fulfilled": 1, "total": 3, "open": 2}}
    assert data["as_of"] == date.today().isoformat() and data["generated_at"] is None


def test_unknown_handoff_lists_the_candidates(capsys, demo_db) -> None:
    code, out, err = run(capsys, "--db", demo_db, "export", "Nowhere Inc")
    one_error_line(code, err)
    assert out == ""
    assert "no handoff matches 'Nowhere Inc'" in err
    assert f"{GLOBEX[:8]} Globex Logistics (Priya Raman -> Marco Bellini)" in err


def test_ambiguous_account_lists_each_and_asks_for_the_id(capsys, store: Store,
                                                          db_path: Path) -> None:
    one = store.create_handoff("Acme", "Dana", "Sam")
    two = store.create_handoff("Acme", "Priya", "Marco")
    code, out, err = run(capsys, "--db", str(db_path), "export", "acme")
    one_error_line(code, err)
    assert out == ""
    assert "'acme' matches 2 handoffs" in err
    assert f"{one.short_id} Acme (Dana -> Sam)" in err
    assert f"{two.short_id} Acme (Priya -> Marco)" in err
    assert "give the id" in err


def test_empty_database_says_so(capsys, store: Store, db_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "export", "Acme")
    assert "no handoffs in this database yet" in one_error_line(code, err)


def test_missing_database_is_not_created(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "--db", str(missing), "export", "Acme")
    assert "does not exist" in one_error_line(code, err)
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "say which handoff"),
        (["Globex", "--all", "-o", "out"], "not both"),
        (["--all"], "--all needs -o"),
        (["Globex", "--as-of", "25/11/2026"], "is not a date"),
        (["Globex", "--format", "pdf"], "Invalid value for '--format'"),
        (["Globex", "--audience", "board"], "Invalid value for '--audience'"),
    ],
)
def test_wrong_arguments_are_one_line(capsys, demo_db, args, words) -> None:
    code, _, err = run(capsys, "--db", demo_db, "export", *args)
    assert words in one_error_line(code, err)


def test_output_file_is_never_overwritten_without_force(capsys, demo_db, tmp_path) -> None:
    target = tmp_path / "globex.md"
    code, out, err = run(capsys, "--db", demo_db, "export", "Globex", "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert target.read_text(encoding="utf-8").startswith("# Account handoff: Globex Logistics")
    target.write_text("my own edits", encoding="utf-8")
    code, _, err = run(capsys, "--db", demo_db, "export", "Globex", "-o", str(target))
    assert "already exists: add --force" in one_error_line(code, err)
    assert target.read_text(encoding="utf-8") == "my own edits"
    code, _, _ = run(capsys, "--db", demo_db, "export", "Globex", "-o", str(target), "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# Account handoff")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".globex")] == []


@pytest.mark.parametrize(("where", "words"), [
    ("folder", "is a folder"),
    ("missing/globex.md", "does not exist"),
])
def test_bad_output_paths_are_one_line(capsys, demo_db, tmp_path, where, words) -> None:
    (tmp_path / "folder").mkdir()
    code, _, err = run(capsys, "--db", demo_db, "export", "Globex", "-o",
                       str(tmp_path / where))
    assert words in one_error_line(code, err)


def test_all_writes_one_safe_distinct_file_per_handoff(capsys, store: Store, db_path: Path,
                                                       tmp_path: Path) -> None:
    for account in ("Acme", "Acme", "ACME!", "../../etc/passwd", "Café <b>", "日本",
                    ".hidden", "🙂", "Zürich: A/B \\ C?*", "Straße", "STRASSE"):
        store.create_handoff(account, "Dana", "Sam")
    folder = tmp_path / "exports"
    code, out, err = run(capsys, "--db", str(db_path), "export", "--all", "-o", str(folder),
                         "--as-of", "2026-11-25")
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 11 and len(out.splitlines()) == 11
    assert all(name.endswith("-handoff-2026-11-25.md") for name in names)
    assert all(name[0].isalnum() and "/" not in name and ".." not in name for name in names)
    assert "café-b-handoff-2026-11-25.md" in names and "hidden-handoff-2026-11-25.md" in names
    assert "etc-passwd-handoff-2026-11-25.md" in names
    assert "日本-handoff-2026-11-25.md" in names  # letters of every script are kept
    assert "zürich-a-b-c-handoff-2026-11-25.md" in names
    assert "account-handoff-2026-11-25.md" in names  # no letters to keep from an emoji
    assert len([n for n in names if n.startswith(("straße-", "strasse-"))]) == 2
    assert len([n for n in names if n.startswith("acme-")]) == 3  # each with its short id


def test_all_refuses_before_writing_anything(capsys, demo_db, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    clash = folder / "initech-handoff-2026-11-25.json"
    clash.write_text("keep me", encoding="utf-8")
    args = ("--db", demo_db, "export", "--all", "-o", str(folder), "--format", "json",
            "--as-of", "2026-11-25")
    code, _, err = run(capsys, *args)
    assert "already exist" in one_error_line(code, err) and "nothing was written" in err
    assert [p.name for p in folder.iterdir()] == [clash.name]
    assert clash.read_text(encoding="utf-8") == "keep me"
    code, _, _ = run(capsys, *args, "--force")
    assert code == 0
    assert len(list(folder.iterdir())) == 9
    assert json.loads(clash.read_text(encoding="utf-8"))["handoff"]["account"] == "Initech"


def test_all_into_a_file_is_refused(capsys, demo_db, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "--db", demo_db, "export", "--all", "-o", str(not_a_folder))
    assert "is a file" in one_error_line(code, err)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_all_in_worker_processes_writes_the_same_bytes(capsys, demo_db, tmp_path: Path,
                                                       monkeypatch, fmt) -> None:
    """Big databases export on every core; the files and the list printed are the same."""
    import transfer_tui.cli.export as export_cli

    code, alone, _ = run(capsys, "--db", demo_db, "export", "--all", "--format", fmt,
                         "-o", str(tmp_path / "alone"), "--as-of", "2026-11-25")
    assert code == 0
    monkeypatch.setattr(export_cli, "PER_WORKER", 2)  # 9 demo handoffs: four processes
    monkeypatch.setattr(export_cli.os, "cpu_count", lambda: 4)
    used = []
    real = export_cli._stage_in_parallel
    monkeypatch.setattr(export_cli, "_stage_in_parallel",
                        lambda *args: used.append(args[-1]) or real(*args))
    code, shared, _ = run(capsys, "--db", demo_db, "export", "--all", "--format", fmt,
                          "-o", str(tmp_path / "shared"), "--as-of", "2026-11-25")
    assert code == 0
    assert used == [4]
    assert shared.replace("/shared/", "/alone/") == alone
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "shared").iterdir())
    assert len(names) == 9
    for name in names:
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_all_into_a_folder_with_a_dangling_link_writes_nothing(capsys, demo_db,
                                                              tmp_path: Path) -> None:
    """It wrote some files, then failed on the link: all or nothing now."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "initech-handoff-2026-11-25.md").symlink_to(tmp_path / "nowhere.md")
    code, _, err = run(capsys, "--db", demo_db, "export", "--all", "-o", str(folder),
                       "--as-of", "2026-11-25")
    assert "already exist" in one_error_line(code, err) and "nothing was written" in err
    assert sorted(p.name for p in folder.iterdir()) == ["initech-handoff-2026-11-25.md"]
    assert not (tmp_path / "nowhere.md").exists()
    code, _, err = run(capsys, "--db", demo_db, "export", "--all", "-o", str(folder),
                       "--as-of", "2026-11-25", "--force")
    assert code == 0, err
    assert len(list(folder.iterdir())) == 9 and not (folder / "initech-handoff-2026-11-25.md"
                                                     ).is_symlink()


def test_all_that_fails_half_way_leaves_no_file(capsys, demo_db, tmp_path: Path,
                                               monkeypatch) -> None:
    import transfer_tui.cli.export as export_cli
    from transfer_tui.store import StoreError

    real, calls = export_cli._render, []

    def render(store, handoff_id, fmt, options):
        calls.append(handoff_id)
        if len(calls) == 4:
            raise StoreError("the database is busy")
        return real(store, handoff_id, fmt, options)

    monkeypatch.setattr(export_cli, "_render", render)
    folder = tmp_path / "out"
    code, _, err = run(capsys, "--db", demo_db, "export", "--all", "-o", str(folder))
    assert "busy" in one_error_line(code, err)
    assert list(folder.iterdir()) == []  # not even a staged file


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_get_the_usual_mode_with_or_without_force(capsys, demo_db, tmp_path: Path,
                                                        umask) -> None:
    """--force wrote 0600 (a temporary file's mode) whatever the umask."""
    import os

    old = os.umask(umask)
    try:
        for force in ((), ("--force",), ("--force",)):
            target = tmp_path / "globex.md"
            assert run(capsys, "--db", demo_db, "export", "Globex", "-o", str(target),
                       *force)[0] == 0
            assert target.stat().st_mode & 0o777 == 0o666 & ~umask
            run(capsys, "--db", demo_db, "export", "--all", "-o", str(tmp_path / "all"),
                *force)
            for path in (tmp_path / "all").iterdir():
                assert path.stat().st_mode & 0o777 == 0o666 & ~umask
            if not force:
                target.unlink()
    finally:
        os.umask(old)
