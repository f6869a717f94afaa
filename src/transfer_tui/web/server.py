"""The web server: the routes a tab uses, and the run loop around them.

Routes (all behind the guard): ``/`` the page, ``/static/`` textual-serve's files
(xterm.js, its font), ``/assets/`` ours, ``/ws`` the tab's session, ``/download/KEY``
a file the app hands to the browser (the export's Markdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict
from urllib.parse import quote

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from transfer_tui.web.guard import WEBSOCKET_PATH, Guard, app_policy
from transfer_tui.web.page import ASSETS, app_page, refusal_page
from transfer_tui.web.sessions import AppSession, Sessions, Tab, app_command, why_it_ended
from transfer_tui.web.token import Token

log = logging.getLogger("transfer_tui.web")

STATIC = Path(textual_serve.__file__).resolve().parent / "static"
MAX_MESSAGE = 1024 * 1024  # a big paste, at most
ROOM_WAIT = 1.5  # seconds a new tab waits for a closing one to free its place
COLUMNS, ROWS = (10, 500), (5, 200)
FULL_CLOSE = 4503
ENDED_CLOSE = 4000


@dataclass(frozen=True)
class ServeConfig:
    """What ``transfer-tui serve`` was asked for."""

    db: Path | str  # a file, or a server's URL (never shown unredacted)
    user: str
    token: Token
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    max_sessions: int = 8
    heartbeat: float = 15.0  # a tab that answers no ping for 1.5 times this is gone
    stop_grace: float = 2.0  # seconds an app has to quit before it is killed
    hang_seconds: float | None = None  # the apps' own default (30 s) unless set
    spare: bool = True  # keep one app started for the next tab

    @property
    def base_url(self) -> str:
        if self.public_url is not None:
            return self.public_url.rstrip("/") + "/"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def _size(value: object, bounds: tuple[int, int], default: int) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(bounds[0], min(bounds[1], value))


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "download"


class RunnerOptions(TypedDict):
    """What serve() and the in-process tests both pass to aiohttp's runner."""

    access_log: logging.Logger | None


class WebServer:
    """One server: its guard, its sessions, its downloads."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.guard = Guard(config.token, config.public_url)
        self.downloads = DownloadManager()
        self.sessions = Sessions(config.max_sessions, self.make_session, spare=config.spare)
        self.sockets: set[web.WebSocketResponse] = set()

    def make_session(self) -> AppSession:
        return AppSession(app_command(str(self.config.db), self.config.user),
                          download_manager=self.downloads, stop_grace=self.config.stop_grace,
                          hang_seconds=self.config.hang_seconds)

    # aiohttp's access log would write every address, a first visit's token included
    runner_options: RunnerOptions = {"access_log": None}

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard.middleware])
        app.add_routes([
            web.get("/", self.page),
            web.get(WEBSOCKET_PATH, self.websocket),
            web.get("/download/{key}", self.download),
            web.static("/static", STATIC, show_index=False, follow_symlinks=False),
            web.static("/assets", ASSETS, show_index=False, follow_symlinks=False),
        ])
        app.on_response_prepare.append(self.guard.add_headers)
        app.on_shutdown.append(self.on_shutdown)
        return app

    # -- routes ---------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        if not await self.sessions.room(ROOM_WAIT):
            return web.Response(status=503, content_type="text/html", text=refusal_page(
                "every tab is in use", self.full_message()))
        websocket_url = self.guard.websocket_url(request)
        return web.Response(content_type="text/html",
                            text=app_page(websocket_url, "transfer-tui"),
                            headers={"Content-Security-Policy": app_policy(websocket_url)})

    def full_message(self) -> str:
        limit = self.sessions.limit
        return (f"All {limit} transfer-tui tab{'s' if limit != 1 else ''} this server allows "
                "are open. Close one you no longer need, then reload this page. (Whoever "
                "started the server can allow more with --max-sessions.)")

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=self.config.heartbeat, max_msg_size=MAX_MESSAGE)
        room = await self.sessions.room(ROOM_WAIT)
        await ws.prepare(request)
        width = _size(request.query.get("width"), COLUMNS, 80)
        height = _size(request.query.get("height"), ROWS, 24)
        self.sockets.add(ws)
        session: AppSession | None = None
        watcher: asyncio.Task[None] | None = None
        try:
            if room:
                session = await self.sessions.open(Tab(ws.send_bytes, ws.send_str),
                                                   width, height)
            if session is None:
                await ws.close(code=FULL_CLOSE, message=self.full_reason().encode())
                return ws
            log.info("tab opened (%d of %d open), app process %s", len(self.sessions),
                     self.sessions.limit, session.pid)
            watcher = asyncio.create_task(self.close_when_ended(ws, session))
            await self.relay(ws, session)
        finally:
            self.sockets.discard(ws)
            if watcher is not None:
                watcher.cancel()
            if session is not None:
                # to the end even if aiohttp cancels this handler (the browser went away)
                await asyncio.shield(self.sessions.close(session))
                log.info("tab closed (%d of %d open), app process %s ended (exit %s)",
                         len(self.sessions), self.sessions.limit, session.pid,
                         session.returncode)
        return ws

    def full_reason(self) -> str:
        """The websocket's close reason (at most 123 bytes)."""
        if self.sessions.stopping:
            return "The transfer-tui server is stopping."
        return (f"All {self.sessions.limit} tabs this server allows are open: close one, then "
                "press Restart.")

    async def close_when_ended(self, ws: web.WebSocketResponse, session: AppSession) -> None:
        """An app that ended by itself (quit, crashed, hung) closes its tab's session."""
        code = await session.ended()
        await ws.close(code=ENDED_CLOSE, message=why_it_ended(code).encode())

    async def relay(self, ws: web.WebSocketResponse, session: AppSession) -> None:
        """The browser's messages to the app; anything malformed is dropped."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(_size(data.get("width"), COLUMNS, 80),
                                                _size(data.get("height"), ROWS, 24))
            elif kind == "ping" and isinstance(data, str) and len(data) <= 32:
                await ws.send_json(["pong", data])
            elif kind == "focus":
                await session.focus()
            elif kind == "blur":
                await session.blur()

    async def download(self, request: web.Request) -> web.StreamResponse:
        """A file the app delivers (``App.deliver_text``), streamed from its process."""
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="This download is over or unknown.") from None
        name = _file_name(meta.file_name)
        content_type = meta.mime_type or "application/octet-stream"
        if meta.encoding:
            content_type += f"; charset={meta.encoding}"
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        response = web.StreamResponse(headers={
            "Content-Type": content_type, "Cache-Control": "no-store",
            "Content-Disposition": f"{disposition}; filename=\"{name}\"; "
                                   f"filename*=UTF-8''{quote(name)}",
        })
        await response.prepare(request)
        async for chunk in self.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -- stopping ---------------------------------------------------------------------------

    async def on_shutdown(self, _app: web.Application) -> None:
        """Ctrl+C: tell every tab (not waiting long for its answer) while every app ends
        (each within its grace period)."""
        self.sessions.stopping = True
        closing = [asyncio.create_task(ws.close(code=1001,
                                                message=b"The transfer-tui server stopped."))
                   for ws in list(self.sockets)]
        await self.sessions.stop_all()
        if closing:
            await asyncio.wait(closing, timeout=1.0)


def bind(host: str, port: int, *, try_next: int = 0) -> socket.socket:
    """A listening socket on ``host``: ``port``, or the next free one when allowed to try."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port, port + try_next + 1):
        try:
            return socket.create_server((host, candidate), family=family, backlog=128)
        except OSError:
            if candidate == port + try_next:
                raise
    raise AssertionError("unreachable")


async def serve(config: ServeConfig, sock: socket.socket,
                ready: Callable[[ServeConfig], None]) -> None:
    """Serve until SIGINT, SIGTERM or SIGHUP; a second one kills every app at once."""
    server = WebServer(config)
    runner = web.AppRunner(server.make_app(), shutdown_timeout=3.0, **server.runner_options)
    await runner.setup()
    await web.SockSite(runner, sock, shutdown_timeout=3.0).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():
            server.sessions.kill_all()
        stop.set()

    signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP")
                                                 else [])
    for number in signals:
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(number, on_signal)
    server.sessions.prepare_spare()
    renew = asyncio.create_task(_renew_spares(server.sessions))
    ready(config)
    try:
        await stop.wait()
        log.info("stopping: ending %d tab(s)", len(server.sessions))
    finally:
        renew.cancel()
        try:
            await runner.cleanup()
        finally:
            server.sessions.kill_all()


async def _renew_spares(sessions: Sessions) -> None:
    """A spare too old to show today's "in 3 days" is replaced (see sessions.SPARE_AGE)."""
    while True:
        await asyncio.sleep(60)
        sessions.prepare_spare()


def setup_logging() -> None:
    """One short line per event on stderr (aiohttp's access log stays off)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("transfer_tui.web")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
