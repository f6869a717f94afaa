"""Records: structured facts about the account kept on a handoff (license, channels, ...).

Pure declarations and rules, no database and no UI, shared by the store, the
screens, the export and the demo.
"""

from transfer_tui.records.fields import FieldSpec, FieldType, format_value, input_text
from transfer_tui.records.kinds import KIND_BY_KEY, KINDS, RecordKind, get_kind
from transfer_tui.records.record import Record, Renewal, attention, needs_attention

__all__ = [
    "KINDS",
    "KIND_BY_KEY",
    "FieldSpec",
    "FieldType",
    "Record",
    "RecordKind",
    "Renewal",
    "attention",
    "format_value",
    "get_kind",
    "input_text",
    "needs_attention",
]
