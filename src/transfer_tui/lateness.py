"""When a handoff is late, declared once: past its target date and neither accepted nor
complete. Home, ``list``, ``report`` and the Team view all ask :func:`is_late`; the store's
aggregates use :func:`late_sql`, the same rule written as a portable SQL condition (a test
runs both over the same handoffs and expects the same answers).

Plain Python, no database or UI imports.
"""

from __future__ import annotations

from datetime import date

from transfer_tui.domain import HandoffState

ACCEPTED = HandoffState.ACCEPTED.value


def is_late(target: date | None, state: str, done: int, total: int, today: date) -> bool:
    """Past its target date (strictly: due today is not late yet), not accepted, and work
    still open (a complete handoff only waits for a signature, which is not lateness)."""
    return target is not None and target < today and state != ACCEPTED and done < total


def late_by(target: date | None, today: date) -> int:
    """Days past the target (0 when not past it)."""
    if target is None or target >= today:
        return 0
    return (today - target).days


def late_sql(alias: str = "h", today: str = ":today") -> str:
    """:func:`is_late` as an ANSI SQL condition on a ``handoff`` row (SQLite and PostgreSQL
    alike); ``today`` names the bound parameter holding the day as YYYY-MM-DD."""
    return (f"({alias}.target_date IS NOT NULL AND {alias}.target_date < {today} "
            f"AND {alias}.state <> '{ACCEPTED}' "
            f"AND {alias}.tasks_done + {alias}.promises_fulfilled "
            f"< {alias}.tasks_total + {alias}.promises_total)")
