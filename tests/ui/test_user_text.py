"""What people type is shown as typed: markup is not applied, escape codes do nothing."""

from __future__ import annotations

import html
import re

import pytest

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.store import Store
from transfer_tui.widgets.safe_text import clean, plain

NASTY_ACCOUNT = "[bold]Acme[/] [@click=app.quit]Q[/]"
NASTY_PERSON = "Dana [link=x]W[/link]"
NASTY_INCOMING = "Sam [Red]r[/Red] [1]"
NASTY_NOTE = "\x1b[31mred?\x1b[0m [b]not bold[/b]\nline two \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\"


def screen_text(app: TransferApp) -> str:
    """Everything on screen as plain text, read off an SVG screenshot."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


@pytest.fixture
def nasty(store: Store) -> str:
    handoff = store.handoffs.create(NASTY_ACCOUNT, NASTY_PERSON, NASTY_INCOMING)
    task = store.handoffs.checklist(handoff.id).tasks[0]
    store.tasks.update(task.id, note=NASTY_NOTE)
    return handoff.id


def test_clean_drops_control_characters_only() -> None:
    assert clean(NASTY_NOTE) == (
        "[31mred?[0m [b]not bold[/b]\nline two ]8;;http://evil\\link]8;;\\")
    assert clean("tab\tand\nnewline") == "tab\tand\nnewline"
    assert clean("rtl \u202eevil\u202c עברית") == "rtl evil עברית"
    assert str(plain("[bold]x[/]")) == "[bold]x[/]"
    assert plain("[bold]x[/]").spans == []


async def test_home_and_checklist_show_markup_as_text(store: Store, nasty: str) -> None:
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert NASTY_ACCOUNT in text
        assert NASTY_PERSON in text
        assert NASTY_INCOMING in text
        await pilot.click("#handoffs", offset=(8, 1))  # on the [@click=app.quit] account
        await settle(pilot)
        assert app.is_running
        app.push_screen(ChecklistScreen(nasty))
        await settle(pilot)
        text = screen_text(app)
        assert NASTY_ACCOUNT in text
        assert "[31mred?[0m [b]not bold[/b]" in text
        assert "line two ]8;;http://evil\\link]8;;\\" in text
        assert "\x1b" not in text
        app.tell(NASTY_ACCOUNT + "\x1b[5m")
        await settle(pilot)
        assert screen_text(app).count(NASTY_ACCOUNT) == 2  # header and the notification
        await pilot.press("e")  # the note editor holds the raw note, escape codes and all
        await settle(pilot)
        assert app.screen.query_one("#note").text == NASTY_NOTE


async def test_titles_with_user_text_are_plain(store: Store, nasty: str) -> None:
    """Border titles hold a person's name or a task title: shown as typed too."""
    store.user = "[b]Kim[/b] [@click=app.quit]"
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(160, 40)) as pilot:
        app.push_screen(ChecklistScreen(nasty))
        await settle(pilot)
        await pilot.press("f")  # "mine": the title names the person
        await settle(pilot)
        assert "[b]Kim[/b] [@click=app.quit] is neither side" in screen_text(app)


async def test_history_activity_and_conflict_show_user_text_as_typed(store: Store,
                                                                     nasty: str) -> None:
    """Who changed what, old -> new: names and notes from people, never markup."""
    from transfer_tui.screens.conflict import ConflictScreen

    other = Store(store.path, NASTY_PERSON, clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = ChecklistScreen(nasty)
        app.push_screen(screen)
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert "[b]not bold[/b]" in text and "\x1b" not in text
        await pilot.press("escape", "3")
        await settle(pilot)
        assert "[b]not bold[/b]" in screen_text(app)
        await pilot.press("1", "e", "x")
        other.tasks.update(screen.current_task().id, note="[red]theirs[/red]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        text = screen_text(app)
        assert NASTY_PERSON in text and "[red]theirs[/red]" in text
    other.close()


async def test_records_show_markup_as_text_everywhere(store: Store, nasty: str) -> None:
    """In the Context table, the record detail, the Tasks tab beside its tasks and the form."""
    import sqlite3

    from transfer_tui.screens.record_form import RecordForm

    store.records.add(nasty, "license", {"plan": NASTY_ACCOUNT, "notes": "clean",
                                         "renewal_date": "2027-01-10"})
    # the store refuses control characters in a record now; a file written before may
    # still hold them, and they must still show as text
    with sqlite3.connect(store.path) as raw:
        raw.execute("UPDATE license SET notes = ?", (NASTY_NOTE,))
    store.records.add(nasty, "cadence", {"name": "[i]Sync[/i]",
                                         "attendees": [NASTY_PERSON, "[red]x"]})
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(160, 40)) as pilot:
        app.push_screen(ChecklistScreen(nasty))
        await settle(pilot)
        assert NASTY_ACCOUNT in screen_text(app)  # header and the license beside its tasks
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app)
        assert text.count(NASTY_ACCOUNT) >= 3  # header, table, detail
        assert "[31mred?[0m [b]not bold[/b]" in text and "\x1b" not in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        assert screen_text(app).count(NASTY_ACCOUNT) == 3  # header behind, form title, plan
        assert app.screen.query_one("#notes").text == NASTY_NOTE
        await pilot.press("escape")
        await settle(pilot)
        app.screen.context_pane.select_kind("cadence")
        await settle(pilot)
        text = screen_text(app)
        assert "[i]Sync[/i]" in text and f"• {NASTY_PERSON}" in text and "• [red]x" in text
