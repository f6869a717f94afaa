"""transfer-tui benchmark: python bench/run.py [--quick] [--handoffs N] [--runs N] [--keep DB]

Builds a database of N handoffs (10,000 by default; about 40 tasks each, with notes,
records and history, cloned from the demo handoffs), then prints one table: each
figure is the median of several runs, beside its target. Nothing here is a test:
the figures depend on the machine, so the README records them with the machine
they came from.

How each figure is taken:

1. Cold start: the real command (``transfer-tui --db DB``) in a new process, headless
   at 120x36, timed from starting the process until the home screen's first update
   that shows handoffs has been drawn (``painted.py``), beside a bare Textual app
   (Header, DataTable, Footer) timed the same way.
2. Status change: ``Store.tasks.update`` (check, write, log the event, commit) in
   this process, beside the same UPDATE with plain sqlite3 on the same file with
   the same settings (rollback journal, synchronous=FULL).
3. Filter keystroke: one key sent to the running home screen until the first frame
   drawn with the matching handoffs in the table (no pilot pauses inside the timing).
4. Open a checklist: enter on a handoff's row until the first frame drawn with its
   checklist and tasks (the median of several handoffs; the first builds the screen,
   later ones reuse it).
5. Markdown export: one handoff in this process; all of them with the real command.
6. Peak memory: the whole process of a TUI session (start, filter, open three
   checklists and each of their tabs).
7. Due digest: ``transfer-tui due --as NAME`` for the person on the most handoffs, the
   real command from process start to exit; beside it the query and the Markdown alone
   in this process.
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import DAY, build_database  # noqa: E402
from painted import MARK, SIZE, FirstFrame  # noqa: E402

FILTER_KEYS = [*"dana 12", "backspace", "backspace", "backspace", *"wh"]


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- 1. cold start ---------------------------------------------------------------------------

# As installed (pip compiles every module): byte code is written on the first run and read
# after, even where the environment says not to (PYTHONDONTWRITEBYTECODE).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def first_paint(script: str, *args: str) -> float:
    """Seconds from starting the process until it says the screen is painted."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(HERE / script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=CHILD_ENV)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = proc.communicate(timeout=120)
    if line.strip() != MARK or proc.returncode:
        raise RuntimeError(f"{script} did not paint (exit {proc.returncode}): {err[-2000:]}")
    return elapsed


def cold_start(db: Path, runs: int) -> tuple[float, float]:
    """Median seconds to the painted home screen, and the bare app's, taken in turns."""
    first_paint("start_app.py", str(db))  # the OS file cache, and .pyc files, warmed once
    first_paint("start_bare.py")
    ours, bare = [], []
    for _ in range(runs):
        ours.append(first_paint("start_app.py", str(db)))
        bare.append(first_paint("start_bare.py"))
    return median(ours), median(bare)


def peak_rss(db: Path, runs: int) -> float:
    """Median peak RSS (MB) of a whole TUI session."""
    peaks = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, str(HERE / "start_app.py"), str(db),
                                 "--session"], capture_output=True, text=True, timeout=600,
                                env=CHILD_ENV)
        lines = [line for line in result.stdout.splitlines() if line.startswith("rss ")]
        if result.returncode or not lines:
            raise RuntimeError(f"the session failed: {result.stderr[-2000:]}")
        peaks.append(float(lines[-1].split()[1]))
    return median(peaks)


# -- 2. status change ------------------------------------------------------------------------

def status_changes(db: Path, runs: int, changes: int) -> tuple[float, float, float, float]:
    """Median over runs of p50 / p95 ms of one task status change through the store, and
    of the same UPDATE with plain sqlite3 on the same file and settings."""
    from transfer_tui.domain import Status
    from transfer_tui.store import Store
    from transfer_tui.store.connection import connect

    store = Store(db, "Bench")
    conn = connect(db)
    warm = store.query("SELECT id FROM task LIMIT 1")[0][0]
    store.tasks.get(warm)  # SQLAlchemy and the models loaded before timing
    ours50, ours95, plain50, plain95 = [], [], [], []
    for _ in range(runs):
        ids = [r[0] for r in store.query("SELECT id FROM task ORDER BY random() LIMIT ?",
                                         (changes,))]
        ours = []
        for task_id in ids:
            task = store.tasks.get(task_id)  # what the screen already holds
            start = time.perf_counter()
            store.tasks.update(task.id, expected_version=task.version,
                               seen={"status": task.status}, status=task.state.cycled())
            ours.append((time.perf_counter() - start) * 1000)
        plain = []
        for task_id in ids:
            status = random.choice([s.value for s in Status])
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE task SET status = ?, version = version + 1 WHERE id = ?",
                         (status, task_id))
            conn.execute("COMMIT")
            plain.append((time.perf_counter() - start) * 1000)
        ours50.append(percentile(ours, 0.5))
        ours95.append(percentile(ours, 0.95))
        plain50.append(percentile(plain, 0.5))
        plain95.append(percentile(plain, 0.95))
    conn.close()
    store.close()
    return median(ours50), median(ours95), median(plain50), median(plain95)


# -- 3 and 4. screens ------------------------------------------------------------------------

async def settle(pilot, done: Callable[[], bool], limit: float = 30.0) -> None:
    """Let the app handle what is queued (and draw as it does) until ``done()``, then draw.

    No pilot pauses: those sleep 20 ms at least, more than what is measured here.
    """
    deadline = time.perf_counter() + limit
    while True:
        await pilot._wait_for_screen()
        if done():
            break
        if time.perf_counter() > deadline:
            raise RuntimeError("the screen never got there")
        await asyncio.sleep(0.0005)  # the screen's update timer draws meanwhile
    pilot.app.screen._on_timer_update()


async def timed(pilot, frames: FirstFrame, key: str, shown: Callable[[], bool]) -> float:
    """Ms from sending ``key`` until the first frame drawn once ``shown()`` holds; then
    let the app finish what the key started (not timed)."""
    frames.wait_for(shown)
    start = time.perf_counter()
    pilot.app._driver.send_message(_key(key))
    await settle(pilot, lambda: frames.at is not None)
    elapsed = ((frames.at or time.perf_counter()) - start) * 1000
    await settle(pilot, lambda: True)
    return elapsed


def _key(name: str):
    from textual import events

    char = {"space": " ", "backspace": None, "enter": "\r"}.get(name, name)
    return events.Key("space" if name == " " else name, " " if name == " " else char)


async def _screens(db: Path, runs: int, opens: int) -> tuple[float, float]:
    """Median over runs of the p95 ms of a filter keystroke; median ms to open a checklist."""
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist import ChecklistScreen
    from transfer_tui.screens.handoffs import HandoffsScreen
    from transfer_tui.store import Store

    frames = FirstFrame()
    store = Store(db, "Bench")
    summaries = store.handoffs.summaries()
    ids = [r[0] for r in store.query("SELECT id FROM handoff ORDER BY random() LIMIT ?",
                                     (opens,))]
    app = TransferApp(store)
    p95s, openings = [], []
    async with app.run_test(size=SIZE) as pilot:
        def table():
            return app.screen.query_one("#handoffs")

        await settle(pilot, lambda: isinstance(app.screen, HandoffsScreen)
                     and table().row_count > 0)
        await app.workers.wait_for_complete()
        for _ in range(runs):
            await pilot.press("slash")
            await pilot.pause()
            box = app.screen.query_one("#filter")
            keystrokes = []
            typed = ""
            for key in FILTER_KEYS:
                typed = typed[:-1] if key == "backspace" else typed + key
                needle = typed.strip()
                expected = sum(1 for s in summaries if s.matches(needle)) if needle else len(
                    summaries)
                keystrokes.append(await timed(
                    pilot, frames, key, lambda t=typed, n=expected, b=box: b.value == t
                    and table().row_count == n))
            p95s.append(percentile(keystrokes, 0.95))
            await pilot.press("escape")
            await pilot.pause()
        for handoff_id in ids:  # enter on its row, as a person opens it
            home = table()
            if hasattr(home, "items"):
                home.cursor = next(i for i, s in enumerate(home.items) if s.id == handoff_id)
            else:  # the DataTable of releases before the benchmark (for before/after)
                home.move_cursor(row=home.get_row_index(handoff_id))
            await settle(pilot, lambda: True)
            openings.append(await timed(
                pilot, frames, "enter", lambda h=handoff_id: isinstance(app.screen,
                                                                         ChecklistScreen)
                and app.screen.handoff_id == h and app.screen.query_one("#tasks").row_count > 0))
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, HandoffsScreen))
            await pilot.pause()
    store.close()
    if os.environ.get("BENCH_DEBUG"):
        print("keystroke p95s", [round(x) for x in p95s], "openings", [round(x) for x in openings],
              file=sys.stderr)
    return median(p95s), median(openings)


# -- 5. export -------------------------------------------------------------------------------

def exports(db: Path, runs: int, all_runs: int) -> tuple[float, float]:
    """Median seconds for one handoff's Markdown (in process), and for all of them (the
    real command, each run into an empty folder)."""
    from transfer_tui.export import render_markdown
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    count = store.handoffs.count()  # a file or a server (bench/server.py)
    ids = [r[0] for r in store.query("SELECT id FROM handoff ORDER BY random() LIMIT ?",
                                     (runs + 1,))]
    render_markdown(store.snapshots.read(ids[0]))  # imports and the models, before timing
    one = []
    for handoff_id in ids[1:]:
        start = time.perf_counter()
        render_markdown(store.snapshots.read(handoff_id))
        one.append(time.perf_counter() - start)
    store.close()
    everything = []
    for _ in range(all_runs):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "transfer_tui", "--db", str(db), "export",
                            "--all", "-o", folder], check=True, capture_output=True,
                           env=CHILD_ENV)
            everything.append(time.perf_counter() - start)
            written = len(os.listdir(folder))
        if written != count:
            raise RuntimeError(f"export --all wrote {written} files for {count} handoffs")
    return median(one), median(everything)


# -- 7. due digest ---------------------------------------------------------------------------

def due_digest(db: Path, runs: int) -> tuple[float, float, str, int]:
    """Median seconds for the due digest of the busiest person: the query and its Markdown
    in this process, and the real command; who, and how many items the digest had."""
    from transfer_tui.outreach.digest import make_digest, render_digest_markdown
    from transfer_tui.store import Store

    conn = sqlite3.connect(db)
    person, _ = conn.execute("SELECT name, count(*) FROM (SELECT incoming AS name FROM handoff "
                             "UNION ALL SELECT outgoing FROM handoff) GROUP BY name "
                             "ORDER BY 2 DESC LIMIT 1").fetchone()
    conn.close()
    store = Store(db, "Bench")
    items = store.due.items(person, DAY, 7)  # imports, before timing
    inside = []
    for _ in range(runs):
        start = time.perf_counter()
        items = store.due.items(person, DAY, 7)
        render_digest_markdown(make_digest(person, DAY, 7, items))
        inside.append(time.perf_counter() - start)
    store.close()
    command = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "transfer_tui", "--db", str(db), "--as", person,
                        "due"], check=True, capture_output=True, env=CHILD_ENV)
        command.append(time.perf_counter() - start)
    return median(inside), median(command), person, len(items)


# -- the table -------------------------------------------------------------------------------

def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " " + line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    import textual

    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{model}{memory}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"Textual {textual.__version__}")


def table(rows: list[tuple[str, str, str, bool]]) -> str:
    lines = ["| Measure | Result | Target | |", "|---|---|---|---|"]
    lines += [f"| {name} | {value} | {target} | {'ok' if ok else 'MISSED'} |"
              for name, value, target, ok in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 handoffs, fewer runs")
    parser.add_argument("--handoffs", type=int, default=None,
                        help="handoffs to build (10,000; --quick: 500)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per figure (7; --quick: 3)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the database at this path once and reuse it after")
    args = parser.parse_args()
    handoffs = args.handoffs or (500 if args.quick else 10_000)
    runs = args.runs or (3 if args.quick else 7)

    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            counts = build_database(db, handoffs)
            progress(f"built {db} in {time.perf_counter() - started:.0f} s: {counts}")
        handoffs = sqlite3.connect(db).execute("SELECT count(*) FROM handoff").fetchone()[0]
        progress("1. cold start ...")
        ours, bare = cold_start(db, runs)
        progress("2. status change ...")
        p50, p95, plain50, plain95 = status_changes(db, runs, 20 if args.quick else 100)
        progress("3-4. filter keystroke, open a checklist ...")
        keystroke, opening = asyncio.run(_screens(db, runs, max(runs, 5)))
        progress("5. export ...")
        one, everything = exports(db, max(runs, 5), min(runs, 3))
        progress("6. peak memory ...")
        rss = peak_rss(db, min(runs, 3))
        progress("7. due digest ...")
        due_inside, due_command, due_person, due_items = due_digest(db, runs)

    ratio = ours / bare
    rows = [
        ("1. cold start to the painted home (s)",
         f"{ours:.2f} vs bare Textual {bare:.2f}: ratio {ratio:.2f}", "ratio ≤ 1.5",
         ratio <= 1.5),
        ("2. task status change, p50 / p95 (ms)",
         f"{p50:.2f} / {p95:.2f} vs sqlite3 {plain50:.2f} / {plain95:.2f}: ratio "
         f"{p50 / plain50:.1f} / {p95 / plain95:.1f}", "ratio ≤ 5, p95 < 5 ms",
         p50 / plain50 <= 5 and p95 / plain95 <= 5 and p95 < 5),
        ("3. filter keystroke, p95 (ms)", f"{keystroke:.1f}", "< 50 ms", keystroke < 50),
        ("4. open a checklist (ms)", f"{opening:.1f}", "< 100 ms", opening < 100),
        ("5. Markdown export: one (ms) / all (s)", f"{one * 1000:.1f} / {everything:.1f}",
         "one < 50 ms, all < 60 s", one < 0.05 and everything < 60),
        ("6. peak memory of a TUI session (MB)", f"{rss:.0f}", "< 200 MB", rss < 200),
        ("7. due digest, busiest person: command / query + Markdown (s)",
         f"{due_command:.2f} / {due_inside:.3f} ({due_items:,} items for {due_person})",
         "command < 1 s", due_command < 1),
    ]
    print(f"transfer-tui benchmark: {handoffs:,} handoffs, each figure the median of "
          f"{runs} runs (export all and memory: {min(runs, 3)})")
    print(f"machine: {machine()}")
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
