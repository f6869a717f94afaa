"""How the screens look, from the demo data on a fixed day. Review snapshot_report.html
before running pytest --snapshot-update."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.conftest import TODAY, fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.store import Store

SIZE = (120, 36)


@pytest.fixture
def demo_app(demo_file):
    store = Store(demo_file, "Marco Bellini", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")
    yield app
    store.close()


def _no_blink(pilot) -> None:
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


class TestHome:
    def test_handoffs(self, snap_compare, demo_app) -> None:
        assert snap_compare(demo_app, run_before=settle, terminal_size=SIZE)

    def test_empty(self, snap_compare, db_path) -> None:
        store = Store(db_path, "Marco Bellini", clock=fixed_clock)
        app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")
        assert snap_compare(app, run_before=settle, terminal_size=SIZE)
        store.close()

    def test_filtered(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            await settle(pilot)
            _no_blink(pilot)

        assert snap_compare(demo_app, press=["slash", "s", "a", "m"], run_before=before,
                            terminal_size=SIZE)


class TestNewHandoff:
    def test_refusals(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            await pilot.press("n")
            await settle(pilot)
            _no_blink(pilot)
            for key in ["A", "c", "m", "e", "tab", "tab", "D", "a", "n", "a", "tab", "d", "a",
                        "n", "a", "tab", "2", "0", "2", "6", "-", "1", "3", "-", "0", "1"]:
                await pilot.press(key)
            await pilot.press("ctrl+s")
            await settle(pilot)
            _no_blink(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)


class TestChecklist:
    def test_half_done(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("right_square_bracket", "down", "down")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

    def test_help(self, snap_compare, demo_app) -> None:
        """The help as opened on the checklist (it was the home screen's)."""
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

    def test_activity(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("3", "down")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

    def test_task_history(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)


class TestTwoAtOnce:
    def test_conflict(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            screen = ChecklistScreen(demo_id("Globex Logistics"))
            pilot.app.push_screen(screen)
            await settle(pilot)
            await pilot.press("e", "ctrl+end", "enter", "M", "a", "r", "c", "o")
            other = Store(pilot.app.store.path, "Priya Raman", clock=fixed_clock)
            other.update_task(screen.current_task().id, note="Priya rewrote the note.")
            other.close()
            await pilot.press("ctrl+s")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

@pytest.fixture
def raci_app(db_path):
    """A Sales-to-CS handoff on the RACI playbook, a few steps along, seen by the CSM."""
    from transfer_tui.playbooks import get_builtin

    store = Store(db_path, "Priya Raman", clock=fixed_clock)
    load_demo(store, today=TODAY)
    store.now = fixed_clock
    handoff = store.create_handoff("Contoso Pharma", "Priya Raman", "Marco Bellini",
                                   target_date="2026-12-31", renewal_date="2027-06-30",
                                   playbook=get_builtin("sales-to-cs-raci"))
    tasks = store.checklist(handoff.id).tasks
    store.update_task(tasks[0].id, status="done",
                      note="Champion: Dr. Aylin Kaya (Head of Clinical Ops).")
    store.update_task(tasks[1].id, status="in_progress")
    store.update_task(tasks[5].id, status="done")
    store.user = "Marco Bellini"
    app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")
    app.raci_id = handoff.id  # type: ignore[attr-defined]
    yield app
    store.close()


class TestPlaybooks:
    def test_raci_checklist(self, snap_compare, raci_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(pilot.app.raci_id))
            await settle(pilot)
            await pilot.press("right_square_bracket", "down")
            await settle(pilot)

        assert snap_compare(raci_app, run_before=before, terminal_size=SIZE)

    def test_choose_a_playbook(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            await pilot.press("n")
            await settle(pilot)
            for key in ["tab"] * 5 + ["right"] * 4:
                await pilot.press(key)
            await settle(pilot)
            _no_blink(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)


class TestSignOff:
    def test_awaiting_acceptance(self, snap_compare, db_path) -> None:
        store = Store(db_path, "Sam Okafor", clock=fixed_clock)
        load_demo(store, today=TODAY)
        store.now = fixed_clock
        app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")

        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Soylent Research")))
            await settle(pilot)
            await pilot.press("A")
            await settle(pilot)

        assert snap_compare(app, run_before=before, terminal_size=SIZE)
        store.close()

    def test_rejected_with_its_reason(self, snap_compare, db_path) -> None:
        store = Store(db_path, "Sam Okafor", clock=fixed_clock)
        load_demo(store, today=TODAY)
        store.now = fixed_clock
        store.reject(demo_id("Soylent Research"), "The study's baseline of 30 planning hours "
                     "is not in the notes: where does it come from? Please add the source.")
        store.user = "Alex Chen"
        app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")

        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Soylent Research")))
            await settle(pilot)

        assert snap_compare(app, run_before=before, terminal_size=SIZE)
        store.close()

    def test_hand_over_refused_saying_what_to_record(self, snap_compare, db_path) -> None:
        """Umbrella Health: every task ticked, nothing recorded; H as Hannah at 80x24."""
        store = Store(db_path, "Hannah Schultz", clock=fixed_clock)
        load_demo(store, today=TODAY)
        store.now = fixed_clock
        store.user = "Hannah Schultz"
        app = TransferApp(store, clock=fixed_clock, location="~/team/handoffs.db")

        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Umbrella Health")))
            await settle(pilot)
            await pilot.press("H")
            await settle(pilot)

        assert snap_compare(app, run_before=before, terminal_size=(80, 24))
        store.close()


class TestContext:
    def test_risks(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pilot.app.screen.context_pane.select_kind("risk")
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

    def test_record_form_refusals(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pilot.app.screen.context_pane.select_kind("objective")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            for key in ["tab", "D", "a", "y", "s", "tab", "6", "tab", "3", "tab", "n", "e",
                        "x", "t", "space", "Q", "B", "R", "tab", "L", "e", "n", "a", "tab",
                        "right"]:
                await pilot.press(key)
            await pilot.press("ctrl+s")
            await settle(pilot)
            _no_blink(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)

    def test_stakeholder_form_at_80x24(self, snap_compare, demo_app) -> None:
        """The smallest window: the form fits, its choices wrap with every option shown,
        a warning and an error sit next to their fields."""
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            pilot.app.screen.context_pane.select_kind("stakeholder")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            for key in ["tab", "C", "F", "O", "tab", "right", "right", "right", "tab", "right",
                        "right", "right", "right"]:
                await pilot.press(key)
            await pilot.press("ctrl+s")
            await settle(pilot)
            _no_blink(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=(80, 24))

    def test_document_form_at_80x24(self, snap_compare, demo_app) -> None:
        """A newer kind in the smallest window: its choices all shown, a link that is not
        http(s) or a file path refused next to its field, what was typed kept."""
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
            pilot.app.screen.context_pane.select_kind("document")
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            for key in ["S", "O", "W", "tab", "right", "right", "tab", *"javascript:x()",
                        "tab", *"2026-03-28"]:
                await pilot.press(key)
            await pilot.press("ctrl+s")
            await pilot.pause()
            _no_blink(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=(80, 24))


class TestExport:
    def test_preview(self, snap_compare, demo_app) -> None:
        async def before(pilot) -> None:
            pilot.app.push_screen(ChecklistScreen(demo_id("Globex Logistics")))
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            await pilot.app.workers.wait_for_complete()
            await settle(pilot)

        assert snap_compare(demo_app, run_before=before, terminal_size=SIZE)


class TestTeam:
    """The Team view: per CSM, and its two charts, once the worker has counted."""

    @staticmethod
    async def _counted(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    def test_team(self, snap_compare, demo_app) -> None:
        assert snap_compare(demo_app, run_before=self._counted, terminal_size=SIZE)

    def test_team_80x24(self, snap_compare, demo_app) -> None:
        assert snap_compare(demo_app, run_before=self._counted, terminal_size=(80, 24))

    def test_home_late_filter_80x24(self, snap_compare, demo_app) -> None:
        assert snap_compare(demo_app, press=["f", "f", "f", "f"], run_before=settle,
                            terminal_size=(80, 24))
