"""The server killed while a note is being typed (``pg_ctl stop -m immediate`` on a server
of the test's own, tests/throwaway.py): the save says it failed and keeps the text, the
app reconnects by itself once the server is back and says so, and the text is saved."""

from __future__ import annotations

import asyncio

from tests.conftest import fixed_clock, settle
from transfer_tui.app import WATCH_SECONDS, TransferApp
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.note_editor import NoteEditor
from transfer_tui.store import Store


async def until(pilot, condition, seconds: float = 20.0) -> bool:
    """Let the app run (its watch looks each second) until the condition holds."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


def recording(app: TransferApp) -> list[str]:
    """Every message the app tells, kept (its toasts expire after a few seconds)."""
    said: list[str] = []
    tell = app.tell

    def keep(message: str, **options: str) -> None:
        said.append(message)
        tell(message, **options)

    app.tell = keep  # type: ignore[method-assign]
    return said


async def test_a_killed_server_keeps_the_note_typed_and_the_app_reconnects(
        throwaway_server) -> None:
    store = Store(throwaway_server.url, "Dana Whitfield", clock=fixed_clock)
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    task_id = store.checklist(handoff.id).tasks[0].id
    app = TransferApp(store, clock=fixed_clock)
    said = recording(app)

    def told(words: str) -> bool:
        return any(words in message for message in said)

    try:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            app.open_checklist(handoff.id)
            await settle(pilot)
            assert isinstance(app.screen, ChecklistScreen)
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            await pilot.press(*"Call legal on Monday")
            await asyncio.to_thread(throwaway_server.kill)
            await pilot.press("ctrl+s")
            editor = app.screen
            assert await until(pilot, lambda: "Not saved" in str(
                editor.query_one("#note-error").render()))
            assert isinstance(app.screen, NoteEditor)  # still open, with what was typed
            assert app.screen.text == "Call legal on Monday"
            assert not told("Reconnected")

            await asyncio.to_thread(throwaway_server.start)
            assert await until(pilot, lambda: told("Reconnected to the server"))
            assert app.screen is editor and editor.text == "Call legal on Monday"
            await pilot.press("ctrl+s")
            assert await until(pilot, lambda: isinstance(app.screen, ChecklistScreen))
            await settle(pilot)
            assert app.screen.current_task().note == "Call legal on Monday"
            await pilot.pause(WATCH_SECONDS * 2)  # the save's own new connection is seen
            assert app.store.reconnects >= 2  # the listening one, the one that saved
            assert sum("Reconnected" in message for message in said) == 1  # said once
        assert store.get_task(task_id).note == "Call legal on Monday"
    finally:
        store.close()
