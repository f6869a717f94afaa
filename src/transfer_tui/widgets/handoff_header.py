"""The top of the checklist: account, both people, mode, dates, progress and sign-off state."""

from __future__ import annotations

from datetime import date, datetime

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from transfer_tui.domain import HandoffState, Mode
from transfer_tui.store import Checklist, handover_gaps
from transfer_tui.timefmt import ago, days_until
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import one_line


def sign_off_line(checklist: Checklist, now: datetime) -> Text | None:
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
    elif not handover_gaps(checklist.tasks):
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

    def show(self, checklist: Checklist, today: date, now: datetime | None = None) -> None:
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
        facts.append_text(progress_bar(handoff.tasks_done, handoff.tasks_total, width=20))
        if handoff.tasks_blocked:
            facts.append(f"   {handoff.tasks_blocked} blocked", style="bold red")
        complete = handoff.tasks_done >= handoff.tasks_total
        if handoff.target_date is not None:
            late = handoff.target_date < today and not complete
            facts.append("   target ", style="dim")
            facts.append(handoff.target_date.isoformat(), style="bold red" if late else "")
            if not complete:
                facts.append(f" ({days_until(handoff.target_date, today)})",
                             style="bold red" if late else "dim")
        if handoff.renewal_date is not None:
            facts.append("   renewal ", style="dim")
            facts.append(handoff.renewal_date.isoformat())
        facts.append(f"   {one_line(handoff.playbook_name, 40)}", style="dim")
        lines = [title, facts]
        state = sign_off_line(checklist, now or datetime.now().astimezone())
        if state is not None:
            lines.append(state)
        self.update(Group(*lines))
