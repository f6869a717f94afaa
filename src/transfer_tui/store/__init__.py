"""The only code that speaks SQL. Never imports Textual.

``Store`` is cheap to import and to open: SQLAlchemy and the models load on the
first call that needs them, after the home screen has painted; each part's module (and
each name below, such as ``Bulk`` or ``MergeConflict``) loads when it is first used,
so the first paint loads the home list's, not the import's or the merge's.

Layout: one :class:`~.database.Database` (the file or server, its connections and
transactions, who is writing) and one object per part over it, each given what it
depends on when the Store is made (the composition root, :class:`Store`)::

    store.history   History(db)                       the change log: log(), of(), activity(),
                                                      undo_last()
    store.handoffs  Handoffs(db, history)             home list, find, create, checklist,
                                                      delete; set_fields() for other parts
    store.schedule  Schedule(db, handoffs, history)   target/renewal dates, due dates that
                                                      follow them
    store.signoff   SignOff(db, handoffs, history)    hand over, accept, reject; reopening
    store.tasks     Tasks(db, history, signoff)       get, update (the status key's hot path)
    store.records   Records(db, handoffs, history,    every record kind: of_kind, of_handoff,
                            schedule, signoff)        get, add, update, verify, delete
    store.bulk      Bulk(db, handoffs)                import: plan, create (staged when big)
    store.reassign  Reassign(db, handoffs)            a new incoming CSM: one, many
    store.snapshots Snapshots(db)                     a whole handoff for the export: read
    store.sharing   Sharing(db)                       share one handoff to a file, merge back
    store.due       Due(db)                           what is due for one person: items
    store.team      Team(db)                          the lead's figures: figures, lines
    store.accounts  Accounts(db)                      an account's handoffs over time: history

Arrows only point up this list (no part calls one below it), so each can be built
and tested with just what it names. A part's methods that take a ``session`` are for
the other parts, inside their transaction; screens and commands call the rest.
The Database-level things (``user``, ``path``, ``where``, ``close()``, ``batch()``,
``changed_elsewhere()``...) are the Store's own.

Beside the parts: :mod:`.models` and :mod:`.record_models` (the tables as SQLModel
classes, the record tables' made from the record kinds; a server's schema is built
from them, a file's by :mod:`.migrations`, and a test keeps the two in step), :mod:`.rows`
(plain-SQL access to any table of a handoff, for history, undo, share and merge),
:mod:`.summary` (the home list's one query), :mod:`.validate` and
:mod:`.record_values` (checking input before it reaches a part).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transfer_tui.store.database import Database, utcnow
from transfer_tui.store.errors import (
    BusyError,
    ConflictError,
    DatabaseFileError,
    NotFoundError,
    ReadOnlyError,
    RefusedError,
    SignOffError,
    StoreError,
    UndoError,
    UnreadableError,
    ValidationError,
)

if TYPE_CHECKING:
    from transfer_tui.store.accounts import Accounts, Turn
    from transfer_tui.store.bulk import Bulk, BulkResult, NewHandoff
    from transfer_tui.store.due import Due
    from transfer_tui.store.handoffs import (
        Checklist,
        Handoffs,
        SectionView,
        check_new_handoff,
        same_person,
    )
    from transfer_tui.store.history import History, HistoryEntry, show_value
    from transfer_tui.store.merging import MergeConflict, MergeReport
    from transfer_tui.store.ready import handoff_rules, readiness_of
    from transfer_tui.store.reassign import Reassign, Reassignment
    from transfer_tui.store.record_values import check_record, record_warnings
    from transfer_tui.store.records import Records
    from transfer_tui.store.schedule import Schedule
    from transfer_tui.store.sharing import Sharing
    from transfer_tui.store.signoff import SignOff, handover_gaps, why_not
    from transfer_tui.store.snapshot import Snapshots
    from transfer_tui.store.summary import HandoffSummary
    from transfer_tui.store.tasks import Tasks
    from transfer_tui.store.team import (
        CsmFigures,
        HandoffLine,
        Team,
        TeamFigures,
        WeekFigures,
    )
    from transfer_tui.store.validate import handoff_warnings

#: Where each name this package offers is defined: imported on first use (PEP 562).
_LAZY = {
    "accounts": ("Accounts", "Turn"),
    "bulk": ("Bulk", "BulkResult", "NewHandoff"),
    "due": ("Due",),
    "handoffs": ("Checklist", "Handoffs", "SectionView", "check_new_handoff",
                 "same_person"),
    "history": ("History", "HistoryEntry", "show_value"),
    "merging": ("MergeConflict", "MergeReport"),
    "ready": ("handoff_rules", "readiness_of"),
    "reassign": ("Reassign", "Reassignment"),
    "record_values": ("check_record", "record_warnings"),
    "records": ("Records",),
    "schedule": ("Schedule",),
    "sharing": ("Sharing",),
    "signoff": ("SignOff", "handover_gaps", "why_not"),
    "snapshot": ("Snapshots",),
    "summary": ("HandoffSummary",),
    "tasks": ("Tasks",),
    "team": ("CsmFigures", "HandoffLine", "Team", "TeamFigures", "WeekFigures"),
    "validate": ("handoff_warnings",),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once
    return value


class Store(Database):
    """An open handoff database and its parts (see the module docstring): every public
    method of a part is one transaction. Each part is made when first used (they hold
    nothing but what they depend on), so its module loads then."""

    def __init__(
        self,
        path: Path | str,
        user: str,
        *,
        readonly: bool = False,
        create: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(path, user, readonly=readonly, create=create, clock=clock)

    @cached_property
    def history(self) -> History:
        from transfer_tui.store.history import History

        return History(self)

    @cached_property
    def handoffs(self) -> Handoffs:
        from transfer_tui.store.handoffs import Handoffs

        return Handoffs(self, self.history)

    @cached_property
    def schedule(self) -> Schedule:
        from transfer_tui.store.schedule import Schedule

        return Schedule(self, self.handoffs, self.history)

    @cached_property
    def signoff(self) -> SignOff:
        from transfer_tui.store.signoff import SignOff

        return SignOff(self, self.handoffs, self.history)

    @cached_property
    def tasks(self) -> Tasks:
        from transfer_tui.store.tasks import Tasks

        return Tasks(self, self.history, self.signoff)

    @cached_property
    def records(self) -> Records:
        from transfer_tui.store.records import Records

        return Records(self, self.handoffs, self.history, self.schedule, self.signoff)

    @cached_property
    def bulk(self) -> Bulk:
        from transfer_tui.store.bulk import Bulk

        return Bulk(self, self.handoffs)

    @cached_property
    def reassign(self) -> Reassign:
        from transfer_tui.store.reassign import Reassign

        return Reassign(self, self.handoffs)

    @cached_property
    def snapshots(self) -> Snapshots:
        from transfer_tui.store.snapshot import Snapshots

        return Snapshots(self)

    @cached_property
    def sharing(self) -> Sharing:
        from transfer_tui.store.sharing import Sharing

        return Sharing(self)

    @cached_property
    def due(self) -> Due:
        from transfer_tui.store.due import Due

        return Due(self)

    @cached_property
    def team(self) -> Team:
        from transfer_tui.store.team import Team

        return Team(self)

    @cached_property
    def accounts(self) -> Accounts:
        from transfer_tui.store.accounts import Accounts

        return Accounts(self)


__all__ = [
    "Accounts",
    "Bulk",
    "BulkResult",
    "BusyError",
    "Checklist",
    "ConflictError",
    "CsmFigures",
    "DatabaseFileError",
    "Due",
    "HandoffLine",
    "HandoffSummary",
    "Handoffs",
    "History",
    "HistoryEntry",
    "MergeConflict",
    "MergeReport",
    "NewHandoff",
    "NotFoundError",
    "ReadOnlyError",
    "Reassign",
    "Reassignment",
    "Records",
    "RefusedError",
    "Schedule",
    "SectionView",
    "Sharing",
    "SignOff",
    "SignOffError",
    "Snapshots",
    "Store",
    "StoreError",
    "Tasks",
    "Team",
    "TeamFigures",
    "Turn",
    "UndoError",
    "UnreadableError",
    "ValidationError",
    "WeekFigures",
    "check_new_handoff",
    "check_record",
    "handoff_rules",
    "handoff_warnings",
    "handover_gaps",
    "readiness_of",
    "record_warnings",
    "same_person",
    "show_value",
    "why_not",
]
