"""Where each table of a playbook file starts, so a problem can name its line."""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[\s*sections\s*(\.\s*tasks\s*)?\]\]")
_READY = re.compile(r"^\s*\[\[\s*ready\s*\]\]")


class SourceLines:
    """Where each table starts in the source, so a problem can name its line."""

    def __init__(self, source: str):
        self.lines = source.splitlines()
        self.headers = [n for n, text in enumerate(self.lines) if text.lstrip().startswith("[")]
        self.sections: list[int] = []
        self.tasks: list[list[int]] = []
        self.ready: list[int] = []
        for number, text in enumerate(self.lines):
            match = _HEADER.match(text)
            if match and match.group(1) and self.tasks:
                self.tasks[-1].append(number)
            elif match and not match.group(1):
                self.sections.append(number)
                self.tasks.append([])
            elif _READY.match(text):
                self.ready.append(number)

    def find(self, section: int | None = None, task: int | None = None,
             key: str = "", ready: int | None = None) -> int | None:
        """The 1-based line of ``key = ...`` in a table (or of the table's header)."""
        start: int | None = -1
        if ready is not None:
            start = _at(self.ready, ready - 1)
        elif section is not None:
            start = _at(self.sections, section - 1)
            if start is not None and task is not None:
                start = _at(self.tasks[section - 1], task - 1)
        if start is None:
            return None
        end = next((h for h in self.headers if h > start), len(self.lines))
        if key:
            field = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
            for number in range(max(start, 0), end):
                if field.match(self.lines[number]):
                    return number + 1
        return start + 1 if start >= 0 else None


def _at(items: list[int], index: int) -> int | None:
    return items[index] if 0 <= index < len(items) else None
