"""One app process per browser tab: started in a process group of its own, counted
against the cap while its tab is open, and ended for sure when the tab goes.

textual-serve's ``AppService`` speaks the protocol with the app (keys in, screen out,
downloads); this subclass changes how the process is started (no shell, its own
process group, the token left out of its environment), where its output goes (held
until a tab takes the app), and how it is stopped (asked to quit, then its group
killed after a grace period, so a hung app cannot stay). It overrides private methods
of textual-serve 1.1.3, hence the exact pin in pyproject.toml.

An app takes about 0.7 s to start, longer than the page takes to load, so one app is
kept started and ready ("the spare"): a new tab takes it over and sees its screen at
once, and another spare starts behind it. A spare older than ``SPARE_AGE`` is replaced,
so "in 3 days" is never a day old.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from transfer_tui.web.app_process import HANG_ENV, HUNG, PARENT_ENV
from transfer_tui.web.token import TOKEN_ENV

POSIX = os.name == "posix"
HELD_LIMIT = 4 * 1024 * 1024  # a spare that drew more than this before a tab came is odd
SPARE_AGE = 600.0
SPARE_DELAY = 2.0  # after a tab opens: the browser is busy drawing it, let it have the CPU


def app_command(db: str, user: str) -> list[str]:
    """The tab's process: the TUI on the server's database, as the server's person. A
    PostgreSQL URL (it may hold a password) goes in the environment, not the arguments
    every user of the machine can list: ``serve`` put it in TRANSFER_TUI_DB."""
    from transfer_tui.store.engines.url import looks_like_url

    where = "-" if looks_like_url(db) else db
    return [sys.executable, "-m", "transfer_tui.web.app_process", "--db", where, "--as", user]


class Tab:
    """Where an app's output goes: the websocket of the tab that took it."""

    def __init__(self, send_bytes: Callable[[bytes], Awaitable[None]],
                 send_str: Callable[[str], Awaitable[None]]):
        self.send_bytes, self.send_str = send_bytes, send_str


class AppSession(AppService):
    """One app process; its output is held until a tab takes it (``attach``)."""

    def __init__(self, argv: list[str], *, download_manager: DownloadManager,
                 stop_grace: float = 2.0, hang_seconds: float | None = None):
        super().__init__(shlex.join(argv), write_bytes=self._out_bytes,
                         write_str=self._out_str, close=self._out_close,
                         download_manager=download_manager)
        self.argv = argv
        self.stop_grace = stop_grace
        self.hang_seconds = hang_seconds
        self.started = time.monotonic()
        self._tab: Tab | None = None
        self._held: list[bytes | str] = []
        self._held_size = 0
        self._lingered = False
        self._closed_early = False
        self._sending = asyncio.Lock()
        self._reaper: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        return None if self._process is None else self._process.returncode

    @property
    def usable(self) -> bool:
        """Still running and not yet shown anywhere, and young enough."""
        return (self._tab is None and self._process is not None and self.returncode is None
                and not self._closed_early and time.monotonic() - self.started < SPARE_AGE)

    # -- starting ---------------------------------------------------------------------------

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.pop(TOKEN_ENV, None)  # the app has no use for it
        environment[PARENT_ENV] = str(os.getpid())
        if self.hang_seconds is not None:
            environment[HANG_ENV] = str(self.hang_seconds)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        """The argument list as is (no shell to quote a path for), in a new session:
        the terminal's Ctrl+C reaches the server only, which then ends each app."""
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width, height),
            start_new_session=POSIX,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    # -- output, held until a tab takes the app -----------------------------------------------

    async def _out_bytes(self, data: bytes) -> None:
        async with self._sending:
            if self._tab is not None:
                await self._tab.send_bytes(data)
                return
            self._held.append(data)
            self._held_size += len(data)
            if self._held_size > HELD_LIMIT:
                self.kill()

    async def _out_str(self, text: str) -> None:
        async with self._sending:
            if self._tab is not None:
                await self._tab.send_str(text)
            else:
                self._held.append(text)

    async def _out_close(self) -> None:
        """The app says it is leaving. Its tab is told why once the process is gone
        (``ended``); one that lingers past the grace period is killed."""
        self._closed_early = True
        if self._reaper is None:
            self._reaper = asyncio.create_task(self._reap())

    async def _reap(self) -> None:
        assert self._process is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._process.wait()), self.stop_grace)
            return
        self._lingered = True
        self.kill()

    async def attach(self, tab: Tab, width: int, height: int) -> None:
        """Show this app in ``tab``: what it drew so far first, then at the tab's size."""
        async with self._sending:
            self._tab = tab
            held, self._held = self._held, []
            for item in held:
                await (tab.send_bytes(item) if isinstance(item, bytes) else tab.send_str(item))
        await self.set_terminal_size(width, height)

    # -- ending ------------------------------------------------------------------------------

    async def ended(self) -> int:
        """Wait until the app has ended and all it wrote was passed on; its exit code."""
        if self._task is not None:
            await asyncio.shield(self._task)
        assert self._process is not None
        code = await self._process.wait()
        # The app said it was leaving and then was slow to go (a loaded machine): the person
        # still quit, and the tab says so rather than "stopped unexpectedly".
        return 0 if self._lingered else code

    def kill(self) -> None:
        """Kill the app's whole process group at once (it has not been reaped yet, so its
        id is still its own)."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if POSIX:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()

    async def stop(self) -> None:
        """Ask the app to quit; after ``stop_grace`` seconds kill it. Returns once it is
        gone and reaped."""
        process = self._process
        if process is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(process.wait()), self.stop_grace)
        self.kill()
        await process.wait()
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), self.stop_grace)


def why_it_ended(code: int) -> str:
    """What the tab says when its app ended on its own (at most 123 bytes: a close reason)."""
    if code == 0:
        return "You quit transfer-tui. Press Restart to open it again."
    if code == HUNG:
        return "The app stopped responding and was ended. Press Restart to open it again."
    if code == 1:
        return "The app could not open the database: see the server's output."
    return "The app stopped unexpectedly: see the server's output. Press Restart."


class Sessions:
    """The apps of the open tabs, the spare, and how many tabs may be open at once.

    A session counts while its tab is open; every process is tracked until it is reaped,
    so stopping the server ends every one of them.
    """

    def __init__(self, limit: int, make: Callable[[], AppSession], *, spare: bool = True):
        self.limit = limit
        self.make = make
        self.keep_spare = spare
        self.stopping = False
        self._open: set[AppSession] = set()
        self._opening = 0  # places taken by tabs whose app is being readied
        self._alive: set[AppSession] = set()
        self._spare: AppSession | None = None
        self._spare_size = (120, 36)
        self._spare_task: asyncio.Task[None] | None = None
        self._hurry = asyncio.Event()  # a tab waits for the spare: no more delay
        self._ending: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Condition()

    def __len__(self) -> int:
        return len(self._open) + self._opening

    @property
    def full(self) -> bool:
        return len(self) >= self.limit

    @property
    def pids(self) -> list[int]:
        return [s.pid for s in self._alive if s.pid is not None]

    async def room(self, wait: float) -> bool:
        """Whether another tab may open, waiting up to ``wait`` seconds: a reloaded tab's
        old session is often still closing when the new page asks."""
        if not self.full:
            return True
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: not self.full), wait)
        return not self.full

    async def _start(self, width: int, height: int) -> AppSession:
        session = self.make()
        self._alive.add(session)
        try:
            await session.start(width, height)
        except BaseException:
            session.kill()
            self._alive.discard(session)
            raise
        return session

    async def open(self, tab: Tab, width: int, height: int) -> AppSession | None:
        """An app for a new tab, or None when every place is taken: the spare (waiting
        for it if it is starting: it is closer to ready than a new one), or a new one."""
        if self.full or self.stopping:
            return None
        self._opening += 1  # the place is taken from now on
        try:
            if self._spare_task is not None and not self._spare_task.done():
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._spare_task)
            spare, self._spare = self._spare, None
            if spare is not None and spare.usable:
                session = spare
            else:
                if spare is not None:
                    self._end_later(spare)
                session = await self._start(width, height)
            self._open.add(session)
        finally:
            self._opening -= 1
        try:
            await session.attach(tab, width, height)
        except BaseException:
            await self.close(session)  # the tab went away meanwhile
            raise
        self._spare_size = (width, height)
        self.prepare_spare(delay=SPARE_DELAY)
        return session

    def prepare_spare(self, delay: float = 0.0) -> None:
        """Start a spare in the background when there is none and a tab could take it."""
        if (not self.keep_spare or self.stopping or self.full
                or (self._spare is not None and self._spare.usable)
                or (self._spare_task is not None and not self._spare_task.done())):
            return
        self._spare_task = asyncio.create_task(self._renew_spare(delay))

    async def _renew_spare(self, delay: float) -> None:
        self._hurry.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._hurry.wait(), delay)
        old, self._spare = self._spare, None
        if old is not None:
            await self._end(old)
        spare = await self._start(*self._spare_size)
        if self.stopping or len(self._open) >= self.limit:  # (a tab opening will take it)
            await self._end(spare)
        else:
            self._spare = spare

    async def close(self, session: AppSession) -> None:
        """The tab is gone: free its place at once, then end its app."""
        self._open.discard(session)
        async with self._changed:
            self._changed.notify_all()
        self.prepare_spare()
        await self._end(session)

    def _end_later(self, session: AppSession) -> None:
        task = asyncio.create_task(self._end(session))
        self._ending.add(task)
        task.add_done_callback(self._ending.discard)

    async def _end(self, session: AppSession) -> None:
        """Stop it; it is forgotten only once reaped (if this is cancelled, ``stop_all``
        or ``kill_all`` still finds it)."""
        await session.stop()
        self._alive.discard(session)

    async def stop_all(self) -> None:
        self.stopping = True
        if self._spare_task is not None:
            self._spare_task.cancel()
            with contextlib.suppress(BaseException):
                await self._spare_task
        await asyncio.gather(*(s.stop() for s in list(self._alive)), return_exceptions=True)

    def kill_all(self) -> None:
        self.stopping = True
        for session in list(self._alive):
            session.kill()
