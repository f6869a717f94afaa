"""What an export shows: one handoff read at one moment, as plain frozen dataclasses.

The store fills a :class:`HandoffSnapshot` (``Store.snapshot(handoff_id)``) and
the renderers read it; nothing here knows SQL or Textual. The derived views
(progress, what needs attention, what is left per person) live here so the
Markdown and the JSON always agree.

To export more of a handoff (events...), add a field with a default to
:class:`HandoffSnapshot`, fill it in ``store/snapshot.py``, and add a renderer
to ``MARKDOWN_SECTIONS`` and ``JSON_PARTS``. Records came in that way: every
kind, in the order of :data:`transfer_tui.records.KINDS`.

Progress counts tasks and promises, as the screens and ``list`` do: every task
that applies and every promise made is one piece of work; a done task or a
fulfilled promise is done, a pending or at-risk promise is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from transfer_tui.domain import Mode, Owner, Status, Turn
from transfer_tui.records import KINDS, Record
from transfer_tui.records.record import Renewal, attention_reason, next_renewal

#: Who an export is for: the team working the handoff (the default), a manager who wants
#: one page, or the customer (a letter that holds no internal field).
AUDIENCES = ("team", "manager", "customer")


@dataclass(frozen=True)
class ExportOptions:
    """What, besides the database, an export may depend on: nothing unless asked.

    ``as_of`` marks tasks due before that day as overdue (``as_of_today`` says
    that day is today, so the first lines can say so); ``generated_at`` (and
    ``generated_by``) add a generated-at line. Without them the same database
    gives the same bytes. ``people`` are (name, e-mail) pairs the customer letter
    may print, from the config file or the command line.
    """

    as_of: date | None = None
    generated_at: datetime | None = None
    generated_by: str | None = None
    history: bool = False  # append every change (the snapshot must be taken with history)
    audience: str = "team"  # one of AUDIENCES
    as_of_today: bool = False
    people: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}: one of {', '.join(AUDIENCES)}")

    def email_of(self, person: str) -> str | None:
        """The e-mail address given for ``person`` (case and spacing ignored), if any."""
        key = " ".join(person.split()).casefold()
        return next((email for name, email in self.people
                     if " ".join(name.split()).casefold() == key), None)


@dataclass(frozen=True)
class TaskSnapshot:
    id: str
    key: str
    section_key: str
    title: str
    guidance: str
    status: Status
    owner: Owner
    note: str
    due_date: date | None
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # RACI: (("R", ("CSM",)), ...)
    changed_at: datetime  # aware UTC
    changed_by: str
    version: int

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def overdue(self, as_of: date | None) -> bool:
        """Still open and due before ``as_of``; never without a date to compare with."""
        return (as_of is not None and self.is_open and self.due_date is not None
                and self.due_date < as_of)


@dataclass(frozen=True)
class ChangeSnapshot:
    """One change kept in the history: who, when, which row, which field, old -> new.

    ``field`` is "created" or "deleted" for a whole row (``old``/``new`` then hold
    the row as JSON); ``undo`` marks a change that took back an earlier one.
    """

    id: str
    change_id: str
    at: datetime  # aware UTC
    actor: str
    entity: str  # the table: "handoff", "task", or a record's
    entity_id: str
    subject: str  # what people call the row: a task's title, the account...
    field: str
    old: str | None
    new: str | None
    undo: bool = False


@dataclass(frozen=True)
class SectionSnapshot:
    key: str
    title: str
    tasks: tuple[TaskSnapshot, ...]

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.status is Status.DONE)

    @property
    def total(self) -> int:
        """Tasks that apply: n/a ones do not count."""
        return sum(1 for t in self.tasks if t.status is not Status.NA)

    @property
    def open(self) -> int:
        return sum(1 for t in self.tasks if t.is_open)

    @property
    def blocked(self) -> int:
        return sum(1 for t in self.tasks if t.status is Status.BLOCKED)


@dataclass(frozen=True)
class Attention:
    """One line of "Needs attention": why this task is there."""

    task: TaskSnapshot
    section: SectionSnapshot
    reason: str  # "blocked", "overdue" or "due"


@dataclass(frozen=True)
class SignOff:
    """Where the two-sided sign-off stands, and who did each step when."""

    state: str  # active, handed_over, accepted, rejected
    handed_over_at: datetime | None = None
    handed_over_by: str | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    rejected_at: datetime | None = None
    rejected_by: str | None = None
    rejection_reason: str | None = None


@dataclass(frozen=True)
class Readiness:
    """Whether the facts a playbook requires before hand-over are there (issue 13's rules).

    ``unmet`` names each rule not met, in words, with where to fix it. A snapshot
    without readiness (``None``) comes from a store or playbook that declares no rules.
    """

    met: int
    total: int
    unmet: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self.met >= self.total


@dataclass(frozen=True)
class HandoffSnapshot:
    id: str
    account: str
    outgoing: str
    incoming: str
    target_date: date | None
    mode: Mode
    playbook_id: str
    playbook_name: str
    playbook_version: int
    created_at: datetime  # aware UTC
    created_by: str
    updated_at: datetime
    updated_by: str
    sections: tuple[SectionSnapshot, ...]
    records: dict[str, tuple[Record, ...]] = field(default_factory=dict)  # by kind key
    renewal_date: date | None = None  # the handoff's own renewal date
    history: tuple[ChangeSnapshot, ...] = ()  # oldest first; only when asked for
    sign_off: SignOff = SignOff("active")
    readiness: Readiness | None = None  # None: no readiness rules to check
    account_id: str = ""  # the account's stable id, '' when known by its name
    outgoing_label: str = "Outgoing CSM"  # what the playbook calls each side
    incoming_label: str = "Incoming CSM"
    account_history: tuple[Turn, ...] = ()  # every handoff of the account, oldest first

    @property
    def tasks(self) -> tuple[TaskSnapshot, ...]:
        return tuple(task for section in self.sections for task in section.tasks)

    @property
    def tasks_done(self) -> int:
        return sum(section.done for section in self.sections)

    @property
    def tasks_total(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def promises(self) -> tuple[Record, ...]:
        return self.records.get("promise", ())

    @property
    def promises_fulfilled(self) -> int:
        return sum(1 for p in self.promises if p.values.get("status") == "fulfilled")

    @property
    def promises_open(self) -> int:
        return len(self.promises) - self.promises_fulfilled

    @property
    def done(self) -> int:
        """Tasks done and promises fulfilled."""
        return self.tasks_done + self.promises_fulfilled

    @property
    def total(self) -> int:
        """Tasks that apply and every promise made."""
        return self.tasks_total + len(self.promises)

    @property
    def open(self) -> int:
        return sum(section.open for section in self.sections) + self.promises_open

    @property
    def blocked(self) -> int:
        return sum(section.blocked for section in self.sections)

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.done / self.total)

    def person(self, side: Owner) -> str:
        return self.outgoing if side is Owner.OUTGOING else self.incoming

    def label(self, side: Owner) -> str:
        """What the playbook calls that side: ``Account Executive``, ``Outgoing CSM``."""
        return self.outgoing_label if side is Owner.OUTGOING else self.incoming_label

    @property
    def handed_off_before(self) -> bool:
        """The account had a handoff before this one."""
        return any(not turn.current for turn in self.account_history)

    def attention(self, as_of: date | None = None) -> list[Attention]:
        """Blocked tasks, then overdue ones (only with ``as_of``), then open tasks with a
        due date, earliest first; playbook order breaks ties."""
        located = [(task, section) for section in self.sections for task in section.tasks]
        blocked = [Attention(t, s, "blocked") for t, s in located
                   if t.status is Status.BLOCKED]
        dated = sorted(
            ((t, s) for t, s in located
             if t.is_open and t.status is not Status.BLOCKED and t.due_date is not None),
            key=lambda pair: pair[0].due_date,  # type: ignore[arg-type,return-value]
        )
        overdue = [Attention(t, s, "overdue") for t, s in dated if t.overdue(as_of)]
        due = [Attention(t, s, "due") for t, s in dated if not t.overdue(as_of)]
        return blocked + overdue + due

    @property
    def all_records(self) -> list[Record]:
        return [r for kind in KINDS for r in self.records.get(kind.key, ())]

    def record_attention(self) -> list[tuple[Record, str, str]]:
        """Records someone must act on, in kind order: (record, code, words)."""
        return [(r, *why) for r in self.all_records if (why := attention_reason(r))]

    def unverified(self) -> list[Record]:
        """Records nobody verified since the handoff started."""
        return [r for r in self.all_records if r.unverified(self.created_at)]

    def renewal(self, as_of: date | None) -> Renewal | None:
        """The handoff's renewal date when set, else the soonest license renewal ahead of
        ``as_of`` (or the earliest one, without a day to compare with)."""
        if self.renewal_date is not None:
            return Renewal(self.renewal_date, as_of or self.renewal_date)
        licenses = list(self.records.get("license", ()))
        if as_of is not None:
            return next_renewal(licenses, as_of)
        days = sorted(d for r in licenses if isinstance(d := r.values.get("renewal_date"), date))
        return Renewal(days[0], days[0]) if days else None

    def left_for(self, side: Owner) -> list[tuple[TaskSnapshot, SectionSnapshot]]:
        """Open tasks the outgoing or incoming side owns, shared ones included."""
        return [(task, section) for section in self.sections for task in section.tasks
                if task.is_open and task.owner in (side, Owner.BOTH)]
