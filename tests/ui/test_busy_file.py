"""Someone else holds the file: the screens stay live, say they wait, and lose no key.

Another connection holds the write lock (BEGIN IMMEDIATE: our saves wait for it) or every
lock (BEGIN EXCLUSIVE: our reads wait too) while keys are pressed; once it lets go, every
change is saved, each to the task that was highlighted when its key was pressed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.store import Store
from transfer_tui.widgets.task_table import TaskTable

pytestmark = pytest.mark.file_only  # the file's locks

GLOBEX = demo_id("Globex Logistics")
SIZES = [(120, 36), (80, 24)]


@contextmanager
def held(path: Path, how: str = "IMMEDIATE") -> Iterator[None]:
    """Another process's transaction on the file, held until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute(f"BEGIN {how}")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def until(pilot, condition: Callable[[], bool], pauses: int = 100) -> None:
    """Let the app run until ``condition()`` holds (the lock is held meanwhile)."""
    for _ in range(pauses):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never got there")


def header(screen) -> str:
    return screen.sub_title or ""


@pytest.mark.parametrize("size", SIZES)
async def test_keys_pressed_while_a_save_waits_are_all_applied_in_order(
        demo_store: Store, demo_file: Path, size) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_checklist(GLOBEX)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        table = screen.query_one("#tasks", TaskTable)
        first, second = (t.id for t in screen.tasks_pane.visible_tasks()[:2])
        before = {first: demo_store.get_task(first).status,
                  second: demo_store.get_task(second).status}
        assert before == {first: "done", second: "done"}

        with held(demo_file):
            await pilot.press("space")  # first: not done
            await until(pilot, lambda: "Waiting" in header(screen))
            await pilot.press("down")  # the screen is live: the cursor moves at once
            assert table.current_task_id == second
            await pilot.press("space", "s")  # second: not done, then cycled on from todo
            await pilot.press("up", "o")  # first again: its owner, after its status
            await until(pilot, lambda: "4 changes to save" in header(screen))
            assert table.current_task_id == first
            # nothing is saved while the other one holds the file
            assert demo_store.get_task(first).status == "done"
        await settle(pilot)

        assert header(screen) == ""  # no longer waiting
        assert demo_store.get_task(first).status == "todo"
        assert demo_store.get_task(second).status == "in_progress"
        owner = demo_store.get_task(first).owner
        assert screen.task_by_id(first).owner == owner and screen.task_by_id(first).status \
            == "todo"  # the screen shows what was saved
        assert table.current_task_id == first and table.has_focus


@pytest.mark.parametrize("size", SIZES)
async def test_opening_a_handoff_while_the_file_is_locked_waits_and_stays_live(
        demo_store: Store, demo_file: Path, size) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HandoffsScreen)
        with held(demo_file, "EXCLUSIVE"):  # reads wait too
            await pilot.press("enter")
            await until(pilot, lambda: "Waiting" in header(home))
            assert app.screen is home  # not opened yet; the list still takes keys
            await pilot.press("down")
            await pilot.press("enter")  # a second enter while the first is read: ignored
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert header(home) == ""
        assert [type(s) for s in app.screen_stack[-2:]] == [HandoffsScreen, ChecklistScreen]
        assert len(app.screen_stack) == 3  # the App's default, home and one checklist


async def test_undo_and_a_record_verified_wait_their_turn(demo_store: Store,
                                                        demo_file: Path) -> None:
    """u takes back my last change: the one queued just before it, once saved."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZES[0]) as pilot:
        await settle(pilot)
        app.open_checklist(GLOBEX)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        task = screen.tasks_pane.visible_tasks()[0].id
        with held(demo_file):
            await pilot.press("x")  # n/a
            await pilot.press("u")  # takes back the n/a, after it is saved
            await until(pilot, lambda: "2 changes to save" in header(screen))
        await settle(pilot)
        assert demo_store.get_task(task).status == "done"
        assert screen.task_by_id(task).status == "done"
        kinds = [e.field for e in demo_store.history(task)]
        assert "status" in kinds  # the n/a was saved, then taken back


async def test_a_record_verified_twice_while_waiting_is_no_clash_with_myself(
        demo_store: Store, demo_file: Path) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZES[1], notifications=True) as pilot:
        await settle(pilot)
        app.open_checklist(GLOBEX)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        await pilot.press("2")
        await settle(pilot)
        record = screen.context_pane.current_record()
        assert record is not None
        with held(demo_file):
            await pilot.press("v", "v")
            await until(pilot, lambda: "2 changes to save" in header(screen))
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert not any(m.startswith("Not saved") for m in said), said
        assert sum(m.startswith("Verified") for m in said) == 2
        events = [e for e in demo_store.history(record.id) if e.field == "verified_at"]
        assert len(events) >= 2


async def test_back_home_before_the_save_the_list_shows_it_once_saved(
        demo_store: Store, demo_file: Path) -> None:
    """Escape right after a key: the change is still saved, and home shows it."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZES[1]) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HandoffsScreen)
        app.open_checklist(GLOBEX)
        await settle(pilot)
        done_before = next(s for s in home.summaries if s.id == GLOBEX).done
        with held(demo_file):
            await pilot.press("space", "escape")  # a done task, not done any more
            await until(pilot, lambda: app.screen is home)
        await settle(pilot)
        await until(pilot, lambda: next(s for s in home.summaries
                                        if s.id == GLOBEX).done == done_before - 1)


async def test_another_handoff_opened_before_the_saves_opens_after_them(
        demo_store: Store, demo_file: Path) -> None:
    """The checklist screen is reused: keys pressed on one handoff are saved to it even when
    another is opened while they wait; the next one opens once they are saved."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZES[1]) as pilot:
        await settle(pilot)
        home = app.screen
        app.open_checklist(GLOBEX)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        task = screen.tasks_pane.visible_tasks()[0]
        other = next(s.id for s in home.summaries if s.id != GLOBEX)
        with held(demo_file):
            await pilot.press("space", "escape")
            await until(pilot, lambda: app.screen is home)
            app.open_checklist(other)
            await until(pilot, lambda: "Waiting" in header(home))
            assert app.screen is home  # not before the saves
        await settle(pilot)
        assert app.screen is screen and screen.handoff_id == other
        assert demo_store.get_task(task.id).status != task.status  # saved to Globex's task
        assert header(home) == "" and header(screen) == ""
