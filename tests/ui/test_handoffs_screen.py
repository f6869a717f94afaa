"""Home: the list of handoffs, filter as you type, empty state, delete after asking."""

from __future__ import annotations

from textual.widgets import Static

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.store import Store
from transfer_tui.widgets.confirm import Confirm
from transfer_tui.widgets.lazy_table import LazyTable


async def test_empty_database_says_how_to_start(store: Store) -> None:
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        empty = app.screen.query_one("#empty", Static)
        assert empty.display
        assert "Press n" in str(empty.render())
        assert not app.screen.query_one("#handoffs", LazyTable).display


async def test_filter_as_you_type_and_open(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        assert table.row_count == 9
        await pilot.press("slash", "s", "a", "m")  # Sam Okafor receives three accounts
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("space", "o", "k", "a")
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == 0
        assert "No handoff matches" in str(app.screen.query_one("#empty", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 9
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)


async def test_overdue_handoff_stands_out(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        rows = {str(table.cells_at(i)[0]): table.cells_at(i) for i in range(table.row_count)}
        late = rows["Initech"][4]
        assert "late" in str(late) and "red" in str(late.style)
        assert "late" not in str(rows["Northwind Traders"][4])


async def test_delete_asks_first(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker: d needs a highlighted row
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert len(demo_store.handoffs.summaries()) == 9
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(demo_store.handoffs.summaries()) == 8
        assert app.screen.query_one("#handoffs", LazyTable).row_count == 8


async def test_state_filter_cycles_all_active_awaiting_done_late(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        screen = app.screen
        table = screen.query_one("#handoffs", LazyTable)
        states = {str(table.cells_at(i)[0]): str(table.cells_at(i)[3])
                  for i in range(table.row_count)}
        assert states["Soylent Research"] == "awaiting" and states["Initech"] == "late"
        await pilot.press("f")  # active (and rejected)
        await pilot.pause()
        assert table.row_count == 8 and "· active" in str(table.border_title)
        await pilot.press("f")  # awaiting acceptance
        await pilot.pause()
        assert [str(table.cells_at(i)[0]) for i in range(table.row_count)] == [
            "Soylent Research"]
        await pilot.press("f")  # done: nothing accepted yet
        await pilot.pause()
        assert not table.display
        assert "No handoff is done" in str(screen.query_one("#empty", Static).render())
        await pilot.press("f")  # late: past target, not accepted, work left
        await pilot.pause()
        assert [str(table.cells_at(i)[0]) for i in range(table.row_count)] == ["Initech"]
        assert "· late" in str(table.border_title)
        await pilot.press("f")
        await pilot.pause()
        assert table.row_count == 9


async def test_filter_narrows_and_widens_like_the_plain_rule(demo_store) -> None:
    """The screen keeps results to narrow from while typing: it must agree with matches()
    after every key, words in any order, backspace and all."""
    everyone = demo_store.handoffs.summaries()
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        box = app.screen.query_one("#filter")
        await pilot.press("slash")
        for key in [*"okafor d", "backspace", "backspace", *" hann", "backspace",
                    "backspace", "backspace", "backspace", "backspace", *"  sam"]:
            await pilot.press(key)
            await pilot.pause()
            needle = box.value.strip()
            expected = [s.id for s in everyone if not needle or s.matches(needle)]
            assert [s.id for s in table.items] == expected, box.value


async def test_first_page_first_then_every_handoff(demo_store, monkeypatch) -> None:
    """The first paint reads one page; the rest follows at once, title and filter right."""
    monkeypatch.setattr("transfer_tui.screens.handoffs.FIRST_PAGE", 2)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        assert table.row_count == 9
        assert str(table.border_title) == "Handoffs (9)"
        await pilot.press("slash", "s", "a", "m")
        await pilot.pause()
        assert table.row_count == 3


async def test_a_first_page_read_before_the_app_started_is_in_its_first_frame(
        demo_store, monkeypatch) -> None:
    """The command line reads the first page while the app imports: the first frame shows
    it, with no read of its own; the rest follows, and a later save is still seen."""
    first = demo_store.handoffs.first_page(2)
    reads = []
    monkeypatch.setattr(type(demo_store.handoffs), "first_page",
                        lambda *_a, **_k: reads.append(1))
    app = TransferApp(demo_store, clock=fixed_clock, first_page=first)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#handoffs", LazyTable)
        assert table.row_count in (2, 9) and not reads  # shown at once (the rest may be in)
        await settle(pilot)
        assert table.row_count == 9 and str(table.border_title) == "Handoffs (9)"
        Store(demo_store.target, "Dana Whitfield").handoffs.create("Zeta", "A", "B")
        for _ in range(50):
            await pilot.pause(0.1)
            if table.row_count == 10:
                break
        assert table.row_count == 10 and not reads


async def test_a_whole_list_read_before_the_app_started_keeps_its_mark(store: Store) -> None:
    """All of it in the first page: its change mark is where later saves are read from."""
    store.handoffs.create("Acme", "A", "B")
    app = TransferApp(store, clock=fixed_clock, first_page=store.handoffs.first_page(100))
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one("#handoffs", LazyTable)
        assert table.row_count == 1
        Store(store.target, "Sam Okafor").handoffs.create("Beta", "A", "B")
        for _ in range(50):
            await pilot.pause(0.1)
            if table.row_count == 2:
                break
        assert table.row_count == 2


async def test_a_filter_typed_before_the_rest_is_read_waits_for_it(demo_store,
                                                                    monkeypatch) -> None:
    """Typing before the rest of a big list is in filters the first page and says so; the
    rest, read once in its thread, then shows every match (no second read on the UI)."""
    import threading

    monkeypatch.setattr("transfer_tui.screens.handoffs.FIRST_PAGE", 2)
    release, whole_reads = threading.Event(), []
    summaries = type(demo_store.handoffs).summaries

    def slow_summaries(self, today=None, *, limit=-1):
        if limit < 0:
            whole_reads.append(threading.current_thread().name)
            release.wait(30)
        return summaries(self, today, limit=limit)

    monkeypatch.setattr(type(demo_store.handoffs), "summaries", slow_summaries)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.press("slash", "s", "a", "m")
        await pilot.pause()
        assert table.row_count <= 2
        assert "reading the rest…" in str(table.border_title)
        release.set()
        for _ in range(50):
            await pilot.pause(0.1)
            if table.row_count == 3:
                break
        assert table.row_count == 3
        assert str(table.border_title) == "Handoffs (3 of 9)"
    assert whole_reads == ["home-refresh"]


async def test_cursor_stays_on_its_handoff_when_someone_else_adds_one(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.press("down", "down")
        chosen = table.current.id
        other = Store(demo_store.path, "Priya Raman", clock=fixed_clock)
        other.handoffs.create("Aardvark Analytics", "Priya Raman", "Sam Okafor")  # sorts first
        other.close()
        for _ in range(30):  # the file watch looks every second
            await pilot.pause(0.1)
            if table.row_count == 10:
                break
        assert table.row_count == 10
        assert table.current.id == chosen and table.cursor == 3


async def test_a_click_picks_a_row_and_a_second_click_opens_it(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.click("#handoffs", offset=(8, 3))  # border, header, row 0, row 1
        await pilot.pause()
        assert table.cursor == 1 and isinstance(app.screen, HandoffsScreen)
        await pilot.click("#handoffs", offset=(8, 3))
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.handoff_id == table.items[1].id


async def test_keys_typed_right_after_the_slash_land_in_the_filter(demo_store) -> None:
    """A fast typist (or tmux, or a paste) sends "/sam" in one go: no key is lost, and
    a slash inside the filter is text, not the filter command again."""
    from textual import events

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        for key, char in [("slash", "/"), ("s", "s"), ("a", "a"), ("m", "m"),
                          ("slash", "/"), ("n", "n")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "sam/n"
        assert isinstance(app.screen, HandoffsScreen)  # "n" did not start a new handoff


async def test_enter_in_the_filter_opens_the_highlighted_handoff(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"initech", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.checklist.handoff.account == "Initech"


async def test_deleting_the_last_filtered_row_leaves_the_filter(demo_store) -> None:
    """The filter box was left holding the keys over an empty list (issue 10, item 14)."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        left = len(demo_store.handoffs.summaries()) - 1
        await pilot.press("slash", *"initech", "tab")
        await pilot.pause()
        assert table.row_count == 1 and table.has_focus
        await pilot.press("d", "y")
        await pilot.pause()
        assert len(demo_store.handoffs.summaries()) == left
        assert table.row_count == left and table.display and table.has_focus
        assert app.screen.query_one("#filter").value == ""


async def test_names_take_the_room_they_need_and_columns_give_way(store: Store) -> None:
    """Names were cut while other columns had room; at 80 columns the dates give way
    before the names are cut (issue 10, item 13)."""
    long_name = "Northwind Traders International Ltd"  # 35 characters
    store.handoffs.create(long_name, "Ada", "Sam", target_date="2026-12-31",
                          renewal_date="2027-06-30")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)  # the list is read in a worker
        table = app.screen.query_one("#handoffs", LazyTable)
        widths = table.widths()
        assert widths[0] >= len(long_name) and all(widths)
        assert sum(widths) + len(widths) + 1 <= table.scrollable_content_region.width
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        widths = table.widths()
        assert widths[5] == 0  # the renewal gives way first
        assert widths[0] >= 14 and widths[1] >= len("Ada → Sam")
        assert sum(w + 1 for w in widths if w) + 1 <= table.scrollable_content_region.width
        line = "".join(segment.text for segment in table.render_line(1))
        assert "Northwind" in line and "Ada → Sam" in line


async def test_nothing_shown_for_a_colleague_says_it_is_theirs_only(demo_store) -> None:
    """The Team view's CSM (t, then enter) is in the table's title, which is hidden when
    nothing matches: the empty list says it, or 'No handoff matches wonka among those
    active' is untrue of Wonka Foods, an active handoff, only not Sam Okafor's."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffsScreen)
        screen.show_person("Sam Okafor")
        await pilot.press("f", "slash", "w", "o", "n", "k", "a")
        await pilot.pause()
        said = str(screen.query_one("#empty", Static).render())
        assert "No handoff of Sam Okafor's matches 'wonka'" in said
        await pilot.press("escape")  # everyone again
        await pilot.pause()
        screen.show_person("Lee Park")
        await pilot.press("f")  # awaiting acceptance: none of Lee Park's
        await pilot.pause()
        said = str(screen.query_one("#empty", Static).render())
        assert "No handoff" in said and "Lee Park" in said
