"""What a person feels, measured from outside: python bench/outside.py [--quick] [--full]

The real command runs in a pseudo-terminal (:mod:`terminal`, read back through the
``pyte`` terminal emulator) and every figure is the time until the terminal SHOWS the
result, not until the app thinks it drew it. Each figure is taken in turns with a bare
Textual app (:mod:`bare_tui`) or ``transfer-tui --version`` measured the same way, so
a loaded machine slows both alike, and is the median of several runs. One table, one
column per size of file: how each figure grows with the number of handoffs.

    python bench/outside.py                 1,000 and 10,000 handoffs (5 runs)
    python bench/outside.py --full          also 50,000 (builds about 5 GB once)
    python bench/outside.py --quick         100 handoffs, 1 run (for the tests)
    python bench/outside.py --db FILE-OR-URL  one database as it is (no build): a file,
                                            or the server's URL once team mode exists

Figures:

- cold start: from starting the process until the home screen shows handoffs, as a
  ratio to the bare app's first frame;
- quit: ``q`` pressed as soon as the home screen shows, until the process has exited;
- Esc back to home: from ``escape`` on an open checklist until home is on screen again;
- filter keystroke p95: each key typed in the home filter until the box shows it and
  the count of matching handoffs is right, while a colleague process (:mod:`colleague`)
  saves a task once a second; keys come 50-250 ms apart, at any moment of its cycle;
- export: ``transfer-tui export ID`` (and by id prefix, by account name) as a whole
  process, as a ratio to ``transfer-tui --version``;
- memory: the peak RSS of a whole session (start, filter, open three checklists and
  each tab, quit), and of ``transfer-tui import`` of a CSV of as many handoffs
  (``wait4``'s maxrss: the process and every child), with its time per row.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import build_database  # noqa: E402
from terminal import Terminal, TerminalTimeout  # noqa: E402

SIZE = (120, 36)
KEY_LIMIT = 10.0  # s: a keystroke whose result is not on screen by then counts as this
FILTER_KEYS = [*"dana 12", "backspace", "backspace", "backspace", *"wh"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
APP = [sys.executable, "-m", "transfer_tui"]
BARE = [sys.executable, str(HERE / "bare_tui.py")]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# -- what each screen looks like -------------------------------------------------------------

def home(text: str) -> bool:
    return "Handoffs (" in text and "→" in text and "Sections" not in text


def checklist(text: str) -> bool:
    return "Sections" in text and "Tasks (1)" in text


def bare_home(text: str) -> bool:
    return "Northwind Traders 0" in text and "Bare detail" not in text


def bare_detail(text: str) -> bool:
    return "Bare detail screen" in text


def app(db: str) -> list[str]:
    return [*APP, "--db", db, "--as", "Bench"]


# -- the measures ----------------------------------------------------------------------------

def start_and_quit(argv: list[str], shown: Callable[[str], bool]) -> tuple[float, float]:
    """Seconds to the first screen that shows ``shown``; then ``q`` at once: seconds until
    the process has exited."""
    with Terminal(argv, SIZE, ENV) as term:
        painted = term.wait_for(shown)
        pressed = term.press("q")
        exited, _ = term.wait_exit()
    return painted, exited - pressed


def cold_start_and_quit(db: str, runs: int) -> dict[str, float]:
    start_and_quit(app(db), home)  # the OS file cache and byte code, warmed once
    start_and_quit(BARE, bare_home)
    ours, bare, quit_ours, quit_bare = [], [], [], []
    for _ in range(runs):
        painted, quitting = start_and_quit(app(db), home)
        ours.append(painted)
        quit_ours.append(quitting)
        painted, quitting = start_and_quit(BARE, bare_home)
        bare.append(painted)
        quit_bare.append(quitting)
    return {"start": median(ours), "start_bare": median(bare),
            "quit": median(quit_ours), "quit_bare": median(quit_bare)}


def back_home(argv: list[str], opened: Callable[[str], bool], at_home: Callable[[str], bool],
              rounds: int) -> list[float]:
    """Ms from ``escape`` on the second screen until home shows, ``rounds`` times."""
    times = []
    with Terminal(argv, SIZE, ENV) as term:
        term.wait_for(at_home)
        time.sleep(1.0)  # what runs after the first paint (prewarm) is done
        for number in range(rounds):
            if number:
                term.press("down")
            term.press("enter")
            term.wait_for(opened)
            time.sleep(0.4)  # a lone escape must not read as alt+ the next key
            pressed = term.press("escape")
            times.append((term.wait_for(at_home) - pressed) * 1000)
            time.sleep(0.3)
        term.press("q")
        term.wait_exit()
    return times


def escape_home(db: str, runs: int) -> dict[str, float]:
    ours, bare = [], []
    for _ in range(runs):
        ours.append(median(back_home(app(db), checklist, home, 5)))
        bare.append(median(back_home(BARE, bare_detail, bare_home, 5)))
    return {"esc": median(ours), "esc_bare": median(bare)}


def expected_counts(db: str) -> tuple[int, Callable[[str], int]]:
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    summaries = store.handoffs.summaries()
    store.close()

    def count(needle: str) -> int:
        return sum(1 for s in summaries if s.matches(needle))

    return len(summaries), count


def filter_keystrokes(db: str, runs: int, rounds: int = 3) -> dict[str, float]:
    """Median over runs of the p95 ms of one filter keystroke, a colleague saving each
    second meanwhile."""
    total, count = expected_counts(db)
    counts: dict[str, int] = {}
    p95s = []
    stuck: list[str] = []
    import subprocess

    for _ in range(runs):
        colleague = subprocess.Popen([sys.executable, str(HERE / "colleague.py"), db],
                                     stdout=subprocess.PIPE, text=True, env=ENV)
        try:
            assert colleague.stdout is not None
            colleague.stdout.readline()  # ready: it saves from now on
            keystrokes = []
            with Terminal(app(db), SIZE, ENV) as term:
                term.wait_for(home)
                time.sleep(1.0)
                for _ in range(rounds):
                    term.press("slash")
                    typed = ""
                    for key in FILTER_KEYS:
                        time.sleep(random.uniform(0.05, 0.25))
                        typed = typed[:-1] if key == "backspace" else typed + key
                        needle = typed.strip()
                        if needle not in counts:
                            counts[needle] = count(needle) if needle else total
                        title = (f"Handoffs ({counts[needle]} of {total})" if needle
                                 else f"Handoffs ({total})")
                        if needle and not counts[needle]:
                            title = "No handoff matches"
                        line = f"▊  {typed.rstrip()}"

                        def shown(text: str, title: str = title, line: str = line) -> bool:
                            return title in text and any(
                                row.strip().rstrip("▎").rstrip() == line
                                for row in text.splitlines())

                        pressed = term.press(key)
                        try:
                            keystrokes.append((term.wait_for(shown, KEY_LIMIT) - pressed)
                                              * 1000)
                        except TerminalTimeout:  # counted as the limit, and said
                            keystrokes.append(KEY_LIMIT * 1000)
                            stuck.append(term.text)
                    time.sleep(0.4)
                    term.press("escape")
                    term.wait_for(lambda text: f"Handoffs ({total})" in text)
                    time.sleep(0.3)
                term.press("q")
                term.wait_exit()
        finally:
            colleague.kill()
            colleague.wait()
        p95s.append(percentile(keystrokes, 0.95))
    if stuck:
        progress(f"  {len(stuck)} keystrokes never showed their result within {KEY_LIMIT} s; "
                 f"the screen was:\n{stuck[0]}")
    return {"filter_p95": median(p95s), "filter_stuck": len(stuck)}


def measured(argv: list[str]) -> tuple[float, float]:
    """Seconds a command takes as a whole process, and its peak RSS in MB."""
    import subprocess

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        assert proc.stderr is not None
        raise RuntimeError(f"{argv} failed: {proc.stderr.read()[-2000:]!r}")
    return elapsed, usage.ru_maxrss / 1024


def exports(db: str, runs: int) -> dict[str, float]:
    """``export`` of one handoff named by id, id prefix and account name, beside
    ``--version``, in turns."""
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    rows = store.query("SELECT id, account FROM handoff ORDER BY random() LIMIT ?", (runs,))
    store.close()
    out = Path(tempfile.mkdtemp(prefix="bench-export-")) / "one.md"
    ways = {"id": lambda r: r[0], "prefix": lambda r: r[0][:8], "name": lambda r: r[1]}
    found: dict[str, list[float]] = {way: [] for way in ways}
    version = []
    measured([*APP, "--version"])
    for row in rows:
        version.append(measured([*APP, "--version"])[0])
        for way, ref in ways.items():
            found[way].append(measured([*app(db), "export", ref(row), "-o", str(out),
                                        "--force"])[0])
    return {"version": median(version), **{f"export_{w}": median(t) for w, t in found.items()}}


def session_rss(db: str, runs: int) -> dict[str, float]:
    """Peak RSS of a TUI session: start, filter, three checklists and each tab, quit."""
    peaks = []
    for _ in range(runs):
        with Terminal(app(db), SIZE, ENV) as term:
            term.wait_for(home)
            time.sleep(1.0)
            term.press("slash")
            term.type("dana")
            term.wait_for(lambda text: " of " in text)
            term.press("enter")
            time.sleep(0.5)
            term.press("escape")
            term.wait_for(lambda text: home(text) and " of " not in text)
            time.sleep(0.5)
            for step in range(3):
                for _ in range(step * 7):
                    term.press("down")
                term.press("enter")
                term.wait_for(checklist)
                for key in ("2", "3", "1"):
                    term.press(key)
                    time.sleep(0.4)
                term.press("escape")
                term.wait_for(home)
                time.sleep(0.3)
            term.press("q")
            _, peak = term.wait_exit()
        peaks.append(peak)
    return {"session_rss": median(peaks)}


def import_rss(handoffs: int, runs: int) -> dict[str, float]:
    """``transfer-tui import`` of a CSV of ``handoffs`` rows into a new file: peak RSS (MB)
    and ms per row."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = folder / "realignment.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "from", "to", "target date"])
        for number in range(handoffs):
            writer.writerow([f"Account {number:06d}", "Dana Whitfield", "Sam Okafor",
                             "2027-03-01"])
    peaks, per_row = [], []
    for run in range(runs):
        db = folder / f"import-{run}.db"
        seconds, peak = measured([*APP, "--db", str(db), "--as", "Bench", "import",
                                  str(source)])
        peaks.append(peak)
        per_row.append(seconds * 1000 / handoffs)
        db.unlink()
    return {"import_rss": median(peaks), "import_ms_per_row": median(per_row)}


# -- the table -------------------------------------------------------------------------------

def measure(db: str, handoffs: int, runs: int, imports: bool) -> dict[str, float]:
    figures: dict[str, float] = {}
    for name, step in (("cold start and quit", lambda: cold_start_and_quit(db, runs)),
                       ("Esc back to home", lambda: escape_home(db, runs)),
                       ("filter keystrokes", lambda: filter_keystrokes(db, runs)),
                       ("export", lambda: exports(db, max(runs, 3))),
                       ("session memory", lambda: session_rss(db, min(runs, 3)))):
        progress(f"  {handoffs:,}: {name} ...")
        figures.update(step())
    if imports:
        progress(f"  {handoffs:,}: import ...")
        figures.update(import_rss(handoffs, min(runs, 3)))
    return figures


ROWS: list[tuple[str, Callable[[dict[str, float]], str]]] = [
    ("cold start, ratio to a bare Textual app",
     lambda f: f"{f['start'] / f['start_bare']:.2f} ({f['start']:.2f} s / {f['start_bare']:.2f})"),
    ("Esc from a checklist back to home, ms (bare Esc beside)",
     lambda f: f"{f['esc']:.0f} ({f['esc_bare']:.0f})"),
    ("filter keystroke p95 while a colleague saves once a second, ms",
     lambda f: f"{f['filter_p95']:.0f}" + (f" ({f['filter_stuck']:.0f} never shown)"
                                            if f.get("filter_stuck") else "")),
    ("`export ID`, whole process, ratio to `--version`",
     lambda f: f"{f['export_id'] / f['version']:.2f}"),
    ("`export` by id prefix / by account name, ratio to `--version`",
     lambda f: f"{f['export_prefix'] / f['version']:.2f} / {f['export_name'] / f['version']:.2f}"),
    ("process exit after `q` right after the first paint, s (bare beside)",
     lambda f: f"{f['quit']:.2f} ({f['quit_bare']:.2f})"),
    ("peak RSS of a session, MB", lambda f: f"{f['session_rss']:.0f}"),
    ("import peak RSS, MB", lambda f: f"{f['import_rss']:.0f}" if "import_rss" in f else "—"),
    ("import, ms per row", lambda f: f"{f['import_ms_per_row']:.2f}"
     if "import_ms_per_row" in f else "—"),
]


def growth_table(columns: dict[int, dict[str, float]]) -> str:
    sizes = list(columns)
    lines = ["| | " + " | ".join(f"{n:,}" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for name, cell in ROWS:
        lines.append(f"| {name} | " + " | ".join(cell(columns[n]) for n in sizes) + " |")
    return "\n".join(lines)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 handoffs, 1 run")
    parser.add_argument("--full", action="store_true", help="also 50,000 handoffs")
    parser.add_argument("--sizes", type=str, default=None,
                        help="comma-separated numbers of handoffs (overrides the above)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (5)")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()),
                        help="folder where the built files are kept and reused")
    parser.add_argument("--db", default=None,
                        help="measure this database as it is: a file, or a server URL")
    parser.add_argument("--no-import", action="store_true", help="skip the import figures")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
    else:
        sizes = [100] if args.quick else [1_000, 10_000] + ([50_000] if args.full else [])

    columns: dict[int, dict[str, float]] = {}
    loads = [load()]
    if args.db:
        from transfer_tui.store import Store

        store = Store(args.db, "Bench")
        handoffs = store.handoffs.count()
        store.close()
        columns[handoffs] = measure(args.db, handoffs, runs, not args.no_import)
    for handoffs in [] if args.db else sizes:
        db = args.keep / f"transfer-tui-bench-{handoffs}.db"
        if not db.exists():
            started = time.perf_counter()
            partial = db.with_suffix(".partial")
            build_database(partial, handoffs)
            partial.rename(db)
            progress(f"built {db} in {time.perf_counter() - started:.0f} s")
        columns[handoffs] = measure(str(db), handoffs, runs, not args.no_import)
        loads.append(load())
        progress(growth_table(columns))  # so far: a run cut short still tells something
    print(f"transfer-tui from outside: medians of {runs} runs; {loads[0]} at the start, "
          f"{loads[-1]} at the end")
    print()
    print(growth_table(columns))


if __name__ == "__main__":
    main()
