"""Cold start of transfer-tui, for the benchmark: start, paint the home screen with its
handoffs, exit. Run as its own process: python bench/start_app.py DB [--rss]."""

from __future__ import annotations

import sys
from pathlib import Path


async def _until_painted(pilot) -> None:
    app = pilot.app
    for _ in range(2000):
        await pilot.pause()
        screen = app.screen
        table = next(iter(screen.query("#handoffs")), None)
        if table is not None and getattr(table, "row_count", 0) > 0:
            break
    await pilot.pause()
    app.exit()


def main() -> None:
    from transfer_tui.app import TransferApp
    from transfer_tui.cli import Settings  # the same imports as the real command

    store = Settings(db=Path(sys.argv[1]), user="Bench").open_store()
    TransferApp(store).run(headless=True, size=(120, 36), auto_pilot=_until_painted)
    store.close()
    if "--rss" in sys.argv:
        print(_peak_rss_mb())


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
