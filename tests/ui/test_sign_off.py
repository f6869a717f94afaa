"""Sign-off on the checklist: H hands over, A accepts, R rejects with a reason; refusals."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.domain import HandoffState
from transfer_tui.playbooks import get_builtin
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.note_editor import NoteEditor
from transfer_tui.store import Store
from transfer_tui.widgets.confirm import Confirm
from transfer_tui.widgets.handoff_header import HandoffHeader

OUT, IN = "Priya Raman", "Marco Bellini"


def header_text(app: TransferApp) -> str:
    group = app.screen.query_one(HandoffHeader).content
    return "\n".join(part.plain for part in group.renderables if isinstance(part, Text))


def state(store: Store, handoff_id: str) -> HandoffState:
    return store.checklist(handoff_id).handoff.sign_off


async def test_hand_over_reject_hand_over_accept_then_reopen(store: Store) -> None:
    store.user = OUT
    handoff = store.create_handoff("Contoso", OUT, IN, playbook=get_builtin("sales-to-cs-raci"))
    store.add_record(handoff.id, "stakeholder", {"name": "Aylin Kaya", "sponsor": True,
                                                 "email": "aylin@contoso.example"})
    store.add_record(handoff.id, "objective", {"objective": "Faster trials", "target": "-20%"})
    tasks = store.checklist(handoff.id).tasks
    for task in tasks[:-1]:
        store.update_task(task.id, status="done")
    app = TransferApp(store, clock=fixed_clock)
    told: list[str] = []
    tell = app.tell
    app.tell = lambda message, **kw: (told.append(message), tell(message, **kw))  # type: ignore
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await settle(pilot)

        await pilot.press("H")  # one task still open: refused at once, nothing asked
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert told[-1].startswith("Cannot hand over yet: 1 task not done or n/a yet (Introduce "
                                   "other company roles")
        store.update_task(tasks[-1].id, status="na", note="They only deal with the CSM.")

        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert state(store, handoff.id) is HandoffState.HANDED_OVER
        assert f"→ Handed over by {OUT}, just now: waiting for {IN}" in header_text(app)

        await pilot.press("A")  # the outgoing CSM cannot accept their own hand-over
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert told[-1].startswith(f"Only {IN} (Customer Success) can accept or reject")

        store.user = IN
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        for key in "No ROI data":
            await pilot.press("space" if key == " " else key)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state(store, handoff.id) is HandoffState.REJECTED
        assert f"✖ Rejected by {IN}, just now: No ROI data" in header_text(app)

        store.user = OUT
        await pilot.press("H", "y")
        await settle(pilot)
        store.user = IN
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert state(store, handoff.id) is HandoffState.ACCEPTED
        assert "✔ Accepted by Marco Bellini, just now: the handoff is done" in header_text(app)

        task = app.screen.current_task()
        await pilot.press("space")  # one stray key on an accepted handoff asks first
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert state(store, handoff.id) is HandoffState.ACCEPTED
        assert store.get_task(task.id).version == task.version
        await pilot.press("space")  # a change after acceptance reopens, and says so
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert state(store, handoff.id) is HandoffState.ACTIVE
        assert told[-1].startswith("This handoff was accepted: your change reopened it.")
    events = store.query("SELECT new, actor FROM event WHERE entity_id = ? AND field = 'state' "
                         "ORDER BY rowid", (handoff.id,))
    assert events == [("handed_over", OUT), ("rejected", IN), ("handed_over", OUT),
                      ("accepted", IN), ("active", IN)]


async def test_saying_no_changes_nothing(demo_store: Store) -> None:
    from transfer_tui.demo import demo_id

    umbrella = demo_id("Soylent Research")  # handed over by Alex, Sam to accept
    assert demo_store.user == "Sam Okafor"
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(umbrella))
        await settle(pilot)
        await pilot.press("A", "n")
        await settle(pilot)
        await pilot.press("R", "escape")  # nothing typed: closes without asking
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert state(demo_store, umbrella) is HandoffState.HANDED_OVER


async def test_umbrella_shows_what_is_missing_and_refuses_the_hand_over(demo_store: Store
                                                                        ) -> None:
    """Every task ticked, nothing recorded: the header says so all the time, H refuses
    saying what to record, and g goes to the first thing missing."""
    from transfer_tui.demo import demo_id

    umbrella = demo_id("Umbrella Health")
    demo_store.user = "Hannah Schultz"
    app = TransferApp(demo_store, clock=fixed_clock)
    told: list[str] = []
    tell = app.tell
    app.tell = lambda message, **kw: (told.append(message), tell(message, **kw))  # type: ignore
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(umbrella))
        await settle(pilot)
        header = header_text(app)
        assert "⚠ ready: 5 of 10  missing: A license with its renewal date;" in header
        assert "can hand it over" not in header
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        assert told[-1].startswith("Cannot hand over yet: A license with its renewal date: "
                                   "record it in Context → License; An executive sponsor")
        assert told[-1].endswith("g goes to the first thing to record.")
        await pilot.press("g")
        await settle(pilot)
        assert app.screen.context_pane.kind.key == "license"
        assert told[-1] == ("A license with its renewal date: record it in Context → "
                            "License.")
    assert state(demo_store, umbrella) is HandoffState.ACTIVE


async def test_a_refused_reason_keeps_the_editor_and_the_keys(demo_store: Store) -> None:
    """R then ctrl+s with no reason: the editor stays, says why, and what is typed next is
    the reason, not commands for the checklist below (issue 10, item 4)."""
    from transfer_tui.demo import demo_id

    umbrella = demo_id("Soylent Research")  # handed over by Alex, Sam to accept
    before = [(t.id, t.status, t.version) for t in demo_store.checklist(umbrella).tasks]
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(umbrella))
        await settle(pilot)
        await pilot.press("R", "ctrl+s")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        error = editor.query_one("#note-error")
        assert error.display and "Say why you reject it" in str(error.render())
        await pilot.press("s", "space", "x", "b")
        await settle(pilot)
        assert app.screen is editor and editor.text == "s xb"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert state(demo_store, umbrella) is HandoffState.REJECTED
    assert demo_store.checklist(umbrella).handoff.rejection_reason == "s xb"
    assert [(t.id, t.status, t.version) for t in demo_store.checklist(umbrella).tasks] == before


async def test_a_task_of_the_other_side_asks_before_it_is_marked_done(store: Store) -> None:
    """The outgoing CSM ticking the incoming CSM's task: asked first (no leaves it as it
    was), and the history says who did it."""
    from transfer_tui.domain import Owner, Status
    from transfer_tui.widgets.task_table import TaskTable

    store.user = OUT
    handoff = store.create_handoff("Contoso", OUT, IN, playbook=get_builtin("sales-to-cs-raci"))
    tasks = store.checklist(handoff.id).tasks
    theirs = next(i for i, t in enumerate(tasks) if t.owner == Owner.INCOMING.value)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(handoff.id))
        await pilot.pause()
        table = app.screen.query_one("#tasks", TaskTable)
        table.focus()
        for _ in range(40):  # down to it, section by section
            current = app.screen.current_task()
            if current is not None and current.id == tasks[theirs].id:
                break
            await pilot.press("down")
            await pilot.pause()
            if app.screen.current_task() is current:  # the section's last: the next one
                await pilot.press("right_square_bracket")
                await pilot.pause()
        assert app.screen.current_task().id == tasks[theirs].id
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert f"is {IN}'s task (Customer Success)" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert store.get_task(tasks[theirs].id).state is Status.TODO
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert store.get_task(tasks[theirs].id).state is Status.DONE
    done = [e for e in store.history(tasks[theirs].id) if e.field == "status"]
    assert done[-1].actor == OUT and done[-1].new == "done"


async def test_the_activity_tab_heads_with_the_accounts_handoffs(demo_store: Store) -> None:
    """A second handoff of Globex: who held the account, when, accepted when."""
    from textual.widgets import Static


    again = demo_store.create_handoff("Globex Logistics", "Marco Bellini", "Dana Whitfield")
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(again.id))
        await pilot.pause()
        await pilot.press("3")
        await settle(pilot)
        box = app.screen.query_one("#account-history", Static)
        assert box.display
        shown = str(box.render())
        assert "Priya Raman → Marco Bellini: active" in shown
        assert "Marco Bellini → Dana Whitfield: active (this handoff)" in shown
