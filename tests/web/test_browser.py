"""``transfer-tui serve`` in a real Chromium: the thin layer over the app's own tests.

Refused without the token (page and websocket); the link opens the home screen, keys
work, the export downloads through the browser, nothing is loaded from elsewhere, and
closing the tab ends its app; a clear page when every tab is taken. Chromium is
installed when missing (as root); the tests skip only when that cannot be done and CI
is not set.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.web import browser as chromium
from tests.web.served import alive, needs_proc, wait_until

pytestmark = [pytest.mark.browser, needs_proc]


@pytest.fixture(scope="module")
def browser():
    reason = chromium.missing()
    if reason is not None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        opened = chromium.launch(playwright)
        yield opened
        opened.close()


def test_a_tab_from_the_token_link_to_closing_it(serve, browser) -> None:
    server = serve()
    page = chromium.new_page(browser, accept_downloads=True)
    context = page.context
    addresses: list[str] = []
    context.on("request", lambda request: addresses.append(request.url))
    page.on("websocket", lambda ws: addresses.append(ws.url))
    downloads = []  # textual.js opens the download in a new tab; Chrome may credit either
    page.on("download", lambda download: downloads.append(download))
    context.on("page", lambda opened: opened.on("download", lambda d: downloads.append(d)))

    refused = page.goto(server.base)
    assert refused is not None and refused.status == 403
    assert "needs its token" in page.inner_text("body")

    page.goto(server.url)
    assert page.url == server.base  # the token left the address bar
    chromium.wait_for_text(page, "Globex Logistics")
    (cookie,) = context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    assert server.token not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # the page's scripts cannot read it

    page.keyboard.press("Enter")  # no click first: the terminal has the keyboard
    chromium.wait_for_text(page, "Sections")
    page.keyboard.press("m")
    chromium.wait_for_text(page, "Summary of")
    page.keyboard.press("s")
    for _ in range(150):
        if downloads:
            break
        page.wait_for_timeout(100)  # (Playwright delivers its events meanwhile)
    (download,) = downloads
    assert download.suggested_filename.startswith("blue-harbor-credit-union-handoff-")
    with open(download.path(), encoding="utf-8") as saved:
        assert saved.read().startswith("# Account handoff: Blue Harbor Credit Union\n")

    (app,) = server.tab_apps()
    context.clear_cookies()  # the same page, now without its cookie: no new session
    outcome = page.evaluate("""url => new Promise(resolve => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve("open");
        ws.onclose = event => resolve("closed " + event.code);
    })""", server.base.replace("http:", "ws:") + "ws")
    assert outcome == "closed 1006"
    # the server logs the refusal a moment after the browser sees the close
    assert wait_until(lambda: "refused GET /ws" in server.log, 5), server.log
    assert server.tab_apps() == [app]

    assert alive(app)
    page.close()
    assert wait_until(lambda: not alive(app), 10), "closing the tab must end its app"
    port = urlsplit(server.base).port
    assert addresses and all(urlsplit(a).hostname == "127.0.0.1" and urlsplit(a).port == port
                             for a in addresses), sorted(set(addresses))


def test_a_clear_page_when_every_tab_is_taken(serve, browser) -> None:
    server = serve("--max-sessions", "1")
    first = chromium.new_page(browser)
    first.goto(server.url)
    chromium.wait_for_text(first, "Globex Logistics")
    second = first.context.new_page()
    response = second.goto(server.base)
    assert response is not None and response.status == 503
    assert "All 1 transfer-tui tab this server allows are open" in second.inner_text("body")
    first.close()
    second.reload()
    chromium.wait_for_text(second, "Globex Logistics")
