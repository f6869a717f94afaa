"""One line per handoff for the home screen and ``transfer-tui list``.

Read with plain sqlite3 from counters that triggers keep on the handoff row, so
the home screen paints before SQLAlchemy is even imported.

Progress counts tasks and promises: every task that applies (n/a left out) and
every promise made is one piece of work; a done task or a fulfilled promise is
done, a pending or at-risk promise is open. The checklist header, the home
screen and ``list --json`` all show these same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from transfer_tui.domain import HandoffState

SUMMARY_SQL = """
SELECT h.id, h.account, h.outgoing, h.incoming, h.target_date, h.mode,
       h.tasks_done + h.promises_fulfilled, h.tasks_total + h.promises_total,
       h.tasks_blocked, h.created_at, h.updated_at, h.playbook_name, h.state, h.renewal_date,
       h.promises_total - h.promises_fulfilled,
       (SELECT min(l.renewal_date) FROM license AS l
        WHERE l.handoff_id = h.id AND l.renewal_date >= :today)
FROM handoff AS h
ORDER BY h.account COLLATE NOCASE, h.created_at
"""
OUTREACH_DAYS = 90  # as in transfer_tui.records.record; kept here so start-up imports nothing


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
    renewal_date: date | None = None  # the handoff's own renewal date (anchors due rules)
    promises_open: int = 0
    license_renewal: date | None = None  # the soonest license renewal still ahead

    @classmethod
    def from_row(cls, row: tuple) -> HandoffSummary:
        (hid, account, outgoing, incoming, target, mode, done, total, blocked, created,
         updated, playbook, state, renewal, promises_open, license_renewal) = row
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
            promises_open=promises_open,
            license_renewal=date.fromisoformat(license_renewal) if license_renewal else None,
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

    @property
    def renewal(self) -> date | None:
        """The renewal that matters: the handoff's date when set, else the license's."""
        return self.renewal_date or self.license_renewal

    @property
    def outreach(self) -> date | None:
        """When renewal outreach starts: 90 days before the renewal."""
        return self.renewal - timedelta(days=OUTREACH_DAYS) if self.renewal else None

    def outreach_missed(self, today: date) -> bool:
        """Outreach day has passed, the renewal has not, and the handoff is still open."""
        return (self.outreach is not None and self.outreach < today
                and self.renewal is not None and self.renewal >= today and not self.complete
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
        data["license_renewal"] = (self.license_renewal.isoformat() if self.license_renewal
                                   else None)
        return data
