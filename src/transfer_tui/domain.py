"""The handoff vocabulary: statuses, owners, transition modes.

Plain Python with no database or UI imports, so the store, the playbooks, the
export and the screens all speak the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """Where one task of a handoff stands."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    NA = "na"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def icon(self) -> str:
        return _STATUS_ICONS[self]

    @property
    def is_open(self) -> bool:
        """Still work to do: not done and not ruled out."""
        return self not in (Status.DONE, Status.NA)

    def cycled(self) -> Status:
        """The next status in the order a task usually moves through."""
        order = STATUS_CYCLE
        return order[(order.index(self) + 1) % len(order)]

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accept the stored value or the word people type ("n/a", "in progress")."""
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        key = {"n/a": "na", "n_a": "na", "todo": "todo", "to_do": "todo"}.get(key, key)
        return cls(key)


STATUS_CYCLE = (Status.TODO, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED, Status.NA)
_STATUS_LABELS = {
    Status.TODO: "todo",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.BLOCKED: "blocked",
    Status.NA: "n/a",
}
_STATUS_ICONS = {
    Status.TODO: "○",
    Status.IN_PROGRESS: "◐",
    Status.DONE: "●",
    Status.BLOCKED: "✖",
    Status.NA: "–",
}


class Owner(StrEnum):
    """Which side of the handoff does a task."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"
    BOTH = "both"

    def cycled(self) -> Owner:
        order = tuple(Owner)
        return order[(order.index(self) + 1) % len(order)]


class Mode(StrEnum):
    """How the account changes hands."""

    DIRECT = "direct"
    SHADOWING = "shadowing"

    @property
    def label(self) -> str:
        if self is Mode.SHADOWING:
            return "shadowing (outgoing leads calls, incoming shadows)"
        return "direct"


class Side(StrEnum):
    """Who a person is on one handoff, given the --as name."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"
    NEITHER = "neither"


def same_person(one: str, other: str) -> bool:
    """Names match ignoring case and spacing: how every rule tells who someone is."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def side_of(person: str, outgoing: str, incoming: str) -> Side:
    """Match the --as name against a handoff's people, ignoring case and spacing."""
    me = " ".join(person.split()).casefold()
    if me and me == " ".join(outgoing.split()).casefold():
        return Side.OUTGOING
    if me and me == " ".join(incoming.split()).casefold():
        return Side.INCOMING
    return Side.NEITHER


def owned_by(owner: Owner, side: Side) -> bool:
    """Is a task with this owner part of this person's work?"""
    if side is Side.NEITHER:
        return False
    return owner is Owner.BOTH or owner.value == side.value


class HandoffState(StrEnum):
    """Where the sign-off of a handoff stands: the incoming side has the last word."""

    ACTIVE = "active"
    HANDED_OVER = "handed_over"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def short(self) -> str:
        """One word for narrow table columns."""
        return "awaiting" if self is HandoffState.HANDED_OVER else self.value

    @property
    def is_open(self) -> bool:
        """Not yet accepted by the incoming CSM: still someone's work."""
        return self is not HandoffState.ACCEPTED


_STATE_LABELS = {
    HandoffState.ACTIVE: "active",
    HandoffState.HANDED_OVER: "awaiting acceptance",
    HandoffState.ACCEPTED: "accepted",
    HandoffState.REJECTED: "rejected",
}

# The home screen's state filter: which states each choice shows.
STATE_FILTERS: dict[str, tuple[HandoffState, ...]] = {
    "all": tuple(HandoffState),
    "active": (HandoffState.ACTIVE, HandoffState.REJECTED),
    "awaiting acceptance": (HandoffState.HANDED_OVER,),
    "done": (HandoffState.ACCEPTED,),
}


@dataclass(frozen=True)
class Turn:
    """One handoff of an account: who held it, who took it, when, and where it stands."""

    handoff_id: str
    outgoing: str
    incoming: str
    started: datetime  # aware UTC
    state: HandoffState
    handed_over_at: datetime | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    current: bool = False  # the handoff the history was asked for

    def describe(self, show: Callable[[str], str]) -> str:
        """``2026-09-01 Priya Raman → Marco Bellini: accepted 2026-10-02 by Marco Bellini``,
        each name passed through ``show`` (escaped for Markdown, shortened for a screen)."""
        if self.accepted_at is not None:
            where = (f"accepted {self.accepted_at:%Y-%m-%d} by "
                     f"{show(self.accepted_by or self.incoming)}")
        elif self.handed_over_at is not None and self.state is HandoffState.HANDED_OVER:
            where = f"handed over {self.handed_over_at:%Y-%m-%d}, awaiting acceptance"
        else:
            where = self.state.label
        this = " (this handoff)" if self.current else ""
        return (f"{self.started:%Y-%m-%d} {show(self.outgoing)} → {show(self.incoming)}: "
                f"{where}{this}")
