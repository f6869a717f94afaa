"""The lead's view at scale: the Team view's first paint and `report`, at 10,000 handoffs
and 200 CSMs (issue 15: first paint under 300 ms, report under 2 s).

Builds the benchmark database (bench/build.py: the demo handoffs cloned, 40 tasks each,
with their records and history), then spreads it over 200 CSMs, over targets from 8 weeks
back to 12 ahead, and a share of it handed over or accepted, so every figure has work to
do. Then measures, each as the median of --runs:

1. the Team view's first paint: from pressing t on home to the first frame drawn with
   the Team view on screen ("Counting…"), and to the first frame showing every CSM's row
   and both charts (the worker's SQL aggregates done);
2. the store's calls alone: team_figures and handoff_lines;
3. `transfer-tui report` as a person runs it, one process per run (Python's start-up
   included), in each format, output to a file.

Usage: .venv/bin/python bench/team.py [--handoffs 10000] [--csms 200] [--runs 5] [--keep DB]
SQLite only: the PostgreSQL store (issue 11) is not on main yet; the SQL is portable.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import DAY, build_database  # noqa: E402
from painted import FirstFrame  # noqa: E402

PAINT_LIMIT_MS, REPORT_LIMIT_S = 300, 2.0


def spread(db: Path, csms: int) -> None:
    """Names, targets and states varied over the cloned handoffs (plain SQL, one pass)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    ids = [r[0] for r in conn.execute("SELECT id FROM handoff ORDER BY rowid")]
    for number, handoff_id in enumerate(ids):
        outgoing = f"CSM {number % csms:03d}"
        incoming = f"CSM {(number * 7 + 1) % csms:03d}"
        if incoming == outgoing:
            incoming = f"CSM {(number + 1) % csms:03d}"
        target = DAY + timedelta(days=(number % 140) - 56)
        state = ("accepted" if number % 10 == 0 else
                 "handed_over" if number % 10 == 1 else None)
        conn.execute(
            "UPDATE handoff SET outgoing = ?, incoming = ?, target_date = ?, "
            "state = COALESCE(?, state), handed_over_at = CASE WHEN ? IS NULL THEN "
            "handed_over_at ELSE '2026-11-20 09:00:00.000000' END WHERE id = ?",
            (outgoing, incoming, target.isoformat(), state, state, handoff_id))
    conn.execute("COMMIT")
    conn.close()


async def team_paint(db: Path, runs: int) -> tuple[list[float], ...]:
    """Ms from t on home to the first frame of the Team view, and to its figures drawn;
    wall clock and the process's CPU time (all its threads) over the same span."""
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.handoffs import HandoffsScreen
    from transfer_tui.screens.team import TeamScreen
    from transfer_tui.store import Store

    frames = FirstFrame()
    store = Store(db, "Bench")
    app = TransferApp(store, clock=lambda: __import__("datetime").datetime(
        DAY.year, DAY.month, DAY.day, 9, tzinfo=__import__("datetime").UTC))
    first, full, cpu_first, cpu_full = [], [], [], []
    rows = 0
    async with app.run_test(size=(120, 36)) as pilot:
        from run import settle

        await settle(pilot, lambda: isinstance(app.screen, HandoffsScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            frames.wait_for(lambda: isinstance(app.screen, TeamScreen))
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press("t")
            await settle(pilot, lambda: frames.at is not None)
            first.append(((frames.at or time.perf_counter()) - start) * 1000)
            cpu_first.append((time.process_time() - cpu) * 1000)

            def counted() -> bool:
                screen = app.screen
                return isinstance(screen, TeamScreen) and screen.figures is not None and (
                    screen.query_one("#team").row_count == len(screen.figures.people))

            frames.wait_for(counted)
            if not counted():
                await settle(pilot, lambda: frames.at is not None)
            else:
                frames.at = time.perf_counter()
            full.append(((frames.at or time.perf_counter()) - start) * 1000)
            cpu_full.append((time.process_time() - cpu) * 1000)
            rows = app.screen.query_one("#team").row_count
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, HandoffsScreen))
            await pilot.pause()
    store.close()
    return first, full, cpu_first, cpu_full, rows


def store_calls(db: Path, runs: int) -> tuple:
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    figures_ms, lines_ms, figures_cpu, lines_cpu = [], [], [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        figures = store.team.figures(DAY)
        figures_ms.append((time.perf_counter() - start) * 1000)
        figures_cpu.append((time.process_time() - cpu) * 1000)
        start, cpu = time.perf_counter(), time.process_time()
        lines = store.team.lines(DAY)
        lines_ms.append((time.perf_counter() - start) * 1000)
        lines_cpu.append((time.process_time() - cpu) * 1000)
    store.close()
    return figures_ms, lines_ms, figures_cpu, lines_cpu, len(figures.people), len(lines)


def report_runs(db: Path, runs: int, fmt: str) -> tuple[list[float], list[float]]:
    command = [str(Path(sys.executable).parent / "transfer-tui"), "--db", str(db), "report",
               "--format", fmt, "--as-of", DAY.isoformat()]
    seconds, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(runs):
            out = Path(folder) / f"report-{number}.{fmt}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*command, "-o", str(out)], check=True, capture_output=True)
            seconds.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handoffs", type=int, default=10_000)
    parser.add_argument("--csms", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the database here once and reuse it")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    db = args.keep or Path(folder.name) / "team.db"
    if not db.exists():
        print(f"building {args.handoffs:,} handoffs…", file=sys.stderr)
        build_database(db, args.handoffs)
        spread(db, args.csms)
    first, full, cpu_first, cpu_full, rows = asyncio.run(team_paint(db, args.runs))
    figures_ms, lines_ms, figures_cpu, lines_cpu, people, lines = store_calls(db, args.runs)
    med = statistics.median
    print(f"transfer-tui team benchmark: {lines:,} handoffs, {people} CSMs, "
          f"median of {args.runs} runs; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs (CPU time is what an idle machine would wait)")
    print("| measure | wall median | wall worst | CPU median | limit | by CPU |")
    print("|---|---|---|---|---|---|")

    def row(name: str, wall: list[float], cpu: list[float], limit: float, unit: str) -> None:
        verdict = "" if not limit else ("ok" if med(cpu) < limit else "MISSED")
        shown = f"{limit:g} {unit}" if limit else ""
        print(f"| {name} | {med(wall):.{0 if unit == 'ms' else 2}f} {unit} | "
              f"{max(wall):.{0 if unit == 'ms' else 2}f} {unit} | "
              f"{med(cpu):.{0 if unit == 'ms' else 2}f} {unit} | {shown} | {verdict} |")

    row("Team view: first frame after t", first, cpu_first, PAINT_LIMIT_MS, "ms")
    row(f"Team view: every CSM ({rows}) and both charts drawn", full, cpu_full,
        PAINT_LIMIT_MS, "ms")
    row("store.team.figures (SQL aggregates)", figures_ms, figures_cpu, 0, "ms")
    row("store.team.lines", lines_ms, lines_cpu, 0, "ms")
    for fmt in ("md", "csv", "json"):
        seconds, cpu = report_runs(db, args.runs, fmt)
        row(f"transfer-tui report --format {fmt} (whole process)", seconds, cpu,
            REPORT_LIMIT_S, "s")


if __name__ == "__main__":
    main()
