"""Who may say a record is right: someone other than who wrote it.

"Verified" means the incoming CSM (or a third person) checked the outgoing CSM's
word; if the author could verify her own record it would mean nothing. Pure, so
the store refuses with exactly the line the screens show.
"""

from __future__ import annotations

from transfer_tui.domain import same_person
from transfer_tui.records.record import Record


def why_not_verify(person: str, record: Record,
                   checker: str = "the incoming CSM") -> str | None:
    """Why ``person`` may not mark ``record`` verified, in one line; None when they may.
    ``checker``: who should, e.g. ``Sam Okafor, the CSM`` (the handoff's receiving side)."""
    if same_person(person, record.changed_by):
        wrote = "added" if record.version == 1 else "last changed"
        return f"You {wrote} this {record.kind.noun}: someone else ({checker}) must verify it"
    return None
