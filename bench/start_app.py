"""transfer-tui started as a person starts it, for the benchmark: its own process, the real
command (``transfer-tui --db DB``), headless at 120x36.

    python bench/start_app.py DB            prints "painted" once the home screen has
                                            drawn its handoffs, then exits
    python bench/start_app.py DB --session  also filters, opens a few checklists and
                                            shows each tab, then prints "rss <MB>": the
                                            peak memory of the whole session
"""

from __future__ import annotations

import sys

from painted import headless, on_first_paint, peak_rss_mb


def home_has_rows(app) -> bool:
    table = next(iter(app.screen.query("#handoffs")), None)
    return table is not None and getattr(table, "row_count", 0) > 0


async def session(pilot) -> None:
    """What a person does in the first minute: filter, open handoffs, look at every tab."""
    app = pilot.app
    while not home_has_rows(app):
        await pilot.pause(0.01)
    await pilot.press("slash", *"dana", "enter")
    await pilot.pause()
    await pilot.press("escape")
    for step in range(3):
        await pilot.press(*["down"] * (step * 7), "enter")
        for _ in range(500):  # until the checklist has its tasks (at most 5 s)
            if next(iter(app.screen.query("#tasks")), None) is not None and getattr(
                    app.screen.query_one("#tasks"), "row_count", 0):
                break
            await pilot.pause(0.01)
        for key in ("2", "3", "1", "escape"):
            await pilot.press(key)
            await pilot.pause()
    await app.workers.wait_for_complete()
    app.exit()


def main() -> None:
    db = sys.argv[1]
    if "--session" in sys.argv:
        headless(auto_pilot=session)
        on_first_paint(home_has_rows, lambda app: None)
    else:
        headless()
        on_first_paint(home_has_rows, lambda app: app.exit())
    from transfer_tui.cli import main as command

    code = command(["--db", db, "--as", "Bench"])
    if "--session" in sys.argv:
        print(f"rss {peak_rss_mb():.1f}", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
