"""transfer-tui in a browser, measured: python bench/serve.py [--handoffs N] [--runs N] [--keep DB]

Starts the real ``transfer-tui serve`` on the benchmark's database (10,000 handoffs by
default, built by build.py as for run.py) and drives Debian's Chromium through Playwright
(tests/web/browser.py: the launch flags, reading xterm's buffer). Prints one table:

1. Page open to first text: from the browser starting to navigate to the link (the token's
   redirect included) until the home screen's handoffs are in the terminal (xterm's
   buffer), and until they are first drawn; in a fresh browser context each time (no
   cache, a new cookie), once the server is idle (its spare app ready). Headless Chromium
   without a GPU draws xterm's canvas in software: the second figure holds that cost.
2. The same for a tab opened right after another (no spare ready yet: the app starts
   cold), for comparison.
3. Memory per open tab: three tabs open, each on a checklist; the resident (RSS) and
   proportional (PSS, shared pages split) memory of each tab's app process, median; the
   server and the spare app beside them.

Nothing here is a test; the figures depend on the machine (see the README).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from build import build_database  # noqa: E402
from run import CHILD_ENV, machine, progress, table  # noqa: E402

from tests.web import browser as chromium  # noqa: E402
from tests.web.served import Served  # noqa: E402

TABS = 3


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def open_tab(browser, url: str, text: str) -> tuple[object, tuple[float, float]]:
    """A new tab on the link; seconds until ``text`` is in its terminal, and drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(chromium.first_text_probe(text))
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__firstText.drawn", polling=50, timeout=60_000)
    marks = page.evaluate("() => window.__firstText")
    return page, (marks["parsed"] / 1000, marks["drawn"] / 1000)


def idle(server: Served, apps: int, limit: float = 60) -> None:
    """Until the server has ``apps`` app processes (the tabs and the spare) and is quiet."""
    deadline = time.monotonic() + limit
    while len(server.apps()) != apps and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)  # the spare has drawn its screen


def measure(db: Path, runs: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    handoffs = sqlite3.connect(db).execute("SELECT count(*) FROM handoff").fetchone()[0]
    text = f"Handoffs ({handoffs})"  # the title of the list, drawn with its first rows
    server = Served(db, "--max-sessions", str(TABS + 2), user="Bench", env=CHILD_ENV)
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            warm: list[tuple[float, float]] = []
            cold: list[tuple[float, float]] = []
            for _ in range(runs):
                idle(server, 1)
                first, seconds = open_tab(browser, server.url, text)
                warm.append(seconds)
                second, seconds = open_tab(browser, server.url, text)  # right after
                cold.append(seconds)
                first.context.close()
                second.context.close()
            idle(server, 1)
            pages = [open_tab(browser, server.url, text)[0] for _ in range(TABS)]
            for page in pages:
                page.keyboard.press("Enter")  # a checklist open in each
                chromium.wait_for_text(page, "Sections", timeout=60)
            idle(server, TABS + 1)
            tabs = server.tab_apps()[-TABS:]
            per_tab = [memory_mb(pid) for pid in tabs]
            spare = [pid for pid in server.apps() if pid not in tabs]
            result = {
                "handoffs": handoffs,
                "warm": (statistics.median(p for p, _ in warm),
                         statistics.median(d for _, d in warm)),
                "cold": (statistics.median(p for p, _ in cold),
                         statistics.median(d for _, d in cold)),
                "rss": statistics.median(r for r, _ in per_tab),
                "pss": statistics.median(p for _, p in per_tab),
                "server": memory_mb(server.proc.pid)[0],
                "spare": memory_mb(spare[0])[0] if spare else 0.0,
            }
            browser.close()
        server.stop()
    finally:
        server.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handoffs", type=int, default=10_000, help="handoffs to build")
    parser.add_argument("--runs", type=int, default=7, help="tabs opened per figure")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the database at this path once and reuse it after")
    args = parser.parse_args()
    reason = chromium.missing(install=False)
    if reason:
        sys.exit(f"bench/serve.py: {reason}")
    with tempfile.TemporaryDirectory() as folder:
        db = args.keep or Path(folder) / "bench.db"
        if not db.exists():
            started = time.perf_counter()
            counts = build_database(db, args.handoffs)
            progress(f"built {db} in {time.perf_counter() - started:.0f} s: {counts}")
        progress("opening tabs ...")
        r = measure(db, args.runs)
    (warm, warm_drawn), (cold, cold_drawn) = r["warm"], r["cold"]
    rows = [
        ("1. page open to first text: in the terminal / drawn (s)",
         f"{warm:.2f} / {warm_drawn:.2f}", "drawn < 1 s", warm_drawn < 1),
        ("2. the same, right after another tab (s)", f"{cold:.2f} / {cold_drawn:.2f}",
         "reported", True),
        ("3. memory per open tab: RSS / PSS (MB)",
         f"{r['rss']:.0f} / {r['pss']:.0f} (server {r['server']:.0f}, spare app "
         f"{r['spare']:.0f})", "reported", True),
    ]
    print(f"transfer-tui in a browser: {r['handoffs']:,} handoffs, medians of {args.runs} "
          f"tabs (memory: {TABS} tabs, each on a checklist)")
    print(f"machine: {machine()}; {chromium_version()}")
    print()
    print(table(rows))


def chromium_version() -> str:
    try:
        out = subprocess.run([str(chromium.CHROMIUM), "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except OSError:
        return "Chromium"
    return " ".join(out.split()[:2])


if __name__ == "__main__":
    main()
