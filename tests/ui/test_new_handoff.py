"""The new-handoff form, driven with keys as a person would."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.playbooks import get_builtin
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.new_handoff import NewHandoffScreen
from transfer_tui.store import Store


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def test_create_with_keys_then_find_it_after_restart(db_path) -> None:
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewHandoffScreen)
        await type_text(pilot, "Acme Corp")
        await pilot.press("tab", "tab")  # past the account id (optional)
        await type_text(pilot, "Dana Whitfield")
        await pilot.press("enter")  # enter moves to the next field
        await type_text(pilot, "Sam Okafor")
        await pilot.press("tab")
        await type_text(pilot, "2026-12-31")
        await pilot.press("tab", "tab")  # past the renewal date (optional)
        await pilot.press("enter")  # enter on the playbook moves on, keeping the default
        await pilot.press("right")  # shadowing
        await pilot.press("enter")  # enter on the last field creates
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
        # walk a few tasks of the second section (four tasks): done, status, owner, n/a
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("space")
        await pilot.press("down", "s", "s")
        await pilot.press("down", "b", "o")
        await pilot.press("down", "x")
        await settle(pilot)
    store.close()

    again = Store(db_path, "Dana Whitfield")
    (summary,) = again.summaries()
    assert (summary.account, summary.outgoing, summary.incoming) == (
        "Acme Corp", "Dana Whitfield", "Sam Okafor")
    assert summary.target_date.isoformat() == "2026-12-31"
    assert summary.mode == "shadowing"
    tasks = again.checklist(summary.id).sections[1].tasks
    assert [t.status for t in tasks[:2]] == ["done", "done"]
    assert tasks[2].status == "blocked"
    template = get_builtin("csm-account-transfer").sections[1].tasks[2]
    assert tasks[2].owner == template.owner.cycled().value
    assert tasks[3].status == "na"
    assert all(t.changed_by == "Sam Okafor" for t in tasks)
    again.close()


@pytest.mark.parametrize(
    ("fields", "error_id", "words"),
    [
        (("", "", "Dana", "Sam", ""), "account-error", "required"),
        (("Acme", "", "", "Sam", ""), "outgoing-error", "required"),
        (("Acme", "", "Dana", "", ""), "incoming-error", "required"),
        (("Acme", "", "Dana", "dana", ""), "incoming-error", "different people"),
        (("Acme", "", "Dana", "Sam", "next week"), "target_date-error", "not a date"),
        (("Acme", "", "Dana", "Sam", "2026-02-30"), "target_date-error", "not a date"),
        (("Acme", "no spaces", "Dana", "Sam", ""), "account_id-error", "letters, digits"),
    ],
)
async def test_each_refusal_shows_next_to_its_field(db_path, fields, error_id, words) -> None:
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        for index, value in enumerate(fields):
            await type_text(pilot, value)
            if index < len(fields) - 1:
                await pilot.press("tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewHandoffScreen)
        label = app.screen.query_one(f"#{error_id}", Label)
        assert label.display
        assert words in str(label.render())
        await pilot.press("escape", "y")  # something was typed: asks first
        await settle(pilot)
        assert not isinstance(app.screen, NewHandoffScreen)
    assert store.summaries() == []
    store.close()


async def test_choose_a_playbook_and_a_renewal_date(db_path) -> None:
    from transfer_tui.paths import user_playbooks_dir
    from transfer_tui.widgets.choice import Choice

    folder = user_playbooks_dir()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("id = [", encoding="utf-8")
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        about = str(screen.query_one("#playbook-about").render())
        assert "11 sections · 38 tasks" in about
        assert "1 playbook file is broken: transfer-tui playbooks says why" in about
        for text in ("Acme", "ACME-1", "Ada Lovelace", "Sam Okafor", "2026-12-31", "2027-06-30"):
            await type_text(pilot, text)
            await pilot.press("tab")
        assert screen.focused is screen.query_one("#playbook", Choice)
        while screen.playbook.id != "sales-to-cs-internal":
            await pilot.press("right")
        await settle(pilot)
        assert "4 sections · 18 tasks" in str(screen.query_one("#playbook-about").render())
        assert "Sales (AE) (hands it over)" in str(screen.query_one("#outgoing-label").render())
        assert "CSM (takes it)" in str(screen.query_one("#incoming-label").render())
        await pilot.press("enter", "enter")  # next field, then create from the last one
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    (summary,) = store.summaries()
    assert (summary.playbook, summary.renewal_date.isoformat()) == (
        "Sales to CS internal handoff", "2027-06-30")
    tasks = {t.key: t for t in store.checklist(summary.id).tasks}
    assert tasks["start-renewal-outreach"].due_date.isoformat() == "2027-04-01"
    assert store.checklist(summary.id).handoff.account_id == "ACME-1"
    store.close()


async def test_a_bad_renewal_date_shows_next_to_its_field(db_path) -> None:
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        for text in ("Acme", "", "Ada", "Sam", "", "soon"):
            await type_text(pilot, text)
            await pilot.press("tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        label = app.screen.query_one("#renewal_date-error", Label)
        assert label.display and "Renewal date 'soon' is not a date" in str(label.render())
    assert store.summaries() == []
    store.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_escape_asks_before_dropping_what_was_typed(db_path, size) -> None:
    """As the record forms do (issue 10, item 14); an untouched form just closes."""
    from transfer_tui.widgets.confirm import Confirm

    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#form").region.right <= size[0]
        await type_text(pilot, "Acme")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert app.screen is form and form.values()["account"] == "Acme"
        await pilot.press("ctrl+a", "ctrl+k", "escape")  # nothing typed now: just closes
        await settle(pilot)
        assert not isinstance(app.screen, (NewHandoffScreen, Confirm))
    store.close()


async def test_a_past_target_warns_and_a_busy_file_keeps_the_form(db_path,
                                                                 monkeypatch) -> None:
    """A target date in the past is said next to it and still saved; a busy file keeps the
    form open with what was typed, and says so (issue 10, items 4 and 15)."""
    from transfer_tui.store import BusyError

    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        for text in ("Acme", "", "Dana", "Sam", "2019-06-30"):
            await type_text(pilot, text)
            await pilot.press("tab")
        warning = form.query_one("#target_date-warning", Label)
        assert warning.display and "in the past" in str(warning.render())
        real = Store.create_handoff

        def busy(*args, **kwargs):
            raise BusyError("handoffs.db is busy: someone else is saving a change")

        monkeypatch.setattr(Store, "create_handoff", busy)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "is busy" in str(form.query_one("#form-error", Label).render())
        assert form.values()["target_date"] == "2019-06-30"
        monkeypatch.setattr(Store, "create_handoff", real)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    (summary,) = store.summaries()
    assert summary.target_date.isoformat() == "2019-06-30"
    store.close()
