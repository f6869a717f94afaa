"""The only code that speaks SQL. Never imports Textual.

``Store`` is cheap to import and to open: SQLAlchemy and the models load on the
first call that needs them, after the home screen has painted.

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

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from transfer_tui.store.accounts import Accounts, Turn
from transfer_tui.store.bulk import Bulk, BulkResult, NewHandoff
from transfer_tui.store.database import Database, utcnow
from transfer_tui.store.due import Due
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
from transfer_tui.store.team import CsmFigures, HandoffLine, Team, TeamFigures, WeekFigures
from transfer_tui.store.validate import handoff_warnings


class Store(Database):
    """An open handoff database and its parts (see the module docstring): every public
    method of a part is one transaction."""

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
        self.history = History(self)
        self.handoffs = Handoffs(self, self.history)
        self.schedule = Schedule(self, self.handoffs, self.history)
        self.signoff = SignOff(self, self.handoffs, self.history)
        self.tasks = Tasks(self, self.history, self.signoff)
        self.records = Records(self, self.handoffs, self.history, self.schedule, self.signoff)
        self.bulk = Bulk(self, self.handoffs)
        self.reassign = Reassign(self, self.handoffs)
        self.snapshots = Snapshots(self)
        self.sharing = Sharing(self)
        self.due = Due(self)
        self.team = Team(self)
        self.accounts = Accounts(self)


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
