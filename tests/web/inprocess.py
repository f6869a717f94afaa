"""The server's aiohttp application in the test's own process (aiohttp's test client)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import ClientWebSocketResponse, CookieJar, WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from transfer_tui.web.server import ServeConfig, WebServer
from transfer_tui.web.token import Token

TOKEN = "the-test-token-0123456789abcdef"


@asynccontextmanager
async def client_of(db: Path, **options) -> AsyncIterator[tuple[TestClient, WebServer]]:
    options.setdefault("spare", False)
    config = ServeConfig(db=db, user="Sam Okafor", token=Token(TOKEN, source="test"), **options)
    server = WebServer(config)
    test_server = TestServer(server.make_app())
    await test_server.start_server(**server.runner_options)  # as serve() runs it
    client = TestClient(test_server, cookie_jar=CookieJar(unsafe=True))
    async with client:
        yield client, server


def origin(client: TestClient) -> str:
    return str(client.make_url("/")).rstrip("/")


async def signed_in(client: TestClient) -> None:
    async with client.get(f"/?token={TOKEN}", allow_redirects=False) as response:
        assert response.status == 303


ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]"  # CSI
                     r"|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"  # OSC, DCS...
                     r"|.)")


class Screen:
    """What an app sent to its tab, as plain text (escape sequences removed), and the
    text messages (downloads) beside it."""

    def __init__(self, ws: ClientWebSocketResponse):
        self.ws = ws
        self.text = ""
        self.messages: list[list] = []
        self.closed: tuple[int | None, str] | None = None

    async def _next(self) -> bool:
        """Read one message; False once the session is closed."""
        message = await self.ws.receive()
        if message.type == WSMsgType.BINARY:
            self.text += ESCAPES.sub("", message.data.decode("utf-8", "replace"))
        elif message.type == WSMsgType.TEXT:
            self.messages.append(json.loads(message.data))
        else:
            if self.closed is None:
                self.closed = (self.ws.close_code, str(message.extra or ""))
            return False
        return True

    async def read_until(self, needle: str, timeout: float = 20) -> None:
        async def read() -> None:
            while needle not in self.text:
                if not await self._next():
                    raise AssertionError(f"closed while waiting for {needle!r}: {self.closed}")

        await asyncio.wait_for(read(), timeout)

    async def until_closed(self, timeout: float = 15) -> tuple[int | None, str]:
        """The close code and reason the server gave."""
        async def read() -> None:
            while await self._next():
                pass

        await asyncio.wait_for(read(), timeout)
        assert self.closed is not None
        return self.closed

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.ws.send_json(["stdin", key])


@asynccontextmanager
async def tab(client: TestClient, size: tuple[int, int] = (120, 36)) -> AsyncIterator[Screen]:
    """A tab's websocket (the client must hold the cookie)."""
    ws = await client.ws_connect(f"/ws?width={size[0]}&height={size[1]}",
                                 headers={"Origin": origin(client)})
    try:
        yield Screen(ws)
    finally:
        await ws.close()
