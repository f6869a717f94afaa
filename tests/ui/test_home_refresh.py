"""Home keeps up with changes by reading only the handoffs they touched: a colleague's
save, or what was done in a checklist, never reads the whole list again."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
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
