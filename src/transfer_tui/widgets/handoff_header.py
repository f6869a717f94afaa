"""The top of the checklist: account, both people, mode, target and overall progress."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from transfer_tui.domain import Mode
from transfer_tui.store import Checklist
from transfer_tui.timefmt import days_until
from transfer_tui.widgets.progress import progress_bar
from transfer_tui.widgets.safe_text import one_line


class HandoffHeader(Static):
    """Who hands what to whom, and how far along it is. All user text shown as plain text."""

    DEFAULT_CSS = """
    HandoffHeader {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, checklist: Checklist, today: date) -> None:
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
        if handoff.target_date is not None:
            complete = handoff.tasks_done >= handoff.tasks_total
            late = handoff.target_date < today and not complete
            facts.append("   target ", style="dim")
            facts.append(handoff.target_date.isoformat(), style="bold red" if late else "")
            if not complete:
                facts.append(f" ({days_until(handoff.target_date, today)})",
                             style="bold red" if late else "dim")
        facts.append(f"   {one_line(handoff.playbook_name, 40)}", style="dim")
        self.update(Group(title, facts))
