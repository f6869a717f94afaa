"""Two people on one database: live refresh, the conflict choice, history, activity, undo;
on a file and on a server (team mode: the refresh comes from the server's notification)."""

from __future__ import annotations

import time

import pytest

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.conflict import ConflictScreen
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.screens.history import HistoryScreen
from transfer_tui.screens.note_editor import NoteEditor
from transfer_tui.store import Store
from transfer_tui.widgets.history_table import HistoryTable
from transfer_tui.widgets.task_table import TaskTable

GLOBEX = demo_id("Globex Logistics")
SIZE = (120, 36)


@pytest.fixture(params=["file", "server"])
def demo_store(request: pytest.FixtureRequest, demo_file):
    """The demo handoffs on a file, or copied into a database on the server."""
    from transfer_tui.store.copying import copy_database

    if request.param == "file":
        opened = Store(demo_file, "Sam Okafor", clock=fixed_clock)
    else:
        opened = Store(request.getfixturevalue("server_url"), "Sam Okafor", clock=fixed_clock)
        source = Store(demo_file, "Sam Okafor", readonly=True)
        copy_database(source, opened)
        source.close()
        opened.changed_elsewhere()  # the copy's own notification: not news
    yield opened
    opened.close()


@pytest.fixture
def priya(demo_store: Store):
    """Priya on the same database, through a connection of her own (another terminal)."""
    other = Store(demo_store.target, "Priya Raman", clock=fixed_clock)
    yield other
    other.close()


async def open_globex(app: TransferApp, pilot) -> ChecklistScreen:
    app.push_screen(ChecklistScreen(GLOBEX))
    await settle(pilot)
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


async def until(pilot, condition, seconds: float = 5.0) -> None:
    """Let the app run (its file watch ticks each second) until the condition holds."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)


def test_own_saves_are_not_news_but_others_are(demo_store: Store, priya: Store) -> None:
    task = demo_store.checklist(GLOBEX).tasks[3]
    assert not demo_store.changed_elsewhere()
    demo_store.update_task(task.id, note="mine")
    assert not demo_store.changed_elsewhere()  # no needless reload after my own save
    priya.update_task(task.id, note="hers")
    assert told_within(demo_store)  # a server's notice may take a moment to arrive
    assert not demo_store.changed_elsewhere()


def told_within(store: Store, tries: int = 50) -> bool:

    for _ in range(tries):
        if store.changed_elsewhere():
            return True
        time.sleep(0.02)
    return False


async def test_a_change_made_in_another_terminal_appears(demo_store, priya) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_globex(app, pilot)
        await pilot.press("down")  # the second task, and the table has the keys
        table = screen.query_one("#tasks", TaskTable)
        task_id = table.current_task_id
        priya.update_task(task_id, status="blocked", note="Waiting on legal")
        await until(pilot, lambda: screen.current_task().status == "blocked")
        assert screen.current_task().note == "Waiting on legal"
        assert table.current_task_id == task_id and table.has_focus  # cursor and focus kept
        assert screen.checklist.handoff.tasks_blocked == 3


async def test_an_open_note_is_not_disturbed_and_a_clash_asks(demo_store, priya) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_globex(app, pilot)
        task_id = screen.query_one("#tasks", TaskTable).current_task_id
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+end", "M", "e")
        priya.update_task(task_id, note="Priya rewrote it")
        await until(pilot, lambda: app._stale)  # the file watch saw it, and waits
        assert app._stale
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note").text.endswith("Me")  # as typed
        assert screen.current_task().note != "Priya rewrote it"  # not refreshed under it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.conflict.theirs == "Priya rewrote it"
        assert app.screen.conflict.by == "Priya Raman"
        assert app.screen.conflict.mine.endswith("Me")
        await pilot.press("m")  # apply mine, against the version now there
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    saved = demo_store.get_task(task_id)
    assert saved.note.endswith("Me") and saved.changed_by == demo_store.user
    notes = [e.new for e in demo_store.history(task_id) if e.field == "note"]
    assert notes[1] == "Priya rewrote it"  # hers is kept in the history


async def test_keep_theirs(demo_store, priya, monkeypatch) -> None:
    monkeypatch.setattr(TransferApp, "watch_file", lambda self: None)  # a stale screen
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_globex(app, pilot)
        task = screen.current_task()
        priya.update_task(task.id, status="blocked")
        await pilot.press("space")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert (app.screen.conflict.theirs, app.screen.conflict.mine) == ("blocked", "todo")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert screen.current_task().status == "blocked"
    assert demo_store.get_task(task.id).changed_by == "Priya Raman"


async def test_different_fields_both_stand_without_asking(demo_store, priya,
                                                          monkeypatch) -> None:
    monkeypatch.setattr(TransferApp, "watch_file", lambda self: None)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_globex(app, pilot)
        task = screen.current_task()
        priya.update_task(task.id, note="Priya's note")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    saved = demo_store.get_task(task.id)
    assert (saved.status, saved.note) == ("blocked", "Priya's note")


async def test_history_activity_and_undo(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_globex(app, pilot)
        task = screen.current_task()
        await pilot.press("x")  # n/a
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        history = app.screen.query_one("#history", HistoryTable)
        assert history.current_entry.field == "status"
        assert history.current_entry.new == "na"
        assert history.row_count == len(demo_store.history(task.id))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        feed = screen.query_one("#activity", HistoryTable)
        assert feed.has_focus
        assert feed.current_entry.entity_id == task.id
        await pilot.press("u")
        await settle(pilot)
        assert demo_store.get_task(task.id).status == task.status
        assert feed.current_entry.undoes is not None  # the feed shows the undo at once
        await pilot.press("1")
        await settle(pilot)
        assert screen.current_task().status == task.status


async def test_the_handoff_deleted_elsewhere_goes_back_home(demo_store, priya) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_globex(app, pilot)
        priya.delete_handoff(GLOBEX)
        await until(pilot, lambda: isinstance(app.screen, HandoffsScreen))
        assert isinstance(app.screen, HandoffsScreen)
        # home re-reads the changed handoffs in a worker: on a server a moment later
        await until(pilot, lambda: GLOBEX not in [s.id for s in app.screen.summaries])
        assert GLOBEX not in [s.id for s in app.screen.summaries]
        assert any("Priya Raman deleted this handoff" in n.message
                   for n in app._notifications)


@pytest.mark.file_only
async def test_read_only_file_says_so_and_refuses(db_path, demo_store, monkeypatch) -> None:
    demo_store.close()
    before = db_path.read_bytes()
    monkeypatch.setattr("transfer_tui.store.connection.os.access", lambda *_a, **_k: False)
    store = Store(db_path, "Marco Bellini", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    messages: list[str] = []  # every one said (a notification expires after a while)
    tell = app.tell
    app.tell = lambda message, **kw: (messages.append(message), tell(message, **kw))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert "READ-ONLY" in app.sub_title
        screen = await open_globex(app, pilot)
        status = screen.current_task().status
        await pilot.press("space", "u")
        await settle(pilot)
        assert screen.current_task().status == status
        assert sum("read-only" in m for m in messages) >= 3  # on opening, space, u
    store.close()
    assert db_path.read_bytes() == before


@pytest.mark.file_only
async def test_a_busy_file_is_a_message_not_a_crash(db_path, demo_store, monkeypatch) -> None:
    import sqlite3

    demo_store.close()
    monkeypatch.setattr("transfer_tui.store.connection.BUSY_TIMEOUT_MS", 50)
    store = Store(db_path, "Marco Bellini", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_globex(app, pilot)
        status = screen.current_task().status
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            await pilot.press("space")
            await pilot.pause(1.2)  # and the file watch meets the lock too
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert app.is_running and isinstance(app.screen, ChecklistScreen)
        assert any("busy" in n.message for n in app._notifications)
        assert store.get_task(screen.current_task().id).status == status
    store.close()
