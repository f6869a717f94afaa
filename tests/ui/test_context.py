"""The Context tab and the records beside the tasks, driven with keys."""

from __future__ import annotations

import os

from textual.widgets import Label, Static, TabbedContent

from tests.conftest import fixed_clock, settle
from tests.ui.test_record_form import type_text
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.records import KINDS
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.screens.history import HistoryScreen
from transfer_tui.screens.record_form import RecordForm
from transfer_tui.store import Store
from transfer_tui.widgets.confirm import Confirm
from transfer_tui.widgets.kind_list import KindList
from transfer_tui.widgets.record_table import RecordTable

GLOBEX = demo_id("Globex Logistics")


def shown(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold Rich renderables)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


async def test_add_edit_verify_delete_from_the_keyboard(db_path) -> None:
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(app.focused, KindList)  # no records yet: the kinds have the keys
        stakeholders = [kind.key for kind in KINDS].index("stakeholder")
        await pilot.press(*["down"] * stakeholders)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await type_text(pilot, "Lena Fischer")
        await pilot.press("tab")
        await type_text(pilot, "Head of Finance Ops")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "right")  # past email, phone,
        # sponsor and primary contact to the role: champion
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one("#records", RecordTable)
        assert app.focused is table and table.row_count == 1
        (record,) = store.records(handoff.id, "stakeholder")
        assert (record.values["name"], record.values["role"]) == ("Lena Fischer", "champion")
        assert "⚠ not verified yet" in shown(screen.query_one("#record-detail", Static))
        tab = screen.query_one("#tabs", TabbedContent).get_tab("context-tab")
        assert "⚠1" in str(tab.label)

        await pilot.press("enter")  # edit
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "tab", "right", "right")
        await pilot.press("ctrl+s")  # disposition: supportive
        await settle(pilot)
        assert store.get_record("stakeholder", record.id).values["disposition"] == "supportive"

        store.user = "Dana Whitfield"  # nobody verifies what they wrote: Sam wrote it
        await pilot.press("v")
        await settle(pilot)
        verified = store.get_record("stakeholder", record.id)
        assert verified.verified_by == "Dana Whitfield"
        assert "verified by Dana Whitfield, just now" in shown(screen.query_one("#record-detail",
                                                                             Static))
        assert "⚠" not in str(tab.label)

        await pilot.press("h")  # its history: created, changed, verified
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert [e.field for e in app.screen.entries][-1] == "created"
        assert "disposition" in [e.field for e in app.screen.entries]
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(store.records(handoff.id, "stakeholder")) == 1
        await pilot.press("delete", "y")
        await settle(pilot)
        assert store.records(handoff.id, "stakeholder") == []
        assert table.row_count == 0
    store.close()


async def test_records_survive_a_restart(db_path) -> None:
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        await pilot.press("2", "a")
        await settle(pilot)
        await type_text(pilot, "Enterprise")
        await pilot.press("tab")
        await type_text(pilot, "250")
        await pilot.press("tab", "tab")
        await type_text(pilot, "186k")
        await pilot.press("tab", "right", "tab")
        await type_text(pilot, "usd")
        await pilot.press("ctrl+s")
        await settle(pilot)
    store.close()
    again = Store(db_path, "Dana Whitfield")
    (license_,) = again.records(handoff.id, "license")
    assert license_.text("contract_value") == "USD 186,000 ACV"
    assert license_.values["seats_bought"] == 250
    again.close()


async def test_tasks_show_the_records_of_their_section_and_r_opens_them(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(GLOBEX))
        await settle(pilot)
        screen = app.screen
        peek = screen.query_one("#peek", Static)
        assert "Enterprise" in shown(peek)  # the License section shows the license
        assert "outreach" in shown(peek)
        for _ in range(5):  # Support tickets & technical issues
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "Data export times out" in shown(peek)
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one("#tabs", TabbedContent).active == "context-tab"
        assert screen.query_one("#kinds", KindList).current_key == "ticket"
        assert screen.query_one("#records", RecordTable).row_count == 3
        await pilot.press("1")
        await settle(pilot)
        for _ in range(3):  # from Tickets to Meeting notes & call recordings: documents
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.query_one("#peek-box").display
        assert "Globex meeting notes" in shown(peek)


async def test_header_shows_health_trend_and_overdue_outreach(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(GLOBEX))
        await settle(pilot)
        header = shown(app.screen.query_one("#handoff", Static))
        assert "Health 63 · yellow" in header
        assert "█▇▂▃▅" in header  # 78, 74, 52, 58, 63 as a sparkline
        assert "outreach due" in header
        assert "2 promises open" in header


async def test_home_marks_a_missed_renewal_outreach(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        table = app.screen.query_one("#handoffs")
        renewal = {summary.id: str(table.cell(i, "renewal"))
                   for i, summary in enumerate(table.items)}
        assert renewal[GLOBEX] == "⚠ reach out"  # renews 2027-02-15: outreach from 11-17
        assert renewal[demo_id("Initech")] == "in 120 days"  # outreach a month away
        assert renewal[demo_id("Northwind Traders")] == "—"


async def test_someone_elses_change_is_not_overwritten_silently(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(GLOBEX))
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        screen.context_pane.select_kind("risk")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        record = form.record
        demo_store.user = "Priya Raman"
        demo_store.update_record("risk", record.id, {"mitigation": "Daily check-ins"})
        demo_store.user = "Marco Bellini"
        await pilot.press("tab", "tab", "tab", "tab")  # to mitigation
        await type_text(pilot, "Weekly reviews")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not saved, nothing typed lost
        error = shown(form.query_one("#form-error", Label))
        assert "Priya Raman changed this risk" in error
        assert demo_store.get_record("risk", record.id).values["mitigation"] == \
            "Daily check-ins"
        await pilot.press("ctrl+s")  # yours over theirs, knowingly
        await settle(pilot)
        assert app.screen is screen
    assert demo_store.get_record("risk", record.id).values["mitigation"] == "Weekly reviews"
