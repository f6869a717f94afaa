"""transfer-tui benchmark: python bench/run.py [--quick] [--handoffs N] [--runs N] [--keep]

Builds a database of N handoffs (10,000 by default; about 34 tasks each, with notes,
records and history, cloned from the demo handoffs) and prints one table of figures,
each the median of several runs, beside its target. Nothing here is a test: the
figures depend on the machine, so the README records them with the machine they came
from.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import build_database  # noqa: E402


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed_process(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, result.stdout.strip()


def cold_start(db: Path, runs: int) -> tuple[float, float, float]:
    """Seconds to the home screen painted with data, the bare app's, and their ratio."""
    timed_process([str(HERE / "start_app.py"), str(db)])  # warm the OS file cache once
    timed_process([str(HERE / "start_bare.py")])
    ours, bare = [], []
    for _ in range(runs):
        ours.append(timed_process([str(HERE / "start_app.py"), str(db)])[0])
        bare.append(timed_process([str(HERE / "start_bare.py")])[0])
    return median(ours), median(bare), median(ours) / median(bare)


def peak_rss(db: Path) -> float:
    return float(timed_process([str(HERE / "start_app.py"), str(db), "--rss"])[1])


def status_changes(db: Path, changes: int) -> tuple[float, float, float, float]:
    """p50/p95 ms of one task status change through the store, and of the same UPDATE
    with plain sqlite3 on the same file and settings."""
    from transfer_tui.domain import Status
    from transfer_tui.store import Store
    from transfer_tui.store.connection import connect

    store = Store(db, "Bench")
    rows = store.query("SELECT id FROM task ORDER BY random() LIMIT ?", (changes,))
    ids = [r[0] for r in rows]
    store.get_task(ids[0])  # load SQLAlchemy and the models before timing
    ours = []
    for task_id in ids:
        task = store.get_task(task_id)
        start = time.perf_counter()
        store.update_task(task.id, expected_version=task.version, status=task.state.cycled())
        ours.append((time.perf_counter() - start) * 1000)
    store.close()
    conn = connect(db)
    plain = []
    for task_id in ids:
        status = random.choice([s.value for s in Status])
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE task SET status = ?, version = version + 1 WHERE id = ?",
                     (status, task_id))
        conn.execute("COMMIT")
        plain.append((time.perf_counter() - start) * 1000)
    conn.close()
    return percentile(ours, 0.5), percentile(ours, 0.95), percentile(plain, 0.5), percentile(
        plain, 0.95)


async def _screens(db: Path, keys: str, opens: int) -> tuple[float, float]:
    """p95 ms of a filter keystroke until repainted; median ms to open a checklist."""
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist import ChecklistScreen
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    ids = [r[0] for r in store.query("SELECT id FROM handoff ORDER BY random() LIMIT ?",
                                     (opens,))]
    app = TransferApp(store)
    keystrokes, openings = [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        await pilot.pause()
        for key in keys:
            start = time.perf_counter()
            await pilot.press("space" if key == " " else key)
            await pilot.pause()
            keystrokes.append((time.perf_counter() - start) * 1000)
        await pilot.press("escape")
        await pilot.pause()
        for handoff_id in ids:
            start = time.perf_counter()
            app.push_screen(ChecklistScreen(handoff_id))
            await pilot.pause()
            openings.append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await pilot.pause()
    store.close()
    return percentile(keystrokes, 0.95), median(openings)


def exports(db: Path, runs: int, everything: bool) -> tuple[float, float | None]:
    """Seconds for one handoff's Markdown, and for all of them."""
    try:
        from transfer_tui.export import render_markdown
    except ImportError:
        return float("nan"), None
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    ids = [r[0] for r in store.query("SELECT id FROM handoff ORDER BY random() LIMIT ?",
                                     (runs,))]
    render_markdown(store.snapshot(ids[0]))
    one = []
    for handoff_id in ids:
        start = time.perf_counter()
        render_markdown(store.snapshot(handoff_id))
        one.append(time.perf_counter() - start)
    total = None
    if everything:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "transfer_tui", "--db", str(db), "export",
                            "--all", "-o", folder], check=True, capture_output=True)
            total = time.perf_counter() - start
    store.close()
    return median(one), total


def machine() -> str:
    cores = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {cores} cores {model}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 handoffs, fewer runs")
    parser.add_argument("--handoffs", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None,
                        help="reuse (or build once) the database at this path")
    args = parser.parse_args()
    handoffs = args.handoffs or (500 if args.quick else 10_000)
    runs = args.runs or (3 if args.quick else 7)

    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            counts = build_database(db, handoffs)
            print(f"built {db} in {time.perf_counter() - started:.1f} s: {counts}",
                  file=sys.stderr)
        ours, bare, ratio = cold_start(db, runs)
        p50, p95, plain50, plain95 = status_changes(db, 40 if args.quick else 200)
        keystroke, opening = asyncio.run(_screens(db, "dana 12", 3 if args.quick else 10))
        one, total = exports(db, runs, everything=True)
        rss = peak_rss(db)

    rows = [
        ("1. cold start to painted home (s)", f"{ours:.2f} vs bare {bare:.2f}: ratio {ratio:.2f}",
         "ratio <= 1.5", ratio <= 1.5),
        ("2. task status change p50 / p95 (ms)",
         f"{p50:.2f} / {p95:.2f}; sqlite3 {plain50:.2f} / {plain95:.2f}: ratio "
         f"{p50 / plain50:.1f} / {p95 / plain95:.1f}",
         "ratio <= 5, p95 < 5 ms", p95 / plain95 <= 5 and p95 < 5),
        ("3. filter keystroke p95 (ms)", f"{keystroke:.1f}", "< 50 ms", keystroke < 50),
        ("4. open a checklist (ms)", f"{opening:.1f}", "< 100 ms", opening < 100),
        ("5. Markdown export: one (ms) / all (s)",
         f"{one * 1000:.1f} / {'n/a' if total is None else f'{total:.1f}'}",
         "one < 50 ms, all < 60 s",
         one < 0.05 and total is not None and total < 60),
        ("6. peak memory of the TUI (MB)", f"{rss:.0f}", "< 200 MB", rss < 200),
    ]
    print(f"transfer-tui benchmark: {handoffs:,} handoffs, median of {runs} runs")
    print(f"machine: {machine()}")
    width = max(len(r[0]) for r in rows)
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:<58}  {target:<24}  {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
