"""One app per tab: the tab sees the app's screen and its keys reach it; a closed, silent
or quit tab ends its app; a cap on open tabs; a spare app ready for the next tab; files
the app delivers are downloaded through the server, behind the cookie."""

from __future__ import annotations

import asyncio
import time

from tests.web.inprocess import client_of, signed_in, tab
from tests.web.served import alive, needs_proc

pytestmark = needs_proc


async def until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return condition()


async def gone(pid: int, timeout: float = 10) -> bool:
    return await until(lambda: not alive(pid), timeout)


async def test_a_tab_shows_the_app_takes_keys_and_its_close_ends_the_app(demo_file) -> None:
    async with client_of(demo_file) as (client, server):
        await signed_in(client)
        async with tab(client, (200, 40)) as screen:
            await screen.read_until("Globex Logistics")
            # the server's database, as the server's person
            assert f"{demo_file} · as Sam Okafor" in screen.text
            (pid,) = server.sessions.pids
            await screen.keys("/", "G", "l", "o", "b")
            await screen.read_until("Filter")
        assert await gone(pid), "closing the tab must end its app"
        assert await until(lambda: server.sessions.pids == [] and len(server.sessions) == 0)


async def test_a_silent_tab_is_ended(demo_file) -> None:
    """A tab whose browser vanished (no close, no answer to pings) is ended."""
    async with client_of(demo_file, heartbeat=0.4) as (client, server):
        await signed_in(client)
        ws = await client.ws_connect("/ws", headers={"Origin": str(client.make_url(""))
                                                     .rstrip("/")}, autoping=False)
        await until(lambda: server.sessions.pids, 20)
        (pid,) = server.sessions.pids
        assert await gone(pid, 15), "a tab that answers no ping must be ended"
        assert await until(lambda: len(server.sessions) == 0)
        await ws.close()


async def test_quitting_the_app_ends_the_session_and_says_so(demo_file) -> None:
    async with client_of(demo_file) as (client, server):
        await signed_in(client)
        async with tab(client) as screen:
            await screen.read_until("Globex Logistics")
            (pid,) = server.sessions.pids
            await screen.keys("\x11")  # ctrl+q
            code, reason = await screen.until_closed()
            assert (code, reason) == (4000, "You quit transfer-tui. Press Restart to open it "
                                            "again.")
        assert await gone(pid)


async def test_the_cap_on_open_tabs(demo_file) -> None:
    async with client_of(demo_file, max_sessions=1) as (client, server):
        await signed_in(client)
        async with tab(client) as first:
            await first.read_until("Globex Logistics")
            async with client.get("/") as page:  # (waits a moment for a place first)
                assert page.status == 503
                assert "All 1 transfer-tui tab this server allows are open" in await page.text()
            async with tab(client) as second:
                code, reason = await second.until_closed()
                assert code == 4503 and "All 1 tabs this server allows are open" in reason
            assert len(server.sessions.pids) == 1
        async with client.get("/") as page:  # the place is free again
            assert page.status == 200


async def test_a_new_tab_takes_the_spare_app(demo_file) -> None:
    async with client_of(demo_file, spare=True) as (client, server):
        server.sessions.prepare_spare()
        await until(lambda: server.sessions.pids, 20)
        (spare,) = server.sessions.pids
        await asyncio.sleep(1.5)  # it draws meanwhile: the tab is shown what it drew
        await signed_in(client)
        async with tab(client, (100, 30)) as screen:
            await screen.read_until("Globex Logistics", timeout=5)
            assert len(server.sessions) == 1 and spare in server.sessions.pids
            assert await until(lambda: len(server.sessions.pids) == 2, 20), (
                "another spare starts behind it")
        assert await gone(spare)


async def test_the_export_is_downloaded_through_the_server_behind_the_cookie(
        demo_file) -> None:
    async with client_of(demo_file) as (client, _):
        await signed_in(client)
        async with tab(client) as screen:
            await screen.read_until("Blue Harbor Credit Union")
            await screen.keys("\r")  # open the highlighted handoff (the first)
            await screen.read_until("Sections")
            await screen.keys("m")
            await screen.read_until("Summary of")
            await screen.keys("s")
            deadline = time.monotonic() + 10
            while not screen.messages and time.monotonic() < deadline:
                await asyncio.wait_for(screen._next(), 10)
            kind, key = screen.messages[0]
            assert kind == "deliver_file_start"
            async with client.get(f"/download/{key}") as response:
                assert response.status == 200
                assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
                disposition = response.headers["Content-Disposition"]
                assert disposition.startswith('attachment; filename="blue-harbor-credit-union-'
                                              'handoff-')
                body = await response.text()
            assert body.startswith("# Account handoff: Blue Harbor Credit Union\n")
            async with client.get(f"/download/{key}") as response:
                assert response.status == 404  # once only
        client.session.cookie_jar.clear()
        async with client.get("/download/anything") as response:
            assert response.status == 403


MALFORMED = [
    "not json", "{}", "[]", '["stdin", 5]', '["resize", {"width": "x", "height": -4}]',
    '["resize", {"width": 99999999, "height": true}]', '["ping", "' + "9" * 100 + '"]',
    '["nothing", 1]', '[["stdin"], "x"]', '["stdin", "\\ud800"]',
]


async def test_malformed_messages_are_dropped_and_the_tab_works_on(demo_file) -> None:
    async with client_of(demo_file) as (client, _):
        await signed_in(client)
        async with tab(client) as screen:
            await screen.read_until("Globex Logistics")
            for number, envelope in enumerate(MALFORMED):
                await screen.ws.send_str(envelope)
                await screen.ws.send_json(["ping", str(number)])
                while ["pong", str(number)] not in screen.messages:
                    await asyncio.wait_for(screen._next(), 10)
            await screen.keys("/")
            await screen.read_until("Filter")
