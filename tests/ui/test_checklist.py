"""The checklist screen: keys change tasks at once; notes; filters; back."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.screens.note_editor import NoteEditor
from transfer_tui.widgets.confirm import Confirm
from transfer_tui.widgets.task_table import TaskTable

GLOBEX = demo_id("Globex Logistics")


async def open_globex(app: TransferApp, pilot) -> ChecklistScreen:
    app.push_screen(ChecklistScreen(GLOBEX))
    await settle(pilot)
    assert isinstance(app.screen, ChecklistScreen)
    return app.screen


async def test_note_is_multi_line_and_saved(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        task_id = screen.query_one("#tasks", TaskTable).current_task_id
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+a")  # to the start of the note's last line, then type
        for key in ["N", "e", "w", "enter", "x"]:
            await pilot.press(key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    note = demo_store.tasks.get(task_id).note
    assert note.startswith("Enterprise plan")
    assert "February.\nNew\nxFinance asked" in note


async def test_escape_with_changes_asks_and_keeps_the_note(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        task_id = screen.query_one("#tasks", TaskTable).current_task_id
        before = demo_store.tasks.get(task_id).note
        await pilot.press("e", "z", "escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert demo_store.tasks.get(task_id).note == before


async def test_filter_cycles_all_mine_open(demo_store) -> None:
    demo_store.user = "Priya Raman"  # the outgoing CSM of Globex
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        await pilot.press("right_square_bracket")  # Communication channels
        await settle(pilot)
        section = screen.checklist.sections[1]
        table = screen.query_one("#tasks", TaskTable)
        assert table.row_count == len(section.tasks)
        await pilot.press("f")
        await settle(pilot)
        mine = [t for t in section.tasks if t.owner in ("outgoing", "both")]
        assert screen.task_filter == "mine"
        assert table.row_count == len(mine)
        await pilot.press("f")
        await settle(pilot)
        assert screen.task_filter == "open"
        assert table.row_count == len([t for t in section.tasks if t.state.is_open])
        await pilot.press("f")
        await settle(pilot)
        assert screen.task_filter == "all"


async def test_escape_goes_back_home(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_globex(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)


async def test_change_made_elsewhere_is_not_overwritten(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        task_id = screen.query_one("#tasks", TaskTable).current_task_id
        # someone else marks it blocked behind our back
        other_user, demo_store.user = demo_store.user, "Priya Raman"
        demo_store.tasks.update(task_id, status="blocked")
        demo_store.user = other_user
        await pilot.press("space")
        await settle(pilot)
        task = demo_store.tasks.get(task_id)
        assert task.status == "blocked"
        assert task.changed_by == "Priya Raman"
        assert screen.current_task().status == "blocked"  # the screen shows their value now


async def test_a_raci_playbook_shows_roles_and_due_rules(store) -> None:
    from transfer_tui.playbooks import get_builtin

    handoff = store.handoffs.create("Acme", "Priya Raman", "Marco Bellini",
                                    target_date="2026-12-31",
                                    playbook=get_builtin("sales-to-cs-raci"))
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        table = app.screen.query_one("#tasks", TaskTable)
        assert [str(c.label) for c in table.columns.values()] == ["Status", "Task", "R · A",
                                                                  "Due"]
        assert str(table.get_row_at(0)[2]) == "Sales Rep · Sales Mgr"
        group = app.screen.query_one("#detail").content
        detail = " ".join(str(part) for part in group.renderables)
        assert "due 2026-12-24 (7 days before the target date)" in detail
        assert ("Responsible: Sales Rep · Accountable: Sales Manager · Consulted: Sales "
                "Engineer, CSM · Informed: CS Executive") in detail.replace("\n", " ")


async def test_other_playbooks_keep_the_owner_column(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        table = screen.query_one("#tasks", TaskTable)
        assert "Owner" in [str(c.label) for c in table.columns.values()]


async def test_changing_the_renewal_date_moves_the_outreach_task(store) -> None:
    from transfer_tui.playbooks import get_builtin
    from transfer_tui.screens.dates_editor import DatesEditor

    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31",
                                    playbook=get_builtin("sales-to-cs-internal"))
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, DatesEditor)
        await pilot.press("enter")  # keep the target date, on to the renewal date
        for key in "2027-13-01":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DatesEditor)  # refused next to its field
        assert app.screen.query_one("#renewal_date-error").display
        await pilot.press(*["backspace"] * 5, *"06-30", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    saved = store.handoffs.checklist(handoff.id)
    assert saved.handoff.renewal_date.isoformat() == "2027-06-30"
    outreach = next(t for t in saved.tasks if t.key == "start-renewal-outreach")
    assert outreach.due_date.isoformat() == "2027-04-01"


async def test_one_checklist_screen_serves_every_handoff_afresh(demo_store) -> None:
    """Opening from home reuses the screen: the next handoff starts on its Tasks tab, first
    section, every task, with the keys on the tasks, whatever was shown before."""
    from textual.widgets import TabbedContent

    from transfer_tui.widgets.lazy_table import LazyTable
    from transfer_tui.widgets.section_list import SectionList

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first, second = app.screen.query_one("#handoffs", LazyTable).items[:2]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChecklistScreen) and screen.handoff_id == first.id
        await pilot.press("f", "right_square_bracket", "2")  # mine, next section, Context
        await settle(pilot)
        assert screen.task_filter == "mine"
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.handoff_id == second.id == screen.checklist.handoff.id
        assert screen.query_one("#tabs", TabbedContent).active == "tasks-tab"
        assert screen.task_filter == "all"
        assert screen.query_one("#sections", SectionList).highlighted == 0
        assert app.focused is screen.query_one("#tasks", TaskTable)
        tasks = screen.checklist.sections[0].tasks
        assert screen.query_one("#tasks", TaskTable).row_count == len(tasks)
        assert screen.current_task() == tasks[0]


async def test_the_key_bar_lists_the_keys_and_a_click_presses_one(demo_store) -> None:
    from transfer_tui.widgets.footer import KeyBar

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        bar = screen.query_one(KeyBar)
        line = str(bar.render())
        assert " space Done " in line and " s Status " in line and "^p palette" in line
        status = screen.current_task().status
        start, _, _ = next(span for span in bar._spans if span[2] == "s")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert demo_store.tasks.get(screen.current_task().id).status != status


async def test_a_failed_note_save_keeps_the_editor_the_text_and_the_reason(
        demo_store, monkeypatch) -> None:
    """Over the limit, or the file busy: the editor stays open with the text and says why;
    once the file is free, ctrl+s saves it (issue 10, item 6). At 80x24 as well."""
    from textual.widgets import TextArea

    from transfer_tui.limits import MAX_NOTE
    from transfer_tui.store import BusyError, Tasks

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_globex(app, pilot)
        task_id = screen.query_one("#tasks", TaskTable).current_task_id
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#note", TextArea).text = "x" * (MAX_NOTE + 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert "too long" in str(editor.query_one("#note-error").render())

        editor.query_one("#note", TextArea).text = "Call Finance first"
        real = Tasks.update

        def busy(*args, **kwargs):
            raise BusyError("handoffs.db is busy: someone else is saving a change")

        monkeypatch.setattr(Tasks, "update", busy)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor and editor.text == "Call Finance first"
        said = str(editor.query_one("#note-error").render())
        assert said.startswith("Not saved: handoffs.db is busy") and "damaged" not in said

        monkeypatch.setattr(Tasks, "update", real)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert demo_store.tasks.get(task_id).note == "Call Finance first"


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_dates_stay_open_on_a_failure_and_warn_of_a_past_target(store, size,
                                                                    monkeypatch) -> None:
    """A busy file keeps the dialog and the dates typed; a target date in the past is a
    warning next to it, and saves; the help line is whole (issue 10, items 4, 14, 15)."""
    from tests.ui.test_record_form import shown_text
    from transfer_tui.screens.dates_editor import DatesEditor
    from transfer_tui.store import BusyError, Schedule

    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, DatesEditor)
        hint = editor.query_one(".hint")
        assert hint.region.right <= size[0]
        assert "escape cancels" in " ".join(shown_text(hint).split())
        await pilot.press("ctrl+a", "ctrl+k", *"2020-01-15")
        await settle(pilot)
        warning = editor.query_one("#target_date-warning")
        assert warning.display and "in the past" in str(warning.render())
        real = Schedule.change_dates

        def busy(*args, **kwargs):
            raise BusyError("handoffs.db is busy: someone else is saving a change")

        monkeypatch.setattr(Schedule, "change_dates", busy)
        tasks = [(t.id, t.version) for t in store.handoffs.checklist(handoff.id).tasks]
        await pilot.press("ctrl+s", "space")  # space goes to the box, not to the checklist
        await settle(pilot)
        assert app.screen is editor
        assert "is busy" in str(editor.query_one("#form-error").render())
        assert editor.query_one("#target_date").value == "2020-01-15"
        assert [(t.id, t.version) for t in store.handoffs.checklist(handoff.id).tasks] == tasks
        monkeypatch.setattr(Schedule, "change_dates", real)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert store.handoffs.checklist(handoff.id).handoff.target_date.isoformat() == "2020-01-15"


async def test_at_80x24_the_task_list_keeps_rows_and_widths_follow_a_resize(demo_store) -> None:
    """The task box was squeezed to its borders at 80x24; the section lines kept the width
    they were drawn for until the section changed (issue 10, items 13 and 14)."""
    from transfer_tui.widgets.section_list import SectionList

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_globex(app, pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        table = screen.query_one("#tasks", TaskTable)
        assert table.scrollable_content_region.height >= 3  # the header and three tasks
        sections = screen.query_one("#sections", SectionList)
        room = sections.scrollable_content_region.width
        for index in range(sections.option_count):
            prompt = sections.get_option_at_index(index).prompt
            assert prompt.cell_len <= room and "/" in prompt.plain  # its count still shows
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert sections.get_option_at_index(0).prompt.cell_len > room


async def test_the_activity_title_counts_what_it_lists(demo_store) -> None:
    """It said 49 changes over 16 rows (changes saved together are one row)."""
    import re

    from transfer_tui.widgets.history_table import HistoryTable

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_globex(app, pilot)
        await pilot.press("3")
        await settle(pilot)
        table = app.screen.query_one("#activity", HistoryTable)
        changes = len(demo_store.history.activity(GLOBEX, limit=500))
        title = str(table.border_title)
        assert changes > table.row_count  # the demo has changes saved together
        numbers = [int(n) for n in re.findall(r"\d+", title)]
        assert numbers[:2] == [table.row_count, changes], title


async def test_a_colleague_changing_the_dates_keeps_mine_typed_and_saves_over_them(
        store, db_path) -> None:
    """A conflict used to need escape and t again; now the dialog says who changed them,
    keeps the dates typed, and the next ctrl+s saves them over the colleague's."""
    from transfer_tui.screens.dates_editor import DatesEditor
    from transfer_tui.store import Store

    handoff = store.handoffs.create("Acme", "Ada", "Sam", target_date="2026-12-31")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, DatesEditor)
        await pilot.press("ctrl+a", "ctrl+k", *"2027-01-20")
        other = Store(store.target, "Priya Raman", clock=fixed_clock)
        other.schedule.change_dates(handoff.id, target_date="2027-02-01")
        other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        said = str(editor.query_one("#form-error").render())
        assert "Priya Raman changed" in said and "ctrl+s saves them over it" in said
        assert editor.query_one("#target_date").value == "2027-01-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.checklist.handoff.target_date.isoformat() == "2027-01-20"
    assert store.handoffs.checklist(handoff.id).handoff.target_date.isoformat() == "2027-01-20"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_warnings_of_the_vital_signs_are_seen_at_any_width(demo_store, size) -> None:
    """At 80 columns the dates give way, so "⚠ N unverified" is still on the header (it
    was cut off), and a resize draws the line again for the new width."""
    from tests.ui.test_user_text import screen_text

    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await open_globex(app, pilot)
        text = screen_text(app)
        assert "⚠ outreach due" in text and "unverified" in text.split("Tasks (1)")[0]
        await pilot.resize_terminal(*(80, 24) if size != (80, 24) else (120, 36))
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ outreach due" in text and "unverified" in text.split("Tasks (1)")[0]
