"""What a playbook is once loaded: plain frozen dataclasses, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from transfer_tui.dates import shifted
from transfer_tui.domain import Owner
from transfer_tui.rules.readiness import ReadyRule

ANCHORS = ("start", "target", "renewal")
ANCHOR_WORDS = {"start": "the start", "target": "the target date",
                "renewal": "the renewal date"}
_RELATIVE = re.compile(r"^(start|target|renewal)(?:\s*([+-])\s*(\d{1,4})\s*([dw]))?$")


@dataclass(frozen=True)
class RelativeDate:
    """A due date written against an anchor of the handoff, e.g. ``target-7d``."""

    anchor: str
    days: int

    @classmethod
    def parse(cls, text: str) -> RelativeDate:
        match = _RELATIVE.match(text.strip().lower())
        if not match:
            raise ValueError(
                f"{text!r} is not a relative date: write start, target or renewal, "
                "optionally followed by +N or -N and d (days) or w (weeks), e.g. start+14d"
            )
        anchor, sign, number, unit = match.groups()
        if sign is None:
            return cls(anchor, 0)
        days = int(number) * (7 if unit == "w" else 1)
        return cls(anchor, -days if sign == "-" else days)

    def resolve(self, anchors: dict[str, date | None]) -> date | None:
        """The calendar date, or None when the handoff has no such anchor yet (or the
        date would fall outside the range transfer-tui keeps)."""
        return shifted(anchors.get(self.anchor), self.days)

    def __str__(self) -> str:
        if self.days == 0:
            return self.anchor
        sign = "-" if self.days < 0 else "+"
        return f"{self.anchor}{sign}{abs(self.days)}d"

    def describe(self) -> str:
        """In words, for the task detail: ``90 days before the renewal date``."""
        anchor = ANCHOR_WORDS[self.anchor]
        if self.days == 0:
            return f"on {anchor}"
        count = abs(self.days)
        unit = "day" if count == 1 else "days"
        return f"{count} {unit} {'before' if self.days < 0 else 'after'} {anchor}"


@dataclass(frozen=True)
class TaskTemplate:
    key: str
    title: str
    guidance: str = ""
    owner: Owner = Owner.BOTH
    due: RelativeDate | None = None
    record: str | None = None
    raci: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tasks: tuple[TaskTemplate, ...]
    record: str | None = None


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    version: int
    sections: tuple[Section, ...]
    summary: str = ""
    source: str = ""
    outgoing_label: str = "Outgoing"
    incoming_label: str = "Incoming"
    roles: tuple[str, ...] = ()
    ready: tuple[ReadyRule, ...] = ()
    path: Path | None = None
    builtin: bool = False

    @property
    def task_count(self) -> int:
        return sum(len(section.tasks) for section in self.sections)
