"""``transfer-tui serve`` as a person runs it: what it refuses, what it prints, and how it
stops, Ctrl+C or SIGKILL, leaving no app process behind."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

import aiohttp
import pytest

from tests.web.served import alive, needs_proc, wait_until
from transfer_tui.cli import main
from transfer_tui.web.token import TOKEN_ENV

TOKEN = "a-token-given-by-the-person-0123"


def refused(capsys, *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert err.startswith("transfer-tui: error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(("args", "words"), [
    (["--host", "0.0.0.0"], "would let other machines reach your handoffs"),
    (["--host", "192.168.1.20"], "SSH tunnel"),
    (["--host", "example.com"], "not an IP address"),
    (["--host", "0.0.0.0", "--public-url", "http://handoffs.example.com"], "https://"),
    (["--public-url", "https://handoffs.example.com/transfer"], "address only"),
    (["--public-url", "https://user:pw@handoffs.example.com"], "address only"),
    (["--public-url", "not a url"], "https://"),
    (["--max-sessions", "0"], "--max-sessions"),
    (["--token", TOKEN], "No such option"),
])
def test_unsafe_or_wrong_options_are_refused_in_one_line(capsys, db_path, args, words) -> None:
    assert words in refused(capsys, "--db", str(db_path), "serve", *args)
    assert not db_path.exists() or args[0] != "--host"


def test_a_readable_token_file_is_refused(capsys, db_path, tmp_path) -> None:
    path = tmp_path / "token"
    path.write_text(TOKEN)
    path.chmod(0o644)
    assert "chmod 600" in refused(capsys, "--db", str(db_path), "serve", "--token-file",
                                  str(path))


def test_a_damaged_database_is_refused_before_serving(capsys, tmp_path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    refused(capsys, "--db", str(bad), "serve")
    assert bad.read_bytes() == b"not a database at all" * 100


def test_a_busy_port_is_refused(capsys, db_path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = refused(capsys, "--db", str(db_path), "serve", "--port", str(port))
    assert f"port {port}" in err and "--port" in err


async def open_tabs(url: str, count: int) -> tuple[aiohttp.ClientSession,
                                                   list[aiohttp.ClientWebSocketResponse]]:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with session.get(url, allow_redirects=False) as response:
        assert response.status == 303
    base = url.split("?")[0]
    tabs = [await session.ws_connect(base + "ws", headers={"Origin": base.rstrip("/")})
            for _ in range(count)]
    return session, tabs


@needs_proc
def test_ctrl_c_stops_the_server_and_every_app_within_seconds(serve) -> None:
    server = serve()

    async def scenario() -> list[tuple[int | None, str]]:
        session, tabs = await open_tabs(server.url, 2)
        assert await asyncio.to_thread(wait_until, lambda: len(server.tab_apps()) == 2, 20)
        apps = server.apps()
        assert set(server.tab_apps()) <= set(apps)
        took = await asyncio.to_thread(server.stop, signal.SIGINT)  # (tabs not answering)
        assert took < 5, f"Ctrl+C took {took:.1f} s"
        assert not [pid for pid in apps if alive(pid)]
        closes = []
        for ws in tabs:
            message = await ws.receive()
            while message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                message = await ws.receive()
            closes.append((message.data, str(message.extra or "")))
        await session.close()
        return closes

    closes = asyncio.run(scenario())
    assert server.proc.returncode == 0
    assert closes == [(1001, "The transfer-tui server stopped.")] * 2
    assert "stopping: ending 2 tab(s)" in server.log


@needs_proc
def test_sigkill_of_the_server_leaves_no_app_process(serve) -> None:
    server = serve()

    async def scenario() -> None:
        session, _ = await open_tabs(server.url, 2)
        assert await asyncio.to_thread(wait_until, lambda: len(server.apps()) == 3, 20)
        apps = server.apps()  # two tabs and the spare
        server.stop(signal.SIGKILL)
        assert await asyncio.to_thread(wait_until, lambda: not any(map(alive, apps)), 5), (
            "app processes outlived the server")
        await session.close()

    asyncio.run(scenario())


@needs_proc
def test_a_given_token_is_never_printed_nor_logged(serve, tmp_path) -> None:
    server = serve(env={**os.environ, TOKEN_ENV: TOKEN})
    assert server.url == server.base and TOKEN not in server.log
    assert f"add ?token= and the token from {TOKEN_ENV}" in server.log

    async def scenario() -> None:
        session, _ = await open_tabs(f"{server.base}?token={TOKEN}", 1)
        async with session.get(f"{server.base}static/js/textual.js?token={TOKEN}x") as r:
            assert r.status == 403
        assert await asyncio.to_thread(wait_until, lambda: server.tab_apps(), 20)
        (app,) = server.tab_apps()
        environment = Path(f"/proc/{app}/environ").read_bytes()
        assert TOKEN.encode() not in environment  # the apps never get it
        await session.close()

    asyncio.run(scenario())
    server.stop()
    assert "refused GET /static/js/textual.js" in server.log
    assert TOKEN not in server.log


def test_the_printed_link_holds_a_fresh_token(serve) -> None:
    first, second = serve(), serve()
    for server in (first, second):
        assert server.base.startswith("http://127.0.0.1:") and len(server.token) >= 40
        assert "keep it to yourself" in server.log
    assert first.token != second.token and first.base != second.base
