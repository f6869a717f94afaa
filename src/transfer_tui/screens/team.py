"""The Team view: the whole realignment at a glance, one row per CSM, and two charts.

The figures are the store's SQL aggregates (:meth:`.store.team.Team.figures`), read in a worker
thread: the screen paints at once ("Counting…"), then fills in. Each column sorts
(``s`` next column, ``r`` reverses, or a click on its header); ``enter`` shows home
filtered to that person's handoffs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from transfer_tui.store.team import WeekFigures
from transfer_tui.widgets.bar_chart import BarChart, BarRow, Segment
from transfer_tui.widgets.safe_text import plain

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.store import CsmFigures, TeamFigures


@dataclass(frozen=True)
class TeamColumn:
    key: str
    header: str
    value: Callable[[CsmFigures, date], object]  # what it shows and sorts by
    help: str


def _wait(person: CsmFigures, today: date) -> int:
    wait = person.longest_wait(today)
    return -1 if wait is None else wait


COLUMNS = (
    TeamColumn("name", "CSM", lambda p, _: p.name.casefold(), "the CSM"),
    TeamColumn("incoming", "In", lambda p, _: p.incoming, "open handoffs coming to them"),
    TeamColumn("outgoing", "Out", lambda p, _: p.outgoing, "open handoffs they hand over"),
    TeamColumn("late", "Late", lambda p, _: p.late, "their open handoffs past target"),
    TeamColumn("overdue", "Overdue", lambda p, _: p.overdue_tasks,
               "tasks of their side past due"),
    TeamColumn("awaiting", "Await", lambda p, _: p.awaiting,
               "handed over to them, awaiting their acceptance"),
    TeamColumn("wait", "Wait", _wait, "days the oldest of those has waited"),
    TeamColumn("renewals", "Renew", lambda p, _: p.renewals,
               "renewals inside an open transition"),
    TeamColumn("promises", "Prom.", lambda p, _: p.promises, "open promises they own"),
)
LEGEND = " · ".join(f"{c.header}: {c.help}" for c in COLUMNS[1:])
IN_STYLE, OUT_STYLE, LATE_STYLE, ON_TIME_STYLE = "cyan", "magenta", "bold red", "green"
WEEKS_SHOWN = 12  # around today; the others are summed in an earlier / later row


def person_cells(person: CsmFigures, today: date) -> list[Text]:
    wait = person.longest_wait(today)
    cells = [plain(person.name, "bold" if person.late else "", limit=40)]
    for column in COLUMNS[1:]:
        if column.key == "wait":
            shown = "—" if wait is None else f"{wait}d"
        else:
            shown = str(column.value(person, today))
        style = "bold red" if column.key in ("late", "overdue") and shown != "0" else (
            "dim" if shown in ("0", "—") else "")
        cells.append(Text(shown, style=style, justify="right"))
    return cells


def people_bars(figures: TeamFigures) -> list[BarRow]:
    """Open handoffs per CSM, incoming then outgoing, busiest first."""
    busy = sorted((p for p in figures.people if p.open_total),
                  key=lambda p: (-p.open_total, p.name.casefold()))
    return [BarRow(p.name, (Segment(p.incoming, "█", IN_STYLE),
                            Segment(p.outgoing, "▒", OUT_STYLE)),
                   f"{p.incoming} in · {p.outgoing} out") for p in busy]


def week_bars(figures: TeamFigures) -> list[BarRow]:
    """Open handoffs by week of target date, the late ones first in each bar; weeks far
    from today are summed into an "earlier" and a "later" row."""
    this_week = figures.as_of.toordinal() - figures.as_of.weekday()
    first = this_week - 7 * (WEEKS_SHOWN // 3)
    last = first + 7 * (WEEKS_SHOWN - 1)
    earlier = [w for w in figures.weeks if w.week.toordinal() < first]
    later = [w for w in figures.weeks if w.week.toordinal() > last]
    counted = {w.week.toordinal(): w for w in figures.weeks if first <= w.week.toordinal() <= last}
    shown = []
    if counted:  # every week from the first to the last that has any: gaps show as gaps
        for day in range(min(min(counted), this_week), max(max(counted), this_week) + 1, 7):
            shown.append(counted.get(day) or WeekFigures(date.fromordinal(day), 0, 0))

    def row(label: str, handoffs: int, late: int) -> BarRow:
        late_text = f" · {late} late" if late else ""
        return BarRow(label, (Segment(late, "█", LATE_STYLE),
                              Segment(handoffs - late, "▒", ON_TIME_STYLE)),
                      f"{handoffs}{late_text}")

    rows = []
    if earlier:
        rows.append(row("earlier", sum(w.handoffs for w in earlier),
                        sum(w.late for w in earlier)))
    rows += [row(("▸ " if w.week.toordinal() == this_week else "") + f"{w.week:%b %d}",
                 w.handoffs, w.late) for w in shown]
    if later:
        rows.append(row("later", sum(w.handoffs for w in later), sum(w.late for w in later)))
    return rows


class TeamScreen(Screen[str | None]):
    """One row per CSM; dismissed with a name (enter) to filter home to them."""

    CSS_PATH = "team.tcss"
    AUTO_FOCUS = "#team"
    BINDINGS = [
        Binding("enter", "pick", "Their handoffs", show=True, priority=True),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("escape", "back", "Back"),
    ]

    app: TransferApp

    def __init__(self) -> None:
        super().__init__()
        self.figures: TeamFigures | None = None
        self.sort_key = "incoming"
        self.descending = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Counting…", id="totals")
        yield DataTable(id="team", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="charts"):
            with VerticalScroll(id="by-person-box"):
                yield BarChart(id="by-person")
            with VerticalScroll(id="by-week-box"):
                yield BarChart(label_width=8, id="by-week")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#team", DataTable)
        for column in COLUMNS:  # fixed widths: no cell is measured (200 rows, 9 columns)
            table.add_column(column.header, key=column.key,
                             width=16 if column.key == "name" else max(len(column.header), 4))
        self.query_one("#by-person-box").border_title = "Open handoffs per CSM: █ in ▒ out"
        self.query_one("#by-week-box").border_title = "By target week: █ late ▒ on time"
        self.load()

    def refresh_from_store(self) -> None:
        """Someone else saved: count again."""
        self.load()

    @work(thread=True, exclusive=True, group="team", exit_on_error=False)
    def load(self) -> None:
        """The figures, off the event loop (10,000 handoffs: well under a second)."""
        from transfer_tui.store import StoreError

        try:
            figures = self.app.store.team.figures(self.app.today)
        except StoreError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self.show, figures)

    def failed(self, message: str) -> None:
        self.query_one("#totals", Static).update(Text(f"Could not count: {message}",
                                                      style="bold red"))
        self.app.tell(message, severity="error")

    def show(self, figures: TeamFigures) -> None:
        self.figures = figures
        totals = Text(no_wrap=True, overflow="ellipsis")
        totals.append(f" {figures.open:,} open", style="bold")
        totals.append(f" of {figures.handoffs:,} · ")
        totals.append(f"{figures.late:,} late", style="bold red" if figures.late else "")
        totals.append(f" · {figures.awaiting:,} awaiting acceptance · "
                      f"{figures.renewals:,} renewals in transition")
        self.query_one("#totals", Static).update(totals)
        self.fill_table()
        people = people_bars(figures)
        self.query_one("#by-person", BarChart).show(
            people, "" if people else "No open handoffs.")
        weeks = week_bars(figures)
        undated = f"{figures.undated:,} open without a target date" if figures.undated else ""
        self.query_one("#by-week", BarChart).show(
            weeks, undated or ("" if weeks else "No open handoff has a target date."))

    def fill_table(self) -> None:
        """The rows in the chosen order, the cursor kept on the same person."""
        if self.figures is None:
            return
        table = self.query_one("#team", DataTable)
        current = self.current_name()
        today = self.figures.as_of
        column = next(c for c in COLUMNS if c.key == self.sort_key)
        people = sorted(self.figures.people, key=lambda p: p.name.casefold())
        people.sort(key=lambda p: column.value(p, today),  # type: ignore[arg-type,return-value]
                    reverse=self.descending)
        table.clear()
        for person in people:
            table.add_row(*person_cells(person, today), key=person.name)
        arrow = "▼" if self.descending else "▲"
        table.border_title = f"CSMs ({len(people):,}) · sorted by {column.header} {arrow}"
        if current is not None:
            names = [p.name for p in people]
            if current in names:
                table.move_cursor(row=names.index(current))

    def current_name(self) -> str | None:
        table = self.query_one("#team", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_sort(self) -> None:
        """Next column; numbers sort busiest first, names A to Z."""
        keys = [c.key for c in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.descending = self.sort_key != "name"
        self.fill_table()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.fill_table()

    @on(DataTable.HeaderSelected, "#team")
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, key != "name"
        self.fill_table()

    def action_pick(self) -> None:
        name = self.current_name()
        if name is not None:
            self.dismiss(name)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Their handoffs", "Home, showing only the highlighted CSM's (enter)",
                            self.action_pick)
        yield SystemCommand("Sort by the next column", "CSM, in, out, late... (s)",
                            self.action_sort)
        yield SystemCommand("Reverse the order", "(r)", self.action_reverse)
        yield SystemCommand("Back to the handoffs", "(escape)", self.action_back)
