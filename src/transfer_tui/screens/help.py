"""The ? screen: every key of every screen, read from the screens' own bindings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

_KEY_NAMES = {
    "slash": "/",
    "space": "space",
    "escape": "escape",
    "enter": "enter",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "question_mark": "?",
    "delete": "delete",
}


LONG_HELP = {
    "new": "Start a new handoff",
    "open": "Open the highlighted handoff's checklist",
    "filter": "Filter by account or person, as you type",
    "cycle_state": "By state: all, active, awaiting acceptance, done, late (past target)",
    "delete": "Delete the highlighted handoff (asks first)",
    "team": "Team view: per CSM, late handoffs, waits, renewals, and charts",
    "pick": "Show home with only the highlighted CSM's handoffs",
    "sort": "Sort by the next column",
    "reverse": "Reverse the order",
    "clear_filter": "Clear the filter",
    "app.quit": "Quit (everything is already saved)",
    "create": "Create the handoff",
    "cancel": "Cancel",
    "toggle_done": "Mark the task done, or back to todo",
    "cycle_status": "Next status: todo, in progress, done, blocked, n/a",
    "set_status('blocked')": "Mark blocked (again: back to todo)",
    "set_status('na')": "Mark n/a: does not apply (again: back to todo)",
    "cycle_owner": "Next owner: outgoing, incoming, both",
    "edit_note": "Write or edit the task's note (several lines)",
    "cycle_filter": "Show all tasks, only mine (--as), or only open ones",
    "section(1)": "Next section",
    "section(-1)": "Previous section",
    "back": "Back to the handoffs",
    "tab('tasks')": "Show the tasks tab",
    "tab('context')": "Show the Context tab: the account's records",
    "records": "Open this section's records in the Context tab",
    "add_record": "Add a record of the highlighted kind",
    "verify_record": "Mark the highlighted record verified: by you, now (not one you wrote)",
    "delete_record": "Delete the highlighted record (asks first)",
    "record_history": "The record's history: who changed what, when, old → new",
    "kind(1)": "Next record kind",
    "kind(-1)": "Previous record kind",
    "tab('activity')": "Show the activity feed: every change, newest first",
    "history": "The task's history: who changed what, when, old → new",
    "undo": "Undo your own last change on this handoff (again: the one before)",
    "dates": "Change the target and renewal dates (due dates follow)",
    "hand_over": "Outgoing CSM: hand over, all done or n/a and ready (asks first)",
    "first_missing": "Go to the records of the first thing the playbook still misses",
    "accept": "Incoming CSM: accept the handoff; what the outgoing CSM owned passes to you",
    "reject": "Incoming CSM: reject it, saying why",
    "export": "Export: preview the summary (team, manager or customer) to save or copy",
    "intro": "Customer intro: write the e-mail draft and call invite here, and show them",
    "audience": "Next reader: the team, a manager, the customer",
    "toggle_raw": "Show the raw Markdown, or the rendered summary",
    "save": "Save the summary to a file (asks before replacing one)",
    "copy": "Copy the summary (Markdown) to the clipboard",
    "close": "Close the preview",
}


def key_label(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(k, k) for k in keys.split(","))


def bindings_table(title: str, bindings: Sequence[Binding | tuple[str, ...]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True, min_width=12)
    table.add_column()
    for item in bindings:
        if isinstance(item, Binding):
            key, text = item.key, LONG_HELP.get(item.action, item.description)
        else:
            key, text = item
        table.add_row(key_label(key), text)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys for every screen; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 80;
        max-width: 100%;
        max-height: 90%;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, about: Screen | None = None):
        """``about``: the screen it was opened on, whose keys come first."""
        super().__init__()
        self.about = type(about).__name__ if about is not None else ""

    def sections(self) -> list[tuple[str, list[Static]]]:
        """Each screen's keys, named by the screen they belong to."""
        from transfer_tui.screens.checklist import ChecklistScreen
        from transfer_tui.screens.checklist.context_pane import ContextPane
        from transfer_tui.screens.checklist.tasks_pane import TasksPane
        from transfer_tui.screens.export_preview import ExportPreview
        from transfer_tui.screens.handoffs import HandoffsScreen
        from transfer_tui.screens.team import LEGEND, TeamScreen

        return [
            ("HandoffsScreen", [Static(bindings_table("Handoffs (home)",
                                                      HandoffsScreen.BINDINGS))]),
            ("TeamScreen", [Static(bindings_table("Team view (t on home)", [
                *TeamScreen.BINDINGS, ("click", "A column's header sorts by it"),
            ])), Static(Text(LEGEND, style="dim"))]),
            ("NewHandoffScreen", [Static(bindings_table("New handoff form", [
                ("tab", "Next field"), ("shift+tab", "Previous field"),
                ("enter", "Next field; on the last one, create"),
                ("left,right", "Change a choice (the playbook, the transition mode)"),
                ("ctrl+s", "Create the handoff"),
                ("escape", "Cancel (asks if you typed something)"),
            ]))]),
            ("ChecklistScreen", [Static(bindings_table("Checklist", [
                ("tab", "Between sections and tasks"), *TasksPane.BINDINGS,
                *ChecklistScreen.BINDINGS,
            ])), Static(Text("")), Static(bindings_table("Checklist: context (records)", [
                ("enter", "Edit the highlighted record"), *ContextPane.BINDINGS,
            ])), Static(Text(
                "⚠ marks a record nobody verified since the handoff started; ! one that needs "
                "action: a pending or at-risk promise, a high risk with no mitigation or owner, "
                "a critical ticket the incoming CSM is not CC'd on, an objective at risk.",
                style="dim"))]),
            ("RecordForm", [Static(bindings_table("Record form", [
                ("tab", "Next field"), ("shift+tab", "Previous field"),
                ("enter", "Next field (a new line in a box); on the last one, save"),
                ("left,right", "Change a choice"),
                ("ctrl+s", "Save"), ("escape", "Cancel (asks if you typed something)"),
            ]))]),
            ("ExportPreview", [Static(bindings_table("Export preview", [
                ("up,down", "Scroll"), *ExportPreview.BINDINGS,
            ]))]),
        ]

    def compose(self) -> ComposeResult:
        sections = self.sections()
        sections.sort(key=lambda section: section[0] != self.about)  # its own keys first
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            for _, statics in sections:
                yield from statics
                yield Static(Text(""))
            yield Static(bindings_table("Everywhere", [
                ("ctrl+p", "Command palette: every action by name"),
                ("question_mark", "This help"),
                ("ctrl+q", "Quit"),
            ]))
