"""One line per handoff for the home screen and ``transfer-tui list``.

Read with plain sqlite3 from counters that triggers keep on the handoff row, so
the home screen paints before SQLAlchemy is even imported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from transfer_tui.domain import HandoffState

SUMMARY_SQL = """
SELECT id, account, outgoing, incoming, target_date, mode, tasks_done, tasks_total,
       tasks_blocked, created_at, updated_at, playbook_name, state, renewal_date
FROM handoff
ORDER BY account COLLATE NOCASE, created_at
"""


def _utc(text: str) -> datetime:
    stamp = datetime.fromisoformat(text)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


@dataclass(frozen=True)
class HandoffSummary:
    id: str
    account: str
    outgoing: str
    incoming: str
    target_date: date | None
    mode: str
    done: int
    total: int
    blocked: int
    created_at: datetime
    updated_at: datetime
    playbook: str
    state: str = HandoffState.ACTIVE.value
    renewal_date: date | None = None

    @classmethod
    def from_row(cls, row: tuple) -> HandoffSummary:
        (hid, account, outgoing, incoming, target, mode, done, total, blocked, created,
         updated, playbook, state, renewal) = row
        return cls(
            id=hid,
            account=account,
            outgoing=outgoing,
            incoming=incoming,
            target_date=date.fromisoformat(target) if target else None,
            mode=mode,
            done=done,
            total=total,
            blocked=blocked,
            created_at=_utc(created),
            updated_at=_utc(updated),
            playbook=playbook,
            state=state,
            renewal_date=date.fromisoformat(renewal) if renewal else None,
        )

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def sign_off(self) -> HandoffState:
        return HandoffState(self.state)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * self.done / self.total)

    def overdue(self, today: date) -> bool:
        """Past its target date with work still open."""
        return (self.target_date is not None and self.target_date < today and not self.complete
                and self.sign_off.is_open)

    def matches(self, needle: str) -> bool:
        """Filter-as-you-type: every word must appear in the account or a person's name."""
        haystack = f"{self.account}\n{self.outgoing}\n{self.incoming}".casefold()
        return all(word in haystack for word in needle.casefold().split())

    def as_json(self) -> dict:
        data = asdict(self)
        data["target_date"] = self.target_date.isoformat() if self.target_date else None
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        data["renewal_date"] = self.renewal_date.isoformat() if self.renewal_date else None
        return data
