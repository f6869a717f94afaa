"""The only code that speaks SQL. Never imports Textual.

``Store`` is cheap to import and to open: SQLAlchemy and the models load on the
first call that needs them, after the home screen has painted.
"""

from transfer_tui.store.accounts import AccountsMixin, Turn
from transfer_tui.store.bulk import BulkMixin, BulkResult, NewHandoff
from transfer_tui.store.database import Database
from transfer_tui.store.due import DueMixin
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
    HandoffsMixin,
    SectionView,
    check_new_handoff,
    same_person,
)
from transfer_tui.store.history import HistoryEntry, HistoryMixin, show_value
from transfer_tui.store.merging import MergeConflict, MergeReport
from transfer_tui.store.ready import handoff_rules, readiness_of
from transfer_tui.store.reassign import Reassignment, ReassignMixin
from transfer_tui.store.record_values import check_record, record_warnings
from transfer_tui.store.records import RecordsMixin
from transfer_tui.store.schedule import ScheduleMixin
from transfer_tui.store.sharing import SharingMixin
from transfer_tui.store.signoff import SignOffMixin, handover_gaps, why_not
from transfer_tui.store.snapshot import SnapshotMixin
from transfer_tui.store.summary import HandoffSummary
from transfer_tui.store.tasks import TasksMixin
from transfer_tui.store.team import CsmFigures, HandoffLine, TeamFigures, TeamMixin, WeekFigures
from transfer_tui.store.validate import handoff_warnings


class Store(
    HandoffsMixin, TasksMixin, RecordsMixin, SignOffMixin, ScheduleMixin, BulkMixin,
    SnapshotMixin, HistoryMixin, SharingMixin, DueMixin, TeamMixin, ReassignMixin, AccountsMixin,
    Database,
):
    """An open handoff database: every method is one transaction."""


__all__ = [
    "BulkResult",
    "BusyError",
    "Checklist",
    "ConflictError",
    "CsmFigures",
    "DatabaseFileError",
    "HandoffLine",
    "HandoffSummary",
    "HistoryEntry",
    "MergeConflict",
    "MergeReport",
    "NewHandoff",
    "NotFoundError",
    "ReadOnlyError",
    "Reassignment",
    "RefusedError",
    "SectionView",
    "SignOffError",
    "Store",
    "StoreError",
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
