"""transfer-tui on both engines: python bench/server.py [--quick] [--server URL] [--keep DB]

Builds the benchmark's database file (bench/build.py; 10,000 handoffs by default), copies
it into a fresh database on the PostgreSQL server (``transfer-tui copy``, timed), then
takes the same figures on the file and on the server, side by side: first paint of the
home screen, a task status change (p50 / p95), a filter keystroke (p95), opening a
checklist, the Markdown export of one handoff and of all; and on the server the load
test's throughput (50 clients x 200 changes: bench figure, not a test). The server
database is dropped at the end. ``--server`` is an administrator's URL to the
``postgres`` database (default: postgres on 127.0.0.1:5432, trust authentication).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import build_database  # noqa: E402
from run import (  # noqa: E402
    _screens,
    cold_start,
    exports,
    machine,
    median,
    percentile,
    progress,
)

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def cpu_seconds() -> float:
    """CPU (user + system) used so far by this process and the children it waited for
    (the commands a figure starts): the machine is shared, so each figure says what it
    cost as well as how long it took. The server's own processes are not counted."""
    mine, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                           resource.RUSAGE_CHILDREN))
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def status_changes(db: str, runs: int, changes: int) -> tuple[float, float, float]:
    """Median over runs of p50 / p95 ms of one status change through the store, and the
    median CPU ms of this thread per change."""
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    warm = store.query("SELECT id FROM task LIMIT 1")[0][0]
    store.get_task(warm)
    p50s, p95s, cpus = [], [], []
    for _ in range(runs):
        ids = [r[0] for r in store.query("SELECT id FROM task ORDER BY random() LIMIT ?",
                                         (changes,))]
        taken, cpu = [], []
        for task_id in ids:
            task = store.get_task(task_id)
            start, start_cpu = time.perf_counter(), time.thread_time()
            store.update_task(task.id, expected_version=task.version,
                              seen={"status": task.status}, status=task.state.cycled())
            taken.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        p50s.append(percentile(taken, 0.5))
        p95s.append(percentile(taken, 0.95))
        cpus.append(percentile(cpu, 0.5))
    store.close()
    return median(p50s), median(p95s), median(cpus)


def figures(db: str, runs: int, changes: int) -> tuple[dict[str, str], dict[str, str]]:
    """The figures, and what each block of measurements cost: CPU s / wall s (all runs)."""
    costs: dict[str, str] = {}

    def measured(name: str, block):  # type: ignore[no-untyped-def]
        cpu, wall = cpu_seconds(), time.perf_counter()
        result = block()
        costs[name] = (f"{cpu_seconds() - cpu:.1f} / {time.perf_counter() - wall:.1f}")
        return result

    progress(f"  first paint on {db[:40]} ...")
    ours, bare = measured("first paint (with the bare app's)",
                          lambda: cold_start(db, runs))  # type: ignore[arg-type]
    progress("  status change ...")
    p50, p95, cpu_ms = measured("status changes", lambda: status_changes(db, runs, changes))
    progress("  filter keystroke, open a checklist ...")
    keystroke, opening = measured("filter keystrokes and checklists", lambda: asyncio.run(
        _screens(db, runs, max(runs, 5))))  # type: ignore[arg-type]
    progress("  export ...")
    one, everything = measured("exports", lambda: exports(
        db, max(runs, 5), min(runs, 3)))  # type: ignore[arg-type]
    return {
        "first paint of the home (s), bare Textual beside": f"{ours:.2f} ({bare:.2f})",
        "task status change, p50 / p95 (ms); CPU ms of the app per change":
            f"{p50:.2f} / {p95:.2f}; {cpu_ms:.2f}",
        "filter keystroke, p95 (ms)": f"{keystroke:.1f}",
        "open a checklist (ms)": f"{opening:.1f}",
        "Markdown export: one (ms) / all (s)": f"{one * 1000:.1f} / {everything:.1f}",
    }, costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 handoffs, fewer runs")
    parser.add_argument("--handoffs", type=int, default=None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--server", default=ADMIN, help="an administrator's URL")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the database file at this path once, reuse it after")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    handoffs = args.handoffs or (500 if args.quick else 10_000)
    runs = args.runs or (3 if args.quick else 7)
    import psycopg

    from transfer_tui.store import Store
    from transfer_tui.store.copying import copy_database
    from transfer_tui.store.load import run_load

    base = args.server.rsplit("/", 1)[0]
    names = [f"tt_bench_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with psycopg.connect(args.server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = args.keep or Path(folder) / "bench.db"
            if not db.exists():
                started = time.perf_counter()
                progress(f"built {db}: {build_database(db, handoffs)} in "
                         f"{time.perf_counter() - started:.0f} s")
            url = f"{base}/{names[0]}"
            started = time.perf_counter()
            source, target = Store(db, "Bench", readonly=True), Store(url, "Bench")
            report = copy_database(source, target)
            copied = time.perf_counter() - started
            source.close()
            target.close()
            handoffs = report.source["handoff"]
            progress(f"copied into the server in {copied:.1f} s")
            progress("the file ...")
            loads = [load_average()]
            on_file, file_costs = figures(str(db), runs, 20 if args.quick else 100)
            loads.append(load_average())
            progress("the server ...")
            on_server, server_costs = figures(url, runs, 20 if args.quick else 100)
            loads.append(load_average())
        progress(f"load: {args.clients} clients x {args.changes} changes ...")
        load_cpu = cpu_seconds()
        load = run_load(f"{base}/{names[1]}", args.clients, args.changes)
        load_cpu = cpu_seconds() - load_cpu
        loads.append(load_average())
    finally:
        with psycopg.connect(args.server, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"transfer-tui on both engines: {handoffs:,} handoffs, each figure the median of "
          f"{runs} runs (export all: {min(runs, 3)})")
    print(f"machine: {machine()}; {psycopg.connect(args.server).info.server_version} server "
          "on the loopback")
    print()
    print("| Measure | File | Server |")
    print("|---|---|---|")
    for name, value in on_file.items():
        print(f"| {name} | {value} | {on_server[name]} |")
    print(f"| copy the file into the server (s) | | {copied:.1f} |")
    print(f"| load: {args.clients} clients x {args.changes} changes, half to shared tasks | "
          f"| {load.per_second:,.0f} saves/s ({load.seconds:.0f} s, clients' CPU "
          f"{load_cpu:.0f} s), {load.conflicts:,} conflicts reported, "
          f"{len(load.errors)} errors, {load.saved:,} saved of "
          f"{args.clients * args.changes:,} |")
    print()
    print("| CPU s / wall s of each block of measurements (all runs) | File | Server |")
    print("|---|---|---|")
    for name, value in file_costs.items():
        print(f"| {name} | {value} | {server_costs[name]} |")
    print()
    print("load average (1 / 5 / 15 min) at the start, after the file, after the server, "
          "after the load test: " + "; ".join(loads))


if __name__ == "__main__":
    main()
