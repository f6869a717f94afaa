"""Every request is checked before any route: a local Host, the token or its cookie, and
for the websocket an Origin from this server's own page. Refusals say what to do and never
put the token in a log."""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from aiohttp import WSServerHandshakeError
from yarl import URL

from tests.web.inprocess import TOKEN, client_of, origin, signed_in

ROUTES = ["/", "/static/js/textual.js", "/static/css/xterm.css", "/assets/page.js",
          "/download/0123456789abcdef", "/ws", "/nothing-here"]


@pytest.mark.parametrize("path", ROUTES)
async def test_every_route_refuses_a_request_without_the_token(db_path, path) -> None:
    async with client_of(db_path) as (client, _):
        async with client.get(path) as response:
            assert response.status == 403
            text = await response.text()
            assert "Open the link that transfer-tui serve printed" in text
            assert "Set-Cookie" not in response.headers
        # a cookie with the wrong value is no better
        client.session.cookie_jar.update_cookies({"transfer-tui-x": "y"})
        async with client.get(path) as response:
            assert response.status == 403


async def test_the_token_becomes_a_cookie_and_leaves_the_address(db_path) -> None:
    async with client_of(db_path) as (client, server):
        async with client.get(f"/?fontsize=20&token={TOKEN}", allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/?fontsize=20"
            cookie = response.headers["Set-Cookie"]
        sly = URL.build(scheme="http", host="127.0.0.1", port=client.port,
                        path="//evil.example/x", query={"token": TOKEN})
        async with client.session.get(sly, allow_redirects=False) as response:
            assert response.headers["Location"] == "/evil.example/x"  # never another site
        name = server.guard.cookie_name
        assert cookie.startswith(f"{name}={server.config.token.cookie_value};")
        assert TOKEN not in cookie
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain http on this machine
        for path in ROUTES[:4]:
            async with client.get(path) as response:
                assert response.status == 200, path


async def test_a_wrong_token_is_refused_and_sets_nothing(db_path) -> None:
    async with client_of(db_path) as (client, _):
        for wrong in ("", "x", TOKEN[:-1], TOKEN + "x", TOKEN.upper()):
            async with client.get("/", params={"token": wrong}, allow_redirects=False) as r:
                assert r.status == 403
                assert "Set-Cookie" not in r.headers
                assert "not this server's" in unescape(await r.text())
        async with client.post(f"/?token={TOKEN}", allow_redirects=False) as response:
            assert response.status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.1.20:8000",
                                  "127.0.0.1.evil.example", "user@127.0.0.1", ""])
async def test_a_name_other_than_this_machine_is_refused(db_path, host) -> None:
    """A web page whose name an attacker points at 127.0.0.1 (DNS rebinding) gets nothing,
    cookie or not."""
    async with client_of(db_path) as (client, _):
        await signed_in(client)
        async with client.get("/", headers={"Host": host}) as response:
            assert response.status == 403
            assert "answers on this machine only" in await response.text()
        async with client.get("/", headers={"Host": f"localhost:{client.port}"}) as response:
            assert response.status == 200


async def test_the_page_loads_nothing_from_elsewhere(db_path) -> None:
    async with client_of(db_path) as (client, _):
        await signed_in(client)
        async with client.get("/") as response:
            html = await response.text()
            policy = response.headers["Content-Security-Policy"]
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert response.headers["Cache-Control"] == "no-store"
        addresses = re.findall(r' (?:src|href)="([^"]*)"', html)
        assert addresses and all(a.startswith(("/", "data:")) for a in addresses), addresses
        websocket = re.search(r'data-session-websocket-url="([^"]*)"', html).group(1)
        assert websocket == origin(client).replace("http:", "ws:") + "/ws"
        assert "default-src 'self'" in policy and "script-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy and f"connect-src 'self' {websocket};" in policy
        assert "https://" not in html and "googleapis" not in html
        for name in ("page.css", "page.js"):
            async with client.get(f"/assets/{name}") as response:
                assert "http" not in await response.text()


async def test_the_websocket_needs_the_cookie_and_this_server_as_origin(db_path) -> None:
    async with client_of(db_path) as (client, _):
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": origin(client)})
        assert refused.value.status == 403
        await signed_in(client)
        for other in ("http://evil.example", "null", origin(client) + ".evil.example",
                      origin(client).replace("http:", "https:")):
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect("/ws", headers={"Origin": other})
            assert refused.value.status == 403, other
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws")  # no Origin at all
        assert refused.value.status == 403


async def test_the_token_never_reaches_a_log(db_path, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    async with client_of(db_path) as (client, _):
        for attempt in (TOKEN + "x", TOKEN):
            async with client.get("/static/css/xterm.css", params={"token": attempt}):
                pass
        async with client.get("/?token=" + TOKEN, headers={"Host": "evil.example"}):
            pass
        async with client.get("/assets/page.js"):
            pass
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "refused GET /static/css/xterm.css" in logged and "now holds the cookie" in logged
    assert TOKEN not in logged and TOKEN[:12] not in logged


async def test_behind_a_proxy_the_cookie_is_secure_and_the_origin_is_the_public_one(
        db_path) -> None:
    public = "https://handoffs.example.com"
    async with client_of(db_path, public_url=public) as (client, server):
        async with client.get(f"/?token={TOKEN}", allow_redirects=False) as response:
            cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-") and "Secure" in cookie
        # the test client sends no cookie marked Secure over http: hand it over as the proxy
        headers = {"Cookie": f"{server.guard.cookie_name}={server.config.token.cookie_value}"}
        async with client.get("/", headers=headers) as response:
            assert response.status == 200
            assert 'data-session-websocket-url="wss://handoffs.example.com/ws"' in (
                await response.text())
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={**headers, "Origin": origin(client)})
        assert refused.value.status == 403
