"""Make the README's screenshots from the demo data: python scripts/screenshots.py

Runs the real app headless on a throw-away database (demo data as of a fixed
day, so the pictures only change when the screens do) and saves SVGs in
screenshots/.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.store import Store

DAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SIZE = (120, 36)
OUT = Path(__file__).resolve().parent.parent / "screenshots"


def clock() -> datetime:
    return NOW


async def home(pilot: Pilot) -> None:
    await pilot.pause()


async def new_handoff(pilot: Pilot) -> None:
    await pilot.press("n")
    await pilot.pause()
    for text in ("Contoso Pharma", "Hannah Schultz", "hannah schultz", "2026-02-30"):
        for char in text:
            await pilot.press("space" if char == " " else char)
        await pilot.press("tab")
    await pilot.press("right", "ctrl+s")
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


async def checklist(pilot: Pilot) -> None:
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await pilot.pause()
    await pilot.press("right_square_bracket", "down", "down")
    await pilot.pause()


async def activity(pilot: Pilot) -> None:
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await pilot.pause()
    await pilot.press("3", "down")
    await pilot.pause()


async def conflict(pilot: Pilot) -> None:
    """Marco edits a note that Priya, in another terminal, rewrites before he saves."""
    screen = ChecklistScreen(demo_id("Globex Logistics"))
    pilot.app.push_screen(screen)
    await pilot.pause()
    await pilot.press("e", "ctrl+end", "enter", *"Renewal", "space", *"call", "space", *"booked")
    other = Store(pilot.app.store.path, "Priya Raman", clock=clock)
    other.update_task(screen.current_task().id, note="Priya rewrote the note after the call.")
    other.close()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def help_screen(pilot: Pilot) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


SHOTS: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "home": home,
    "new-handoff": new_handoff,
    "checklist": checklist,
    "activity": activity,
    "conflict": conflict,
    "help": help_screen,
}


async def shoot(name: str, steps: Callable[[Pilot], Awaitable[None]], db: Path) -> Path:
    store = Store(db, "Marco Bellini", clock=clock)
    app = TransferApp(store, clock=clock, location="~/team/handoffs.db")
    async with app.run_test(size=SIZE) as pilot:
        await steps(pilot)
        await pilot.pause(0.2)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    store.close()
    return path


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "handoffs.db"
        store = Store(db, "Marco Bellini", clock=clock)
        load_demo(store, today=DAY)
        store.close()
        for name, steps in SHOTS.items():
            print(await shoot(name, steps, db))


if __name__ == "__main__":
    asyncio.run(main())
