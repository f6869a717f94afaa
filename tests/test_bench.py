"""The benchmark keeps working: built on a tiny database, every measure printed once.

Only that it runs and prints its one table: the figures depend on the machine, so
nothing here looks at them (the README records them, with the machine).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_the_benchmark_runs_on_a_tiny_database(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--handoffs", "60", "--runs", "1", "--keep", str(db)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("transfer-tui benchmark: 60 handoffs")
    assert lines[1].startswith("machine: ")
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert [row.split(".")[0] for row in rows] == ["| 1", "| 2", "| 3", "| 4", "| 5", "| 6",
                                                   "| 7"]
    assert all(row.rstrip().endswith(("| ok |", "| MISSED |")) for row in rows)
    assert db.exists()  # --keep: built once, reused by the next run


def test_the_terminal_harness_reads_a_real_apps_screen_and_its_exit() -> None:
    """bench/terminal.py: the bare app in a pseudo-terminal, its screen read back through
    pyte, a key sent as a terminal sends it, its exit and peak memory seen from outside."""
    sys.path.insert(0, str(BENCH.parent))
    try:
        from terminal import Terminal
    finally:
        sys.path.remove(str(BENCH.parent))
    with Terminal([sys.executable, str(BENCH.parent / "bare_tui.py")], (80, 24)) as term:
        shown = term.wait_for(lambda text: "Northwind Traders 0" in text)
        term.press("enter")
        term.wait_for(lambda text: "Bare detail screen" in text)
        pressed = term.press("q")
        exited, peak = term.wait_exit()
    assert term.proc.returncode == 0
    assert 0 < shown < exited and pressed < exited
    assert peak > 10  # a Python process with Textual loaded: tens of MB


def test_the_team_benchmark_runs_on_a_tiny_database(tmp_path: Path) -> None:
    """bench/team.py (issue 15): builds, spreads over CSMs, prints its table once."""
    result = subprocess.run(
        [sys.executable, str(BENCH.parent / "team.py"), "--handoffs", "40", "--csms", "6",
         "--runs", "1", "--keep", str(tmp_path / "team.db")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("transfer-tui team benchmark: 40 handoffs, 6 CSMs")
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| measure")]
    assert len(rows) == 7


def test_the_outside_benchmark_prints_its_growth_table(tmp_path: Path) -> None:
    """bench/outside.py (issue 16): the real command in a pseudo-terminal, each figure read
    off the emulated screen; one column per size and engine (here: one small file)."""
    result = subprocess.run(
        [sys.executable, str(BENCH.parent / "outside.py"), "--sizes", "40", "--runs", "1",
         "--no-import", "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("transfer-tui from outside: medians of 1 runs; load average")
    assert lines[2] == "| | 40 file |"
    rows = [line for line in lines[4:] if line.startswith("| ")]
    assert len(rows) == 10
    assert all(row.count("|") == 3 and not row.endswith("|  |") for row in rows)
    assert "ratio to a bare Textual app | " in rows[0]
