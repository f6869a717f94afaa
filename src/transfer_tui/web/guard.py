"""Every request passes here before any route: is it for this server, does it carry the
token or its cookie, and does a websocket come from this server's own page.

Refusals are 403 with a page that says what to do; they are logged with the path but
never the query string, cookies or headers, so the token never reaches a log.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import hdrs, web
from yarl import URL

from transfer_tui.cleantext import one_line
from transfer_tui.web.page import refusal_page
from transfer_tui.web.token import Token

log = logging.getLogger("transfer_tui.web")

TOKEN_PARAM = "token"
WEBSOCKET_PATH = "/ws"
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}



def app_policy(websocket_url: str) -> str:
    """The app's page: nothing from elsewhere, no framing, no plug-ins; it talks to this
    server only. (Styles may be inline: xterm.js sets its own.)"""
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self' {websocket_url}; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'; object-src 'none'")


# Every other response (refusal pages, files): no script, nothing loaded.
POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
          "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: names that reach this machine only."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str | None:
    """The host part of a Host header (``127.0.0.1:8000``, ``[::1]:8000``), or None."""
    try:
        url = URL(f"http://{header}")
    except ValueError:
        return None
    if url.user or url.path not in ("", "/") or url.query_string or not url.host:
        return None
    return url.host


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the way browsers write an Origin header."""
    return str(URL(url).origin())


@dataclass(frozen=True)
class Guard:
    """The checks, for one server: its token, and its public URL when behind a proxy."""

    token: Token
    public_url: str | None = None

    @property
    def secure(self) -> bool:
        return self.public_url is not None and self.public_url.startswith("https://")

    @property
    def cookie_name(self) -> str:
        return self.token.cookie_name(secure=self.secure)

    def page_origin(self, request: web.Request) -> str:
        """Where this server's page is, as the browser sees it: the public URL behind a
        proxy, else the Host the browser asked for (a checked loopback name; an SSH
        tunnel may change its port)."""
        if self.public_url is not None:
            return origin_of(self.public_url)
        return f"http://{request.host}"

    def websocket_url(self, request: web.Request) -> str:
        origin = self.page_origin(request)
        scheme, rest = origin.split(":", 1)
        return ("wss" if scheme == "https" else "ws") + ":" + rest + WEBSOCKET_PATH

    @web.middleware
    async def middleware(self, request: web.Request,
                         handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                         ) -> web.StreamResponse:
        if self.public_url is None:
            host = host_of(request.host)
            if host is None or not is_loopback(host):
                return self.refuse(request, "not a local address",
                                   "This server answers on this machine only (127.0.0.1). "
                                   "Open the link that transfer-tui serve printed.")
        if TOKEN_PARAM in request.query:
            return self.exchange(request)
        cookie = request.cookies.get(self.cookie_name, "")
        if not cookie or not self.token.cookie_matches(cookie):
            return self.refuse(request, "no token",
                               "This transfer-tui server needs its token. Open the link that "
                               "transfer-tui serve printed when it started (it ends in "
                               "?token=...), in this browser.")
        if request.path == WEBSOCKET_PATH or "websocket" in request.headers.get(hdrs.UPGRADE,
                                                                                "").lower():
            origin = request.headers.get(hdrs.ORIGIN, "")
            if origin != self.page_origin(request):
                return self.refuse(request, "websocket from another origin",
                                   "This connection did not come from transfer-tui's page.")
        return await handler(request)

    def exchange(self, request: web.Request) -> web.StreamResponse:
        """The first visit: a right token becomes a cookie the page cannot read, and the
        browser is sent to the same address without the token."""
        given = request.query.get(TOKEN_PARAM, "")
        if request.method not in ("GET", "HEAD") or not self.token.matches(given):
            return self.refuse(request, "wrong token",
                               "This link's token is not this server's. Open the link that "
                               "transfer-tui serve printed last (a restart makes a new one).")
        rest = [(k, v) for k, v in request.query.items() if k != TOKEN_PARAM]
        # one leading slash: "//elsewhere" would send the browser to another site
        here = URL.build(path="/" + request.path.lstrip("/"), query=rest)
        response = web.Response(status=303, headers={hdrs.LOCATION: str(here)})
        response.set_cookie(self.cookie_name, self.token.cookie_value, path="/",
                            httponly=True, samesite="Lax", secure=self.secure)
        log.info("a browser showed the token (%s): it now holds the cookie", request.remote)
        return response

    def refuse(self, request: web.Request, reason: str, advice: str) -> web.Response:
        log.warning("refused %s %s from %s: %s", request.method,
                    one_line(request.path, 120), request.remote, reason)
        return web.Response(status=403, text=refusal_page("Not allowed", advice),
                            content_type="text/html")

    async def add_headers(self, _request: web.Request, response: web.StreamResponse) -> None:
        """On every response, refusals included, before its headers are sent (the app's
        page brings its own policy)."""
        response.headers.update(HEADERS)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        if response.content_type == "text/html":
            response.headers["Cache-Control"] = "no-store"
