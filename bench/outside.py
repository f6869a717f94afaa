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
                                            or a server's URL
    python bench/outside.py --server ADMIN_URL  also each file copied onto that PostgreSQL
                                            server (``transfer-tui copy``, kept for next time)

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
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

def start_and_quit(argv: list[str], shown: Callable[[str], bool]
                   ) -> tuple[float, float, float]:
    """Seconds to the first screen that shows ``shown``; then ``q`` at once: seconds until
    the process has exited; and the CPU seconds the whole process used."""
    with Terminal(argv, SIZE, ENV) as term:
        painted = term.wait_for(shown)
        pressed = term.press("q")
        exited, _ = term.wait_exit()
    return painted, exited - pressed, term.cpu_s or 0.0


def cold_start_and_quit(db: str, runs: int) -> dict[str, float]:
    start_and_quit(app(db), home)  # the OS file cache and byte code, warmed once
    start_and_quit(BARE, bare_home)
    taken: dict[str, list[float]] = {k: [] for k in (
        "start", "quit", "start_cpu", "start_bare", "quit_bare", "start_bare_cpu")}
    for _ in range(runs):
        for suffix, argv, shown in (("", app(db), home), ("_bare", BARE, bare_home)):
            painted, quitting, cpu = start_and_quit(argv, shown)
            taken["start" + suffix].append(painted)
            taken["quit" + suffix].append(quitting)
            taken[f"start{suffix}_cpu"].append(cpu)
    return {name: median(values) for name, values in taken.items()}


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


def measured(argv: list[str]) -> tuple[float, float, float]:
    """Seconds a command takes as a whole process, its peak RSS in MB, and the CPU
    seconds it used (user + system: what a loaded machine does not inflate much)."""
    import subprocess

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert proc.stderr is not None
    problems = proc.stderr.read()  # before waiting: a full pipe would block it
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{argv} failed: {problems[-2000:]!r}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def exports(db: str, runs: int) -> dict[str, float]:
    """``export`` of one handoff named by id, id prefix and account name, beside
    ``--version``, in turns."""
    from transfer_tui.store import Store

    store = Store(db, "Bench")
    rows = store.query("SELECT id, account FROM handoff ORDER BY random() LIMIT ?", (runs,))
    store.close()
    out = Path(tempfile.mkdtemp(prefix="bench-export-")) / "one.md"
    ways = {"id": lambda r: r[0], "prefix": lambda r: r[0][:8], "name": lambda r: r[1]}
    found: dict[str, list[tuple[float, float, float]]] = {way: [] for way in ways}
    version = []
    measured([*APP, "--version"])
    for row in rows:
        version.append(measured([*APP, "--version"]))
        for way, ref in ways.items():
            found[way].append(measured([*app(db), "export", ref(row), "-o", str(out),
                                        "--force"]))
    figures = {"version": median([v[0] for v in version]),
               "version_cpu": median([v[2] for v in version])}
    for way, taken in found.items():
        figures[f"export_{way}"] = median([t[0] for t in taken])
        figures[f"export_{way}_cpu"] = median([t[2] for t in taken])
    return figures


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
            time.sleep(0.5)
            term.press("escape")  # clears the filter (enter would open the first match)
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


def import_rss(handoffs: int, runs: int, server: str | None = None) -> dict[str, float]:
    """``transfer-tui import`` of a CSV of ``handoffs`` rows into a new file (or a new
    database on the ``server``): peak RSS (MB), and ms per row in wall and CPU time."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    source = folder / "realignment.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "from", "to", "target date"])
        for number in range(handoffs):
            writer.writerow([f"Account {number:06d}", "Dana Whitfield", "Sam Okafor",
                             "2027-03-01"])
    peaks, per_row, cpu_per_row = [], [], []
    for run in range(runs):
        with fresh_database(server, folder / f"import-{run}.db") as db:
            seconds, peak, cpu = measured([*APP, "--db", db, "--as", "Bench", "import",
                                           str(source)])
        peaks.append(peak)
        per_row.append(seconds * 1000 / handoffs)
        cpu_per_row.append(cpu * 1000 / handoffs)
    shutil.rmtree(folder, ignore_errors=True)
    return {"import_rss": median(peaks), "import_ms_per_row": median(per_row),
            "import_cpu_ms_per_row": median(cpu_per_row)}


@contextmanager
def fresh_database(server: str | None, path: Path) -> Iterator[str]:
    """A new, empty database for one run: a file at ``path``, or one made on the
    ``server`` (an administrator's URL), gone afterwards."""
    if server is None:
        try:
            yield str(path)
        finally:
            path.unlink(missing_ok=True)
        return
    import psycopg

    name = f"tt_outside_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def on_server(db: Path, server: str) -> str:
    """The file's handoffs in a database of their own on the server (``transfer-tui copy``),
    kept between runs under a name that says how many: made only when not already there."""
    import psycopg

    from transfer_tui.store import Store
    from transfer_tui.store.copying import copy_database

    name = f"tt_outside_{db.stem.rsplit('-', 1)[-1]}"
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    source = Store(db, "Bench", readonly=True)
    try:
        wanted = source.handoffs.count()
        with psycopg.connect(server, autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                   (name,)).fetchone()
        if exists:
            target = Store(url, "Bench")
            have = target.handoffs.count()
            target.close()
            if have == wanted:
                return url
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        started = time.perf_counter()
        target = Store(url, "Bench")
        copy_database(source, target)
        target.close()
        progress(f"copied {wanted:,} handoffs into {name} in "
                 f"{time.perf_counter() - started:.0f} s")
        return url
    finally:
        source.close()


# -- the table -------------------------------------------------------------------------------

def measure(db: str, handoffs: int, runs: int, imports: bool,
            server: str | None = None) -> dict[str, float]:
    """Every figure on one database; ``server``: it is on that server (the import's new
    databases go there too)."""
    figures: dict[str, float] = {}
    for name, step in (("cold start and quit", lambda: cold_start_and_quit(db, runs)),
                       ("Esc back to home", lambda: escape_home(db, runs)),
                       ("filter keystrokes", lambda: filter_keystrokes(db, runs)),
                       ("export", lambda: exports(db, max(runs, 3))),
                       ("session memory", lambda: session_rss(db, min(runs, 3)))):
        progress(f"  {handoffs:,}: {name} ...")
        figures.update(step())
    if imports:  # a big import takes minutes on a busy machine: once from 10,000
        progress(f"  {handoffs:,}: import ...")
        figures.update(import_rss(handoffs, 1 if handoffs >= 10_000 else min(runs, 3),
                                  server))
    return figures


ROWS: list[tuple[str, Callable[[dict[str, float]], str]]] = [
    ("cold start, ratio to a bare Textual app",
     lambda f: f"{f['start'] / f['start_bare']:.2f} ({f['start']:.2f} s / {f['start_bare']:.2f})"),
    ("CPU of that start and quit, ratio to the bare app's",
     lambda f: f"{f['start_cpu'] / f['start_bare_cpu']:.2f} ({f['start_cpu']:.2f} s / "
               f"{f['start_bare_cpu']:.2f})"),
    ("Esc from a checklist back to home, ms (bare Esc beside)",
     lambda f: f"{f['esc']:.0f} ({f['esc_bare']:.0f})"),
    ("filter keystroke p95 while a colleague saves once a second, ms",
     lambda f: f"{f['filter_p95']:.0f}" + (f" ({f['filter_stuck']:.0f} never shown)"
                                            if f.get("filter_stuck") else "")),
    ("`export ID`, whole process, ratio to `--version`: wall (CPU); ms (`--version` ms)",
     lambda f: f"{f['export_id'] / f['version']:.2f} "
               f"({f['export_id_cpu'] / f['version_cpu']:.2f}); "
               f"{f['export_id'] * 1000:.0f} ({f['version'] * 1000:.0f})"),
    ("`export` by id prefix / by account name, ratio to `--version`: wall (CPU)",
     lambda f: f"{f['export_prefix'] / f['version']:.2f} "
               f"({f['export_prefix_cpu'] / f['version_cpu']:.2f}) / "
               f"{f['export_name'] / f['version']:.2f} "
               f"({f['export_name_cpu'] / f['version_cpu']:.2f})"),
    ("process exit after `q` right after the first paint, s (bare beside)",
     lambda f: f"{f['quit']:.2f} ({f['quit_bare']:.2f})"),
    ("peak RSS of a session, MB", lambda f: f"{f['session_rss']:.0f}"),
    ("import peak RSS, MB", lambda f: f"{f['import_rss']:.0f}" if "import_rss" in f else "—"),
    ("import, ms per row: wall (CPU)", lambda f: f"{f['import_ms_per_row']:.2f} "
     f"({f['import_cpu_ms_per_row']:.2f})" if "import_ms_per_row" in f else "—"),
]


def growth_table(columns: dict[tuple[int, str], dict[str, float]]) -> str:
    """One column per size of database and engine (a file, a server)."""
    keys = list(columns)
    lines = ["| | " + " | ".join(f"{n:,} {engine}" for n, engine in keys) + " |",
             "|---|" + "---|" * len(keys)]
    for name, cell in ROWS:
        lines.append(f"| {name} | " + " | ".join(cell(columns[k]) for k in keys) + " |")
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
    parser.add_argument("--server", default=None, metavar="ADMIN_URL",
                        help="also on a PostgreSQL server: each file copied into a database "
                        "of its own there (kept for the next run), e.g. "
                        "postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only-server", action="store_true",
                        help="with --server: measure the server's copies only")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 5)
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
    else:
        sizes = [100] if args.quick else [1_000, 10_000] + ([50_000] if args.full else [])

    columns: dict[tuple[int, str], dict[str, float]] = {}
    loads = [load()]
    if args.db:
        from transfer_tui.store import Store

        store = Store(args.db, "Bench")
        handoffs = store.handoffs.count()
        store.close()
        engine = "server" if "://" in args.db else "file"
        columns[handoffs, engine] = measure(args.db, handoffs, runs, not args.no_import)
    for handoffs in [] if args.db else sizes:
        db = args.keep / f"transfer-tui-bench-{handoffs}.db"
        if not db.exists():
            started = time.perf_counter()
            partial = db.with_suffix(".partial")
            build_database(partial, handoffs)
            partial.rename(db)
            progress(f"built {db} in {time.perf_counter() - started:.0f} s")
        if not args.only_server:
            columns[handoffs, "file"] = measure(str(db), handoffs, runs, not args.no_import)
            loads.append(load())
        if args.server:
            url = on_server(db, args.server)
            columns[handoffs, "server"] = measure(url, handoffs, runs, not args.no_import,
                                                  server=args.server)
            loads.append(load())
        progress(growth_table(columns))  # so far: a run cut short still tells something
    print(f"transfer-tui from outside: medians of {runs} runs; {loads[0]} at the start, "
          f"{loads[-1]} at the end")
    print()
    print(growth_table(columns))


if __name__ == "__main__":
    main()
