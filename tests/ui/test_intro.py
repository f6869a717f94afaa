"""i on the checklist: the intro is written in the current folder and shown; what is missing
is one line; an existing intro is replaced only when confirmed."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock
from tests.outreach.helpers import PEOPLE, write_config
from tests.ui.test_export_preview import told
from tests.ui.test_user_text import screen_text
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.intro_preview import IntroPreview
from transfer_tui.widgets.confirm import Confirm

GLOBEX = demo_id("Globex Logistics")
FILES = ["globex-logistics-intro-2026-11-25.eml", "globex-logistics-intro-2026-11-25.ics"]


async def press_i(app: TransferApp, pilot, *, asks: bool = False) -> None:
    app.push_screen(ChecklistScreen(GLOBEX))
    await pilot.pause()
    await pilot.press("i")
    await settle(app, pilot, lambda: isinstance(app.screen, Confirm) if asks else
                 not any(w.is_running for w in app.workers)
                 or isinstance(app.screen, IntroPreview))


async def settle(app: TransferApp, pilot, done, tries: int = 100) -> None:
    """Pause until ``done()`` (the worker waits on a dialog, so it cannot be awaited)."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if done():
            return
    raise AssertionError("the screen did not settle")


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_i_writes_the_intro_and_shows_it(demo_store, in_tmp, isolated_home, size) -> None:
    write_config(isolated_home, PEOPLE)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await press_i(app, pilot)
        assert isinstance(app.screen, IntroPreview)
        text = screen_text(app)
        assert "E-mail draft" in text and "Written to" in text
        assert "To: Lena Fischer <lena.fischer@globex.example>" in text
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.focused.id == "intro-1"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
    assert sorted(p.name for p in in_tmp.iterdir()) == FILES


async def test_the_invite_shows_when_and_who(demo_store, in_tmp, isolated_home) -> None:
    write_config(isolated_home, PEOPLE)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 60)) as pilot:
        await press_i(app, pilot)
        text = screen_text(app)
        assert "Thursday 2026-11-26 16:00-16:30 Europe/Berlin" in text
        assert "Henrik Olsen <henrik.olsen@globex.example>" in text


async def test_missing_data_is_one_line_and_nothing_is_written(demo_store, in_tmp) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await press_i(app, pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert "No intro written: no e-mail address for Priya Raman" in told(app)
        assert "under [people] in" in told(app)
    assert list(in_tmp.iterdir()) == []


async def test_an_existing_intro_is_replaced_only_when_confirmed(demo_store, in_tmp,
                                                                 isolated_home) -> None:
    write_config(isolated_home, PEOPLE)
    (in_tmp / FILES[1]).write_text("mine", encoding="utf-8")
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await press_i(app, pilot, asks=True)
        await pilot.press("n")
        await settle(app, pilot, lambda: isinstance(app.screen, ChecklistScreen))
        assert sorted(p.name for p in in_tmp.iterdir()) == [FILES[1]]
        await pilot.press("i")
        await settle(app, pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await settle(app, pilot, lambda: isinstance(app.screen, IntroPreview))
    assert sorted(p.name for p in in_tmp.iterdir()) == FILES
    assert (in_tmp / FILES[1]).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
