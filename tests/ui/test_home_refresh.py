"""Home keeps up with changes by reading only the handoffs they touched: a colleague's
save, or what was done in a checklist, never reads the whole list again."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.conftest import TODAY, fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.handoff_rows import cells
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.store import Store
from transfer_tui.widgets.lazy_table import LazyTable

GLOBEX = demo_id("Globex Logistics")
SIZE = (120, 36)


@pytest.fixture
def reads(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Every whole-list read and every read of some handoffs, as the app asks them."""
    seen: dict[str, list] = {"all": [], "some": []}
    everyone, some = demo_store.handoffs.summaries, demo_store.handoffs.summaries_of

    def summaries(*args, **kwargs):
        seen["all"].append(kwargs.get("limit", -1))
        return everyone(*args, **kwargs)

    def summaries_of(ids, *args, **kwargs):
        ids = set(ids)
        seen["some"].append(ids)
        return some(ids, *args, **kwargs)

    monkeypatch.setattr(demo_store.handoffs, "summaries", summaries)
    monkeypatch.setattr(demo_store.handoffs, "summaries_of", summaries_of)
    return seen


async def until(pilot, condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)


def line_of(table: LazyTable, handoff_id: str):
    return next(s for s in table.items if s.id == handoff_id)


async def test_a_colleagues_save_rereads_only_the_handoff_it_touched(demo_store, reads):
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.press("down", "down")
        chosen = table.current.id
        before = line_of(table, GLOBEX).done
        whole_reads = len(reads["all"])
        other = Store(demo_store.path, "Priya Raman", clock=fixed_clock)
        task = next(t for t in other.handoffs.checklist(GLOBEX).tasks if t.status == "todo")
        other.tasks.update(task.id, status="done")
        other.close()
        await until(pilot, lambda: line_of(table, GLOBEX).done == before + 1)
        assert line_of(table, GLOBEX).done == before + 1
        assert reads["some"] == [{GLOBEX}]
        assert len(reads["all"]) == whole_reads  # the list was not read again
        assert table.current.id == chosen  # the cursor stayed on its handoff


async def test_back_from_a_checklist_only_its_changes_are_read(demo_store, reads) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#handoffs", LazyTable)
        before = line_of(table, GLOBEX).done
        whole_reads = len(reads["all"])
        app.open_checklist(GLOBEX)
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen))
        await pilot.pause()
        task = next(t for t in app.screen.checklist.tasks if t.status == "todo")
        demo_store.tasks.update(task.id, status="done")  # as the checklist saves it
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HandoffsScreen)
                    and line_of(table, GLOBEX).done == before + 1)
        assert line_of(table, GLOBEX).done == before + 1
        assert len(reads["all"]) == whole_reads
        assert reads["some"] == [{GLOBEX}]
        await pilot.press("enter")  # nothing changed this time: nothing is read
        await until(pilot, lambda: isinstance(app.screen, ChecklistScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HandoffsScreen))
        await app.workers.wait_for_complete()
        assert reads["some"] == [{GLOBEX}] and len(reads["all"]) == whole_reads


async def test_a_handoff_deleted_or_renamed_elsewhere_leaves_or_moves_under_the_filter(
        demo_store, reads) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.press("slash", *"o")
        await pilot.pause()
        shown = [s.id for s in table.items]
        assert GLOBEX in shown and len(shown) > 1
        other = Store(demo_store.path, "Priya Raman", clock=fixed_clock)
        other.handoffs.delete(GLOBEX)
        made = other.handoffs.create("Aardvark Logistics", "Priya Raman", "Sam Okafor")
        other.close()
        await until(pilot, lambda: GLOBEX not in [s.id for s in table.items])
        ids = [s.id for s in table.items]
        assert GLOBEX not in ids and ids[0] == made.id  # sorts first, and matches "o"
        assert ids[1:] == [i for i in shown if i != GLOBEX]
        assert reads["some"][-1] == {GLOBEX, made.id}


class Drawn:
    """What a terminal shows of the app: each frame fed to a terminal emulator as Textual
    sends it (only what changed), so a line the app forgot to draw again after a change
    still shows its old text here, as it would on the person's screen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
        import pyte
        from textual._compositor import CompositorUpdate
        from textual.app import App

        self.screen = pyte.Screen(*size)
        stream = pyte.Stream(self.screen)
        drawn = App._display

        def _display(app: App, screen, renderable) -> None:
            drawn(app, screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                stream.feed(renderable.render_segments(app.console))

        monkeypatch.setattr(App, "_display", _display)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def shows_the_table(self, table: LazyTable) -> bool:
        """The table's title, and each row on screen with its account and progress."""
        lines = self.screen.display
        if not table.items:  # the table gives way to a line saying why
            return "No handoff matches" in self.text and "Handoffs (" not in self.text
        top = table.region.y
        if "Handoffs (" not in lines[top] or str(table.border_title) not in lines[top]:
            return False
        first = int(table.scroll_y)
        for row, summary in enumerate(table.items[first:first + table.size.height - 2]):
            line = lines[top + 2 + row]  # the border, then the header
            progress = cells(summary, TODAY)[2].plain
            if summary.account not in line or progress not in line:
                return False
        return True


def done_one_task(path, handoff_id: str) -> None:
    """A colleague, in a process of their own, marks one more task of a handoff done."""
    other = Store(path, "Priya Raman", clock=fixed_clock)
    task = next(t for t in other.handoffs.checklist(handoff_id).tasks if t.status == "todo")
    other.tasks.update(task.id, status="done")
    other.close()


async def test_a_colleagues_save_keeps_the_filter_its_box_and_the_cursor(
        demo_store, monkeypatch) -> None:
    """Typing a filter while a colleague saves: the box stays open with what was typed,
    the keys typed next still land in it, the cursor stays on its handoff, and the
    changed line is drawn again on screen (only the lines that changed are)."""
    drawn = Drawn(monkeypatch, SIZE)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#handoffs", LazyTable)
        box = screen.query_one("#filter", Input)
        await pilot.press("slash", "o")
        await pilot.pause()
        assert GLOBEX in [s.id for s in table.items] and drawn.shows_the_table(table)
        table.cursor = next(i for i, s in enumerate(table.items) if s.id == GLOBEX)
        await pilot.pause()
        before = line_of(table, GLOBEX).done
        done_one_task(demo_store.path, GLOBEX)
        await until(pilot, lambda: line_of(table, GLOBEX).done == before + 1)
        await pilot.pause()
        assert box.display and box.value == "o" and screen.focused is box
        assert table.current.id == GLOBEX
        assert drawn.shows_the_table(table), drawn.text
        assert "▊  o" in drawn.text  # the box, as the terminal shows it
        await pilot.press("b")  # the next key still goes to the box
        await pilot.pause()
        assert box.value == "ob" and drawn.shows_the_table(table), drawn.text
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert not box.value and drawn.shows_the_table(table), drawn.text


async def test_what_the_screen_shows_follows_keys_saves_and_the_cursor(
        demo_store, monkeypatch) -> None:
    """Only the lines that changed are drawn again: after every step the terminal shows
    exactly the rows and the title the table holds."""
    drawn = Drawn(monkeypatch, SIZE)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#handoffs", LazyTable)
        await pilot.pause()
        assert drawn.shows_the_table(table), drawn.text
        for keys in (["down", "down"], ["slash", "s"], ["a"], ["backspace"], ["escape"],
                     ["up"], ["slash", "z", "z"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert drawn.shows_the_table(table), (keys, drawn.text)
        for handoff in (GLOBEX, table.items[-1].id):  # one on screen, then the last
            before = line_of(table, handoff).done
            done_one_task(demo_store.path, handoff)
            await until(pilot, lambda h=handoff, b=before: line_of(table, h).done == b + 1)
            await pilot.pause()
            assert drawn.shows_the_table(table), drawn.text


async def test_after_a_filter_that_matched_nothing_escape_then_slash_types_in_the_box(
        demo_store) -> None:
    """The benchmark's round ends on a filter matching nothing (the table hidden): escape
    must give the keyboard back to the table, so the next slash opens the box again and
    the keys after it land there, shown, not in a hidden box."""
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#handoffs", LazyTable)
        box = screen.query_one("#filter", Input)
        for _ in range(2):
            await pilot.press("slash", "z", "z")
            await pilot.pause()
            assert not table.display and box.display and box.value == "zz"
            await pilot.press("escape")
            await pilot.pause()
            assert table.display and not box.display and screen.focused is table
            await pilot.press("slash", "g", "l")
            await pilot.pause()
            assert box.display and screen.focused is box and box.value == "gl"
            assert [s.id for s in table.items] == [GLOBEX]
            await pilot.press("escape")
            await pilot.pause()
