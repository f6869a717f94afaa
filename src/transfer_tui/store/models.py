"""SQLModel classes mapping the tables that :mod:`.migrations` creates.

The migrations are the one source of the schema (with its triggers and checks);
these classes are how the rest of the store reads and writes rows. A test keeps
the two in step. Importing this module costs about a third of a second
(SQLAlchemy), so nothing on the start-up path imports it.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from transfer_tui.domain import HandoffState, Mode, Owner, Status


def new_id() -> str:
    """Stable ids that stay unique across two people's copies of the database: random,
    so handoffs made together differ in their first characters (the short id people
    read and type: ``export 3f9a``)."""
    return uuid.uuid4().hex


def ordered_id() -> str:
    """An id for rows nobody names by a prefix (tasks, events): 32 hex characters as
    :func:`new_id`'s, the time in milliseconds then 80 random bits (unique across
    copies as a UUID's 122 are, for all practical purposes). Made in order, each lands
    at the end of its table's primary key; a random one lands on a random page, and past
    a thousand handoffs those pages no longer fit SQLite's cache: a big import slowed
    down with every row."""
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(10).hex()}"


class Handoff(SQLModel, table=True):
    __tablename__ = "handoff"

    id: str = Field(default_factory=new_id, primary_key=True)
    account: str
    outgoing: str
    incoming: str
    target_date: date | None = None
    mode: str = Mode.DIRECT.value
    playbook_id: str
    playbook_name: str
    playbook_version: int = 1
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int = 1
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_blocked: int = 0
    renewal_date: date | None = None
    state: str = HandoffState.ACTIVE.value
    handed_over_at: datetime | None = None
    handed_over_by: str | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    rejected_at: datetime | None = None
    rejected_by: str | None = None
    rejection_reason: str | None = None
    promises_total: int = 0
    promises_fulfilled: int = 0
    account_id: str = Field(default="", sa_column_kwargs={"server_default": ""})  # as the file's
    ready_rules: str | None = None
    outgoing_label: str = Field(default="", sa_column_kwargs={"server_default": ""})
    incoming_label: str = Field(default="", sa_column_kwargs={"server_default": ""})

    @property
    def progress_done(self) -> int:
        """Done work: tasks done and promises fulfilled (see :mod:`.summary`)."""
        return self.tasks_done + self.promises_fulfilled

    @property
    def progress_total(self) -> int:
        """All work: tasks that apply, and every promise made."""
        return self.tasks_total + self.promises_total

    @property
    def promises_open(self) -> int:
        return self.promises_total - self.promises_fulfilled

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def sign_off(self) -> HandoffState:
        return HandoffState(self.state)

    @property
    def anchors(self) -> dict[str, date | None]:
        """What relative due dates count from: the day it started, its target and renewal."""
        return {"start": self.created_at.date(), "target": self.target_date,
                "renewal": self.renewal_date}

    @property
    def transition(self) -> Mode:
        return Mode(self.mode)


class Task(SQLModel, table=True):
    __tablename__ = "task"

    id: str = Field(default_factory=ordered_id, primary_key=True)
    handoff_id: str = Field(foreign_key="handoff.id")
    position: int
    section_key: str
    section_title: str
    key: str
    title: str
    guidance: str = ""
    status: str = Status.TODO.value
    owner: str = Owner.BOTH.value
    note: str = ""
    due_date: date | None = None
    record_kind: str | None = None
    raci: str = "{}"
    due_rule: str | None = None
    changed_at: datetime
    changed_by: str
    version: int = 1

    @property
    def state(self) -> Status:
        return Status(self.status)

    @property
    def side(self) -> Owner:
        return Owner(self.owner)

    @property
    def roles(self) -> dict[str, list[str]]:
        """RACI roles, e.g. {"R": ["CSM"], "A": ["CS Executive"]}."""
        try:
            value = json.loads(self.raci or "{}")
        except (ValueError, RecursionError):  # nested beyond reason: not ours
            return {}
        return value if isinstance(value, dict) else {}


class Event(SQLModel, table=True):
    """One changed field (or created/deleted row), kept forever: who, when, what, old -> new.

    ``entity`` is the table's name; a created row has field "created" and ``new``
    the row as JSON, a deleted one field "deleted" and ``old`` the row as JSON.
    Events of one store call share ``change_id``; an undo's events name the
    change they take back in ``undoes``.
    """

    __tablename__ = "event"

    id: str = Field(default_factory=ordered_id, primary_key=True)
    handoff_id: str | None = None
    entity: str
    entity_id: str
    field: str
    old: str | None = None
    new: str | None = None
    actor: str
    at: datetime
    change_id: str | None = None
    undoes: str | None = None
