"""The checklist screen a pane lives on, typed as such.

Textual types ``widget.screen`` as any screen; the Tasks and Context panes are only
ever mounted on a :class:`ChecklistScreen` and call its methods, so they reach it here,
checked rather than assumed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from transfer_tui.screens.checklist.screen import ChecklistScreen


def checklist_screen(node: DOMNode) -> ChecklistScreen:
    from transfer_tui.screens.checklist.screen import ChecklistScreen  # imports the panes

    screen = node.screen
    if not isinstance(screen, ChecklistScreen):
        raise TypeError(f"{type(node).__name__} belongs on the checklist screen, not on "
                        f"{type(screen).__name__}")
    return screen
