"""The browser's pages: the app's page (textual-serve's, with nothing loaded from the
internet) and the pages that say why a request was refused. Values are HTML-escaped."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"


def _fill(name: str, **values: str) -> str:
    text = (HERE / name).read_text(encoding="utf-8")
    return Template(text).substitute({k: escape(v) for k, v in values.items()})


def app_page(websocket_url: str, title: str) -> str:
    return _fill("app.html", websocket_url=websocket_url, title=title)


def refusal_page(title: str, advice: str) -> str:
    """A page that needs nothing else from the server (it may not serve the rest)."""
    return _fill("refusal.html", title=title, advice=advice)
