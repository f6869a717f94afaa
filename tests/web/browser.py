"""Driving Debian's Chromium with Playwright (its own browser download does not work on our
machines): finding or installing Chromium, the launch flags, and reading the screen.

xterm.js draws on a canvas, so the screen is read from its buffer: a script added before
the page's own keeps a reference to each terminal textual.js creates (it assigns
``this.terminal``), and ``screen_text`` reads the visible lines. Used by the browser
tests, ``bench/serve.py`` and ``scripts/screenshots.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# What works headless on our machines; Playwright adds a fresh --user-data-dir itself.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

KEEP_TERMINALS = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer && value.buffer.active) window.__terminals.push(value);
  },
});
"""

SCREEN = """() => {
  const terminal = window.__terminals && window.__terminals[0];
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def first_text_probe(text: str) -> str:
    """A script for a new page that notes (in ms since the navigation began, the token's
    redirect included) when ``text`` is first in the terminal's buffer, and when it is
    first drawn after that: ``window.__firstText = {parsed, drawn}``."""
    return KEEP_TERMINALS + """
window.__firstText = {};
(function watch() {
  const terminal = window.__terminals[0];
  if (!terminal) { setTimeout(watch, 1); return; }
  const marks = window.__firstText;
  terminal.onWriteParsed(() => {
    if (marks.parsed) return;
    const buffer = terminal.buffer.active;
    for (let y = 0; y < terminal.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      if (line && line.translateToString(true).includes(TEXT)) {
        marks.parsed = performance.now();
        return;
      }
    }
  });
  terminal.onRender(() => {
    if (marks.parsed && !marks.drawn) marks.drawn = performance.now();
  });
})();
""".replace("TEXT", json.dumps(text))


def install_chromium() -> Path | None:
    """Chromium at /usr/bin/chromium, installed with apt-get when missing and we are root."""
    if CHROMIUM.exists():
        return CHROMIUM
    if getattr(os, "geteuid", lambda: 1)() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    for steps in ([install], [["apt-get", "update", "-q"], install]):  # stale lists: update
        for step in steps:
            subprocess.run(step, env=env, capture_output=True, timeout=1200, check=False)
        if CHROMIUM.exists():
            return CHROMIUM
    return None


def missing(*, install: bool = True) -> str | None:
    """Why Chromium cannot be driven here, or None; ``install`` it first if need be."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    found = install_chromium() if install else (CHROMIUM if CHROMIUM.exists() else None)
    if found is None:
        return (f"Chromium is not at {CHROMIUM} and could not be installed "
                "(apt-get install -y chromium needs root and Debian's package lists)")
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def new_page(browser, **options):
    """A page in a fresh context (its own cookies) that can read the terminal."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    context.add_init_script(KEEP_TERMINALS)
    return context.new_page()


def screen_text(page) -> str:
    return page.evaluate(SCREEN)


def wait_for_text(page, text: str, timeout: float = 20) -> None:
    page.wait_for_function(f"() => ({SCREEN})().includes({text!r})", polling=50,
                           timeout=timeout * 1000)
