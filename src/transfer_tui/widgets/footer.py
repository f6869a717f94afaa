"""The keys of the screen on one line, as one widget.

Textual's Footer is a container of one widget per key, rebuilt whenever the
bindings are looked at again (a screen shown, focus moved): for the checklist's
dozen keys that is about 50 ms of the 150 ms it took to open a handoff. This one
draws the same line (each key, then what it does; the palette key on the right)
as a single piece of text, redrawn only when the keys change, and a click on a
key presses it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """The footer: the keys that work here and what they do."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled {
            text-style: dim;
        }
        & > .key-bar--divider {
            color: $foreground 20%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
        "key-bar--divider",
    }

    def __init__(self) -> None:
        super().__init__()
        # (key, key shown, description, enabled), and where each key sits on the line
        self._keys: tuple[tuple[str, str, str, bool], ...] = ()
        self._palette: tuple[str, str, str, bool] | None = None
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        app = self.app
        keys: list[tuple[str, str, str, bool]] = []
        palette: tuple[str, str, str, bool] | None = None
        for _, binding, enabled, _tooltip in screen.active_bindings.values():
            shown = (binding.key, app.get_key_display(binding), binding.description, enabled)
            if binding.key == app.COMMAND_PALETTE_BINDING:
                palette = shown if app.ENABLE_COMMAND_PALETTE else None
            elif binding.show and binding.action not in {k[0] for k in keys}:
                keys.append(shown)
        if (tuple(keys), palette) != (self._keys, self._palette):
            self._keys, self._palette = tuple(keys), palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        dim = self.get_component_rich_style("key-bar--disabled")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key, shown, description, enabled in self._keys:
            start = line.cell_len
            line.append(f" {shown} ", key_style if enabled else key_style + dim)
            if description:
                line.append(f"{description} ", text_style if enabled else text_style + dim)
            self._spans.append((start, line.cell_len, key))
        if self._palette is not None:
            key, shown, description, _ = self._palette
            right = Text(no_wrap=True, end="")
            right.append("▏", self.get_component_rich_style("key-bar--divider"))
            right.append(shown, key_style)
            right.append(f" {description} ", text_style)
            keys_room = max(self.size.width - right.cell_len, 0)
            line.truncate(keys_room, pad=True)  # the palette key keeps its place on the right
            self._spans = [(a, min(b, keys_room), k) for a, b, k in self._spans if a < keys_room]
            self._spans.append((keys_room, keys_room + right.cell_len, key))
            line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
