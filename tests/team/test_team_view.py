"""The Team view: from home with t, one row per CSM, sorting, enter filters home to them."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.conftest import TODAY, fixed_clock
from transfer_tui.app import TransferApp
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.screens.team import TeamScreen, week_bars
from transfer_tui.widgets.bar_chart import BarChart, BarRow, Segment, bar_lines
from transfer_tui.widgets.lazy_table import LazyTable


async def _team(pilot) -> TeamScreen:
    await pilot.press("t")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    return screen


def _names(screen: TeamScreen) -> list[str]:
    table = screen.query_one("#team", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_one_row_per_csm_sorted_and_enter_filters_home(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _team(pilot)
        figures = demo_store.team.figures(TODAY)
        everyone = {s.outgoing for s in demo_store.handoffs.summaries()} | {
            s.incoming for s in demo_store.handoffs.summaries()}
        assert sorted(_names(screen)) == sorted(everyone)
        assert _names(screen)[0] == "Sam Okafor"  # most incoming first
        for _ in range(2):  # In → Out → Late
            await pilot.press("s")
        late_first = _names(screen)[:2]
        assert {p.name for p in figures.people if p.late} == set(late_first)
        await pilot.press("r")
        assert set(_names(screen)[-2:]) == set(late_first)
        while screen.sort_key != "name":
            await pilot.press("s")
        names = _names(screen)
        assert names == sorted(everyone, key=str.casefold)
        assert screen.current_name() == "Sam Okafor"  # the cursor stays with its person
        chosen = names[names.index("Sam Okafor") - 1]
        await pilot.press("up", "enter")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HandoffsScreen)
        assert home.person == chosen
        table = home.query_one("#handoffs", LazyTable)
        theirs = [s for s in demo_store.handoffs.summaries() if chosen in (s.outgoing, s.incoming)]
        assert table.row_count == len(theirs) > 0
        await pilot.press("escape")
        await pilot.pause()
        assert home.person is None and table.row_count == len(demo_store.handoffs.summaries())


async def test_charts_show_every_open_handoff(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await _team(pilot)
        people = screen.query_one("#by-person", BarChart).rows
        figures = screen.figures
        assert figures is not None
        assert sum(row.segments[0].value for row in people) == figures.open
        assert sum(row.segments[1].value for row in people) == figures.open
        weeks = screen.query_one("#by-week", BarChart).rows
        assert sum(row.total for row in weeks) == figures.open - figures.undated
        assert sum(row.segments[0].value for row in weeks) == figures.late
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HandoffsScreen)


async def test_the_palette_and_help_offer_it(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Team view" in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Team&#160;view&#160;(t&#160;on&#160;home)" in app.export_screenshot()


def test_bars_fit_the_width_and_never_hide_a_small_value() -> None:
    rows = [BarRow("Big", (Segment(300, "█", ""), Segment(0, "▒", "")), "300"),
            BarRow("Small", (Segment(1, "█", ""), Segment(1, "▒", "")), "2")]
    for width in (30, 80, 200):
        lines = bar_lines(rows, width).plain.splitlines()
        assert all(len(line) <= width for line in lines)
        assert "█" in lines[1] and "▒" in lines[1]


def test_far_weeks_are_summed_and_gaps_shown(demo_store) -> None:
    from datetime import timedelta

    from transfer_tui.store import TeamFigures, WeekFigures

    monday = TODAY - timedelta(days=TODAY.weekday())
    figures = TeamFigures(TODAY, weeks=[
        WeekFigures(monday - timedelta(weeks=30), 4, 4),
        WeekFigures(monday - timedelta(weeks=1), 2, 1),
        WeekFigures(monday + timedelta(weeks=2), 3, 0),
        WeekFigures(monday + timedelta(weeks=40), 5, 0)])
    rows = week_bars(figures)
    assert rows[0].label == "earlier" and rows[0].total == 4
    assert rows[-1].label == "later" and rows[-1].total == 5
    assert [r.total for r in rows[1:-1]] == [2, 0, 0, 3]
    assert rows[2].label.startswith("▸ ")  # this week
