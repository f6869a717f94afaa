"""transfer-tui: a keyboard-first account handoff checklist for Customer Success teams."""

__version__ = "0.1.0"
