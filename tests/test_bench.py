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
