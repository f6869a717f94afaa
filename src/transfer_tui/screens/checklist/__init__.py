"""The checklist of one handoff: a screen with one tab per kind of work."""

from transfer_tui.screens.checklist.screen import ChecklistScreen

__all__ = ["ChecklistScreen"]
