"""The top of the checklist: account, both people, mode, dates, progress and sign-off state,
and the account's vital signs from its records: health and its trend, the renewal."""

from __future__ import annotations

from datetime import date, datetime

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from transfer_tui.domain import HandoffState, Mode
from transfer_tui.records import Record
from transfer_tui.records.record import (
    Renewal,
    colour_of,
    health_in_order,
    health_label,
    health_value,
    next_renewal,
    sparkline,
)
from transfer_tui.rules import Readiness
from transfer_tui.store import Checklist, handover_gaps
from transfer_tui.timefmt import ago, days_until
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import one_line


def readiness_line(readiness: Readiness) -> Text:
    """``Ready 5 of 10 · missing: A license with its renewal date; ... (g: the first)``."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if readiness.ready:
        line.append(f"✓ {readiness.header}", style="bold green")
        line.append("  everything the playbook asks is recorded", style="dim")
        return line
    line.append(f"⚠ {readiness.header}", style="bold yellow")
    line.append("  missing: ", style="dim")
    line.append("; ".join(one_line(r.rule.title, 60) for r in readiness.missing))
    if readiness.first_kind():
        line.append("  (g: go to the first)", style="dim")
    return line


def sign_off_line(checklist: Checklist, now: datetime,
                  readiness: Readiness | None = None) -> Text | None:
    """Where the sign-off stands and whose move it is (None while work is still open)."""
    handoff = checklist.handoff
    state = handoff.sign_off
    line = Text()
    if state is HandoffState.HANDED_OVER:
        line.append("→ Handed over", style="bold yellow")
        line.append(f" by {one_line(handoff.handed_over_by, 30)}, "
                    f"{_ago(handoff.handed_over_at, now)}: waiting for "
                    f"{one_line(handoff.incoming, 30)} to accept (A) or reject (R)")
    elif state is HandoffState.ACCEPTED:
        line.append("✔ Accepted", style="bold green")
        line.append(f" by {one_line(handoff.accepted_by, 30)}, "
                    f"{_ago(handoff.accepted_at, now)}: the handoff is done")
    elif state is HandoffState.REJECTED:
        line.append("✖ Rejected", style="bold red")
        line.append(f" by {one_line(handoff.rejected_by, 30)}, "
                    f"{_ago(handoff.rejected_at, now)}: ")
        line.append(one_line(handoff.rejection_reason, 300), style="bold")
        line.append(f"  Fix it, then {one_line(handoff.outgoing, 30)} hands it over "
                    "again (H)", style="dim")
    elif (not handover_gaps(checklist.tasks)
          and (readiness is None or readiness.ready)):
        line.append("Every task is done or n/a: ", style="green")
        line.append(f"{one_line(handoff.outgoing, 30)} can hand it over (H)")
    else:
        return None
    return line


def _ago(stamp: datetime | None, now: datetime) -> str:
    return ago(stamp, now) if stamp else "earlier"


class HandoffHeader(Static):
    """Who hands what to whom, and how far along it is. All user text shown as plain text."""

    DEFAULT_CSS = """
    HandoffHeader {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """

    _shown: tuple | None = None  # what show() was last given: drawn again on a resize

    def on_resize(self) -> None:
        """The vital signs give way to the width (see :func:`vital_signs`)."""
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, checklist: Checklist, today: date, now: datetime | None = None,
             records: dict[str, list[Record]] | None = None,
             readiness: Readiness | None = None) -> None:
        self._shown = (checklist, today, now, records, readiness)
        handoff = checklist.handoff
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(one_line(handoff.account, 60), style="bold")
        title.append("   ")
        title.append(one_line(handoff.outgoing, 30))
        title.append(" → ", style="dim")
        title.append(one_line(handoff.incoming, 30))
        mode = Mode(handoff.mode)
        title.append(f"   {mode.value}", style="italic" if mode is Mode.SHADOWING else "dim")

        facts = Text(no_wrap=True, overflow="ellipsis")
        facts.append_text(progress_bar(handoff.progress_done, handoff.progress_total, width=20))
        if handoff.promises_open:
            facts.append(f"   {handoff.promises_open} promise"
                         f"{'s' if handoff.promises_open != 1 else ''} open", style="yellow")
        if handoff.tasks_blocked:
            facts.append(f"   {handoff.tasks_blocked} blocked", style="bold red")
        complete = handoff.progress_done >= handoff.progress_total
        if handoff.target_date is not None:
            late = handoff.target_date < today and not complete
            facts.append("   target ", style="dim")
            facts.append(handoff.target_date.isoformat(), style="bold red" if late else "")
            if not complete:
                facts.append(f" ({days_until(handoff.target_date, today)})",
                             style="bold red" if late else "dim")
        facts.append(f"   {one_line(handoff.playbook_name, 40)}", style="dim")
        width = self.content_size.width or self.app.size.width - 2  # before its layout
        lines = [title, facts, vital_signs(records or {}, checklist, today, width)]
        if readiness is not None:
            lines.append(readiness_line(readiness))
        state = sign_off_line(checklist, now or datetime.now().astimezone(), readiness)
        if state is not None:
            lines.append(state)
        self.update(Group(*lines))


def vital_signs(records: dict[str, list[Record]], checklist: Checklist, today: date,
                width: int = 0) -> Text:
    """``Health 63 · yellow ▆▆▄▄▅  Renewal in 82 days ⚠ outreach due  ⚠ 14 unverified``.

    When that is wider than ``width`` (80 columns), the dates give way so the warnings,
    which come last, are still seen."""
    text = _vital_signs(records, checklist, today, compact=False)
    if width and text.cell_len > width:
        text = _vital_signs(records, checklist, today, compact=True)
    return text


def _vital_signs(records: dict[str, list[Record]], checklist: Checklist, today: date, *,
                 compact: bool) -> Text:
    gap = "  " if compact else "   "
    text = Text(no_wrap=True, overflow="ellipsis")
    entries = health_in_order(records.get("health", []))
    text.append("Health ", style="dim")
    if entries:
        latest = entries[-1]
        colour = colour_of(latest)
        text.append(health_label(latest), style=f"bold {colour}" if colour else "bold")
        trend = [v for e in entries if (v := health_value(e)) is not None]
        if len(trend) > 1:
            text.append(f" {sparkline(trend)}", style=colour or "cyan")
        if (day := latest.values.get("day")) and not compact:
            text.append(f" ({day.isoformat()})", style="dim")
    else:
        text.append("no entries yet", style="dim")
    renewal_date = checklist.handoff.renewal_date  # the handoff's own date wins
    found = (Renewal(renewal_date, today) if renewal_date is not None
             else next_renewal(records.get("license", []), today))
    if found is not None and not found.passed:
        text.append(f"{gap}Renewal ", style="dim")
        text.append(days_until(found.day, today) if compact
                    else f"{found.day.isoformat()} ({days_until(found.day, today)})")
        if found.outreach_due:
            text.append(" ⚠ outreach due", style="bold yellow")
    elif found is not None:
        text.append(f"{gap}Renewal {found.day.isoformat()} (passed)", style="dim")
    started = checklist.handoff.created_at
    unverified = sum(1 for kind in records.values() for r in kind if r.unverified(started))
    if unverified:
        text.append(f"{gap}⚠ {unverified} unverified", style="yellow")
    return text
