"""The App: holds the store, opens the home screen, offers each screen's commands."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from transfer_tui.paths import shorten
from transfer_tui.screens.handoffs import FirstPage, HandoffsScreen
from transfer_tui.store import NotFoundError, Store, StoreError
from transfer_tui.widgets.store_call import call_store, say_waiting

if TYPE_CHECKING:
    from rich.console import RenderableType

    from transfer_tui.screens.checklist import ChecklistScreen

# How often to look whether someone else saved (a file: PRAGMA data_version, a few
# microseconds; a server: the notifications it already sent, no query), so their change
# shows here within about a second.
WATCH_SECONDS = 1.0
# How long a thread may keep the GIL while another waits for it. A keystroke takes many
# turns of the event loop, and each turn gives the GIL up; with Python's 5 ms, each turn
# taken while a background thread ran (the rest of the list being read, SQLAlchemy being
# imported) waited up to that long to get it back.
SWITCH_INTERVAL_S = 0.001
# each of the app's connections comes back on its own (the one that listens, the one that
# reads and saves): one outage is said once
RECONNECT_QUIET_S = 10.0


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TransferApp(App[None]):
    """transfer-tui: walk an account handoff, outgoing and incoming side by side."""

    TITLE = "transfer-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("?", "help", "Help", priority=False),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = _utcnow,
        location: str | None = None,
        ask_name: bool = False,
        notice: str | None = None,
        first_page: FirstPage | None = None,
    ):
        """``location`` replaces the database path in the header (for screenshots);
        ``ask_name``: nobody said who this is, ask once (see screens/your_name.py);
        ``notice``: a warning to show when the app opens (a broken settings file);
        ``first_page``: the home list's first page, read while the app was starting (see
        :class:`HandoffsScreen`)."""
        super().__init__()
        self.store = store
        self.clock = clock
        # a server as host:port/database: who you are is said next ("as ..."), not by the URL
        self._where = location or (shorten(store.path) if store.path is not None
                                   else store.server.place if store.server is not None
                                   else store.where)
        self._ask_name = ask_name
        self._notice = notice
        self._first_page = first_page
        self._show_who()
        self._stale = False
        self._watching = False  # a look for others' changes is under way (watch_file)
        self._reconnect_said: float | None = None  # when, on the monotonic clock
        self._checklist: ChecklistScreen | None = None
        self._opening = False  # a checklist being read to open
        self._reconnects = store.reconnects

    @property
    def today(self) -> date:
        return self.clock().astimezone().date()

    def _show_who(self) -> None:
        self.sub_title = (f"{self._where} · as {self.store.user}"
                          + (" · READ-ONLY" if self.store.readonly else ""))

    def on_mount(self) -> None:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        page, self._first_page = self._first_page, None
        self.push_screen(HandoffsScreen(page))
        if self._notice:
            self.tell(self._notice, severity="warning")
        if self._ask_name:
            from transfer_tui.screens.your_name import YourName

            self.push_screen(YourName(self.store.user), self._named)
        if self.store.readonly:
            self.tell(
                f"{self.store.where} is read-only: you can look, but changes are refused.",
                severity="warning",
            )
        if self.store.migrated_from is not None and self.store.path is not None:
            from transfer_tui.store.migrations import backup_path

            kept = backup_path(self.store.path, self.store.migrated_from)
            self.tell(f"Upgraded this database from an older transfer-tui; the file as it "
                      f"was is kept as {kept.name}.")
        self.set_interval(WATCH_SECONDS, self.watch_file, name="watch-file")
        if self.store.needs_background_check:
            self.call_after_refresh(self.check_file)  # after the first paint

    def exit(self, result: None = None, return_code: int = 0,
             message: RenderableType | None = None) -> None:
        """Quit at once: reads still running in workers (the integrity check of a big
        file, the list being read) are interrupted, not waited for."""
        self.store.interrupt()
        super().exit(result, return_code, message)

    def _named(self, name: str | None) -> None:
        """The first-run answer: work as it now, and remember it (off the event loop)."""
        if name is None:
            return  # the login name for this run; asked again next time
        self.store.user = name
        self._show_who()
        self.remember_name(name)

    @work(thread=True, exit_on_error=False, group="remember-name")
    def remember_name(self, name: str) -> None:
        from transfer_tui.config import ConfigError, save_setting

        try:
            path = save_setting("name", name)
        except ConfigError as exc:
            self.call_from_thread(self.tell, f"Working as {name} for now, but it is not "
                                  f"remembered: {exc}", severity="error")
            return
        self.call_from_thread(self.tell, f"Remembered: you are {name} (in {path}; "
                              "transfer-tui config changes it)")

    def open_checklist(self, handoff_id: str) -> None:
        """Open a handoff's checklist once it is read (in a worker: the screen below stays
        live and says when it waits). The screen is built once (its widgets and their
        styles take more than 100 ms) and kept: later ones only show their handoff."""
        from transfer_tui.screens.checklist.screen import gone_message, read_handoff

        if self._opening:
            return  # one at a time: enter pressed twice opens it once
        self._opening = True
        below, store = self.screen, self.store
        if self._checklist is not None and self._checklist.queue.busy:
            self._open_after_saves(self._checklist, handoff_id)
            return

        def read() -> tuple:
            try:
                return read_handoff(store, handoff_id), None
            except NotFoundError as exc:
                return None, gone_message(store, handoff_id, exc)

        def failed(exc: StoreError) -> None:
            self._opening = False
            self.tell(str(exc), severity="error")

        call_store(below, read, lambda answer: self._show_checklist(handoff_id, *answer),
                   failed, waiting=lambda on: say_waiting(below, on), group="open")

    def _open_after_saves(self, screen: ChecklistScreen, handoff_id: str) -> None:
        """The last checklist's changes are still being saved (a busy file): open the next
        one after them, in its queue, so each is saved to the handoff it was made on."""
        from transfer_tui.screens.checklist.screen import gone_message, read_handoff

        store = self.store

        async def job() -> None:
            try:
                loaded = await screen.queue.call(lambda: read_handoff(store, handoff_id))
            except NotFoundError as exc:
                gone = exc
                message = await screen.queue.call(lambda: gone_message(store, handoff_id,
                                                                       gone))
                self._show_checklist(handoff_id, None, message)
            except StoreError as exc:
                self._opening = False
                self.tell(str(exc), severity="error")
            else:
                self._show_checklist(handoff_id, loaded, None)

        screen.queue.add(job)

    def _show_checklist(self, handoff_id: str, loaded: object, gone: str | None) -> None:
        from transfer_tui.screens.checklist import ChecklistScreen

        self._opening = False
        if gone is not None or loaded is None:
            self.tell(gone or "", severity="error")
            return
        screen = self._checklist
        if screen is None:
            screen = self._checklist = ChecklistScreen(handoff_id, loaded)  # type: ignore[arg-type]
            self.install_screen(screen, name="checklist")
        else:
            screen.show_handoff(handoff_id, loaded)  # type: ignore[arg-type]
        self.push_screen(screen)

    def watch_file(self) -> None:
        """Every second: ask in a thread whether someone else saved (the file's lock may be
        held by another of our threads' calls); the answer refreshes the screen on top."""
        if self._watching:
            return  # the last question is not answered yet
        self._watching = True
        threading.Thread(target=self._ask_file, name="watch-file", daemon=True).start()

    def _ask_file(self) -> None:
        """A daemon thread, not a worker: quitting never waits for it."""
        try:
            changed = self.store.changed_elsewhere()
        except StoreError:
            changed = False  # the file is busy or gone for a moment: look again next time
        try:
            self.call_from_thread(self._file_answered, changed)
        except (RuntimeError, CancelledError):  # the app has exited meanwhile
            pass

    def _file_answered(self, changed: bool) -> None:
        """When someone else saved, refresh the screen on top, keeping cursor and focus.

        A dialog or form on top (a note being written, a conflict to decide) is
        never disturbed: the refresh waits until it closes. The store is asked in a
        thread (a server that went away is looked for again, which can wait seconds),
        one look at a time.
        """
        self._watching = False
        if changed:
            self._stale = True
        if self.store.reconnects != self._reconnects:  # a server dropped us and we are back
            self._reconnects = self.store.reconnects
            self._stale = True
            said = self._reconnect_said
            self._reconnect_said = time.monotonic()
            if said is None or self._reconnect_said - said > RECONNECT_QUIET_S:
                self.tell("Reconnected to the server: showing what it holds now.")
        if not self.screen_stack:
            return  # the app is exiting: no screen left to refresh
        refresh = getattr(self.screen, "refresh_from_store", None)
        # a screen still being built reads the file itself when it mounts: wait for it (and
        # one being taken down as the app exits has no widgets left to show it in)
        screen = self.screen
        if self._stale and refresh is not None and screen.is_mounted and screen.is_attached:
            self._stale = False
            refresh()

    def check_file(self) -> None:
        """Big files skip the integrity check on open; run it after the first paint.

        A daemon thread, not a worker: Textual's exit waits for every worker's thread,
        and this check reads the whole file (seconds at 50,000 handoffs). Exiting
        interrupts it (:meth:`exit`); one not yet begun then never begins. It gives way
        to anyone's save and is tried again later, silently (see
        :meth:`.Database.verify_in_background`).
        """
        threading.Thread(target=self._check_in_thread, name="check-file", daemon=True).start()

    def _check_in_thread(self) -> None:
        try:
            problem = self.store.verify_in_background()
        except StoreError:
            return  # could not read the file: the next start checks again
        if problem:
            try:
                self.call_from_thread(self.tell, f"{self.store.where} looks damaged "
                                      f"({problem}): run  transfer-tui check  and restore a "
                                      "backup", severity="error")
            except RuntimeError:  # the app has exited meanwhile
                pass

    def tell(self, message: str, *, severity: str = "information") -> None:
        """A notification whose text may hold user input: never markup, no control codes."""
        from transfer_tui.widgets.safe_text import clean

        self.notify(clean(message), severity=severity, markup=False)  # type: ignore[arg-type]

    def action_help(self) -> None:
        from transfer_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette (ctrl+p) offers the current screen's main actions first."""
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Help", "Show every key", self.action_help)
        yield from super().get_system_commands(screen)
