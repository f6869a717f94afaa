"""When did the screen first show what we wait for? For the cold-start processes.

Textual draws through ``App._display``: the compositor has rendered every changed
line of every widget just before. Headless, that call draws nothing, so the
probe turns the update into terminal bytes itself (as a real terminal would be
sent them) and then prints ``painted`` on stdout, which the benchmark times
from the moment it started the process. Both our app and the bare one go
through the same probe.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partialmethod

from textual._compositor import CompositorUpdate
from textual.app import App

SIZE = (120, 36)
MARK = "painted"


def headless(auto_pilot: Callable | None = None) -> None:
    """Every App.run from here on runs headless at the benchmark's size."""
    App.run = partialmethod(App.run, headless=True, size=SIZE,  # type: ignore[method-assign]
                            auto_pilot=auto_pilot)


def draw_like_a_terminal() -> None:
    """Headless, Textual renders every changed line but skips turning them into terminal
    bytes: do that too, so a measured paint costs what it costs in a terminal."""
    original = App._display

    def _display(self: App, screen, renderable) -> None:
        original(self, screen, renderable)
        if self.is_headless and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)

    App._display = _display  # type: ignore[method-assign]


def on_first_paint(ready: Callable[[App], bool], then: Callable[[App], None]) -> None:
    """At the first screen update drawn once ``ready(app)`` holds: say so, then ``then``."""
    draw_like_a_terminal()
    drawn = App._display
    done = False

    def _display(self: App, screen, renderable) -> None:
        nonlocal done
        drawn(self, screen, renderable)
        if done or renderable is None or not ready(self):
            return
        done = True
        print(MARK, flush=True)
        then(self)

    App._display = _display  # type: ignore[method-assign]


class FirstFrame:
    """In process: when the first frame that shows what we wait for was drawn."""

    def __init__(self) -> None:
        self.ready: Callable[[], bool] | None = None
        self.at: float | None = None
        draw_like_a_terminal()
        drawn = App._display

        def _display(app: App, screen, renderable) -> None:
            drawn(app, screen, renderable)
            if renderable is not None and self.ready is not None and self.ready():
                self.at, self.ready = time.perf_counter(), None

        App._display = _display  # type: ignore[method-assign]

    def wait_for(self, ready: Callable[[], bool]) -> None:
        self.ready, self.at = ready, None


def peak_rss_mb() -> float:
    """The most memory this process has held (VmHWM on Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
