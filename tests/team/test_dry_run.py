"""`import --dry-run`: says what it would create and skip, and changes nothing at all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from transfer_tui.cli import main


def _digest(path: Path) -> dict[str, str]:
    """Every file of the database (with any journal beside it), byte for byte."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.glob(path.name + "*"))}


def test_dry_run_prints_the_plan_and_leaves_the_file_byte_identical(
        capsys, demo_file: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "realign.csv"
    csv_file.write_text("account,from,to,target date\n"
                        "Initech,Alex Chen,Jordan Rivera,2027-01-15\n"
                        "New Co,Dana Whitfield,Sam Okafor,2027-02-01\n", encoding="utf-8")
    before = _digest(demo_file)
    assert main(["--db", str(demo_file), "import", "--dry-run", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert _digest(demo_file) == before
    assert out.startswith(f"Dry run, nothing changed: {csv_file} would create 1 handoff and "
                          "skip 1.")
    assert f"create  {csv_file}:3: New Co: Dana Whitfield -> Sam Okafor, 2027-02-01" in out
    assert f"{csv_file}:2: Initech is already in an open handoff to Jordan Rivera" in out
    assert main(["--db", str(demo_file), "import", str(csv_file)]) == 0  # what it said
    assert "Created 1 handoff" in capsys.readouterr().out


def test_dry_run_of_a_bad_file_lists_its_rows_and_a_missing_database_stays_missing(
        capsys, tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    csv_file = tmp_path / "realign.csv"
    csv_file.write_text("account,from,to\nA,Dana,Dana\nB,Dana,Sam\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "--dry-run", str(csv_file)]) == 1
    assert f"{csv_file}:2:" in capsys.readouterr().err
    csv_file.write_text("account,from,to\nB,Dana,Sam\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "--dry-run", str(csv_file)]) == 0
    assert "would create 1 handoff and skip 0" in capsys.readouterr().out
    assert not db.exists()


def test_dry_run_on_a_server_reads_the_server_and_changes_nothing(
        capsys, server_url: str, tmp_path: Path) -> None:
    """A server's URL is not a file that may be missing: the plan is read from it."""
    from transfer_tui.store import Store

    store = Store(server_url, "Dana")
    try:
        store.create_handoff("Initech", "Alex Chen", "Jordan Rivera")
    finally:
        store.close()
    csv_file = tmp_path / "realign.csv"
    csv_file.write_text("account,from,to\nInitech,Alex Chen,Jordan Rivera\n"
                        "New Co,Dana Whitfield,Sam Okafor\n", encoding="utf-8")
    assert main(["--db", server_url, "import", "--dry-run", str(csv_file)]) == 0
    assert "would create 1 handoff and skip 1" in capsys.readouterr().out
    store = Store(server_url, "Dana")
    try:
        assert [s.account for s in store.summaries()] == ["Initech"]
    finally:
        store.close()
