"""Make the README's screenshots from the demo data: python scripts/screenshots.py

Runs the real app headless on a throw-away database (demo data as of a fixed
day, so the pictures only change when the screens do) and saves SVGs in
screenshots/. Then, when Chromium and Playwright are there, ``transfer-tui serve``
on the same data in Chromium: browser.png (its dates count from today).
"""

from __future__ import annotations

import asyncio
import os
import sys
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


async def settle(pilot: Pilot) -> None:
    """Let the store calls the screens run in workers answer, then the screen redraw."""
    await pilot.pause()
    for _ in range(3):
        running = [w for w in pilot.app.workers
                   if not w.is_finished and w.group.startswith("store:")]
        if not running:
            break
        await pilot.app.workers.wait_for_complete(running)
        await pilot.pause()


async def home(pilot: Pilot) -> None:
    await settle(pilot)


async def new_handoff(pilot: Pilot) -> None:
    await pilot.press("n")
    await settle(pilot)
    for text in ("Contoso Pharma", "CRM-0042", "Hannah Schultz", "hannah schultz",
                 "2026-02-30"):
        for char in text:
            await pilot.press("space" if char == " " else char)
        await pilot.press("tab")
    await pilot.press("tab", "tab", "right", "ctrl+s")  # past renewal and playbook: shadowing
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


async def checklist(pilot: Pilot) -> None:
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)
    await pilot.press("right_square_bracket", "down", "down")
    await settle(pilot)


async def context(pilot: Pilot) -> None:
    """The Context tab on Globex's promises: unverified ones and open ones stand out."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    pilot.app.screen.context_pane.select_kind("promise")
    await settle(pilot)


async def license_tasks(pilot: Pilot) -> None:
    """The License section of the Tasks tab, with the license record beside its tasks."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)


async def record_form(pilot: Pilot) -> None:
    """Adding a key date: a form built from the record kind, refusing a bad value in place."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Initech")))
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    pilot.app.screen.context_pane.select_kind("key_date")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    for text in ("First QBR with Nina", "after the renewal"):
        for char in text:
            await pilot.press("space" if char == " " else char)
        await pilot.press("tab")
    await pilot.press("ctrl+s")
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


async def activity(pilot: Pilot) -> None:
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)
    await pilot.press("3", "down")
    await settle(pilot)


async def conflict(pilot: Pilot) -> None:
    """Marco edits a note that Priya, in another terminal, rewrites before he saves."""
    screen = ChecklistScreen(demo_id("Globex Logistics"))
    pilot.app.push_screen(screen)
    await settle(pilot)
    await pilot.press("e", "ctrl+end", "enter", *"Renewal", "space", *"call", "space", *"booked")
    other = Store(pilot.app.store.path, "Priya Raman", clock=clock)
    other.tasks.update(screen.current_task().id, note="Priya rewrote the note after the call.")
    other.close()
    await pilot.press("ctrl+s")
    await settle(pilot)


async def help_screen(pilot: Pilot) -> None:
    await pilot.press("question_mark")
    await settle(pilot)


async def raci(pilot: Pilot) -> None:
    pilot.app.push_screen(ChecklistScreen(RACI_ID))
    await settle(pilot)
    await pilot.press("right_square_bracket", "down")
    await settle(pilot)


async def sign_off(pilot: Pilot) -> None:
    """Soylent Research, handed over by Alex, as Sam (incoming) is about to accept it."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Soylent Research")))
    await settle(pilot)
    await pilot.press("A")
    await settle(pilot)


async def readiness(pilot: Pilot) -> None:
    """Umbrella Health: every task ticked, nothing recorded. The header says what is
    missing; H, as Hannah, is refused, saying what to record and where."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Umbrella Health")))
    await settle(pilot)
    await pilot.press("H")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)


async def verify_refused(pilot: Pilot) -> None:
    """Priya, the outgoing CSM, tries to verify a channel she added on Globex: refused,
    saying who must (the incoming CSM)."""
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    pane = pilot.app.screen.context_pane
    pane.select_kind("channel")
    await settle(pilot)
    await pilot.press("tab")
    await settle(pilot)
    table = pane.query_one("#records")
    table.focus()
    unverified = [r.id for r in pane.records.get("channel", []) if r.verified_at is None]
    for _ in range(table.row_count):  # to her unverified channel
        if pane.current_record() is not None and pane.current_record().id in unverified:
            break
        table.action_cursor_down()
        await settle(pilot)
    await pilot.press("v")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)


async def intro(pilot: Pilot) -> None:
    """i on Globex's checklist: the customer intro written and shown, to the stakeholders
    marked executive sponsor and primary contact (the CSMs' addresses come from a
    settings file)."""
    home = Path(os.environ["HOME"])
    (home / "drafts").mkdir(exist_ok=True)
    os.chdir(home / "drafts")
    pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
    await settle(pilot)
    await pilot.press("i")
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


NOTIFIED = {"readiness", "verify-refused"}  # shots whose point is what the app says
RACI_ID = "c0417050a5e14ce1b2b0d1e5a7f1a001"

async def team(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


SHOTS: dict[str, tuple[str, Callable[[Pilot], Awaitable[None]]]] = {
    "home": ("Marco Bellini", home),
    "new-handoff": ("Marco Bellini", new_handoff),
    "checklist": ("Marco Bellini", checklist),
    "license-tasks": ("Marco Bellini", license_tasks),
    "context": ("Marco Bellini", context),
    "record-form": ("Marco Bellini", record_form),
    "activity": ("Marco Bellini", activity),
    "conflict": ("Marco Bellini", conflict),
    "help": ("Marco Bellini", help_screen),
    "raci": ("Marco Bellini", raci),
    "signoff": ("Sam Okafor", sign_off),
    "readiness": ("Hannah Schultz", readiness),
    "verify-refused": ("Priya Raman", verify_refused),
    "intro": ("Marco Bellini", intro),
    "team": ("Marco Bellini", team),
}


def add_raci_handoff(store: Store) -> None:
    """A Sales-to-CS handoff on the RACI playbook, a few steps along."""
    from transfer_tui.playbooks import get_builtin

    store.user = "Priya Raman"
    store.handoffs.create("Contoso Pharma", "Priya Raman", "Marco Bellini",
                          target_date="2026-12-31", renewal_date="2027-06-30",
                          playbook=get_builtin("sales-to-cs-raci"), handoff_id=RACI_ID)
    tasks = store.handoffs.checklist(RACI_ID).tasks
    store.tasks.update(tasks[0].id, status="done",
                       note="Champion: Dr. Aylin Kaya (Head of Clinical Ops).")
    store.tasks.update(tasks[1].id, status="in_progress")
    store.tasks.update(tasks[5].id, status="done")


async def shoot(name: str, user: str, steps: Callable[[Pilot], Awaitable[None]],
                db: Path) -> Path:
    store = Store(db, user, clock=clock)
    app = TransferApp(store, clock=clock, location="~/team/handoffs.db")
    async with app.run_test(size=SIZE, notifications=name in NOTIFIED) as pilot:
        await steps(pilot)
        await pilot.pause(0.2)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    store.close()
    return path


def browser_view(db: Path) -> Path | None:
    """The app in Chromium, served: the first handoff's checklist, as Marco (the database
    shown under a home folder, as in the other pictures)."""
    sys.path.insert(0, str(OUT.parent))  # the repository, for tests/web
    from tests.web import browser as chromium
    from tests.web.served import Served

    reason = chromium.missing(install=False)
    if reason is not None:
        print(f"no browser screenshot: {reason}")
        return None
    from playwright.sync_api import sync_playwright

    team = db.parent / "team"
    team.mkdir(exist_ok=True)
    shown = db.replace(team / "handoffs.db")
    server = Served(shown, user="Marco Bellini", env={**os.environ, "HOME": str(db.parent)})
    try:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            page = chromium.new_page(browser)
            page.goto(server.url)
            chromium.wait_for_text(page, "Globex Logistics")
            page.keyboard.press("Enter")  # the first handoff of the list
            chromium.wait_for_text(page, "Sections")
            page.wait_for_timeout(1000)  # the fade-in, and a full draw
            path = OUT / "browser.png"
            page.screenshot(path=str(path))
            browser.close()
        server.stop()
    finally:
        server.close()
    return path


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"  # the intro's settings and drafts, never the real ones
        (home / ".config" / "transfer-tui").mkdir(parents=True)
        (home / ".config" / "transfer-tui" / "config.toml").write_text(
            '[people]\n"Priya Raman" = "priya.raman@ourco.example"\n'
            '"Marco Bellini" = "marco.bellini@ourco.example"\n', encoding="utf-8")
        os.environ["HOME"] = str(home)
        os.environ.pop("XDG_CONFIG_HOME", None)
        os.environ.pop("TRANSFER_TUI_CONFIG", None)
        db = Path(folder) / "handoffs.db"
        store = Store(db, "Marco Bellini", clock=clock)
        load_demo(store, today=DAY)
        add_raci_handoff(store)
        store.close()
        for name, (user, steps) in SHOTS.items():
            print(await shoot(name, user, steps, db))
        print(await asyncio.to_thread(browser_view, db))


if __name__ == "__main__":
    asyncio.run(main())
