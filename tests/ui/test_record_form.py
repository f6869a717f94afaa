"""Each record form, driven with keys: problems show next to their field and nothing is saved."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from tests.conftest import fixed_clock, settle
from transfer_tui.app import TransferApp
from transfer_tui.records import get_kind
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.record_form import RecordForm
from transfer_tui.store import Store
from transfer_tui.widgets.confirm import Confirm


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press({" ": "space", "\n": "enter"}.get(char, char))


async def open_form(app: TransferApp, pilot, handoff_id: str, kind: str) -> RecordForm:
    app.push_screen(ChecklistScreen(handoff_id))
    await settle(pilot)
    await pilot.press("2")
    app.screen.context_pane.select_kind(kind)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, RecordForm)
    assert app.screen.kind.key == kind
    return app.screen


async def fill(pilot, form: RecordForm, entries: dict[str, str]) -> None:
    """Tab to each field in form order and type into it (a focused box selects its text)."""
    names = [spec.name for spec in form.kind.fields]
    position = 0
    for name, text in sorted(entries.items(), key=lambda item: names.index(item[0])):
        for _ in range(names.index(name) - position):
            await pilot.press("tab")
        position = names.index(name)
        await type_text(pilot, text)


@pytest.fixture
def handoff_store(db_path):
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    yield store, handoff.id
    store.close()


@pytest.mark.parametrize(
    ("kind", "entries", "field", "words"),
    [
        ("license", {"plan": "Team", "seats_bought": "many"}, "seats_bought",
         "not a whole number"),
        ("license", {"plan": "Team", "contract_value": "$5"}, "contract_value", "not an amount"),
        ("license", {"plan": "Team", "currency": "dollar"}, "currency", "currency code"),
        ("license", {"plan": "Team", "contract_start": "2027-01-01",
                     "contract_end": "2026-01-01"}, "contract_end", "before the contract start"),
        ("channel", {"purpose": "day to day"}, "address", "required"),
        ("health", {"day": "2026-13-01"}, "day", "not a date"),
        ("health", {"score": "101"}, "score", "between 0 and 100"),
        ("objective", {"objective": "Faster close", "due_date": "soon"}, "due_date",
         "not a date"),
        ("ticket", {"reference": "#1"}, "title", "required"),
        ("cadence", {"name": "Sync", "takeover_date": "2026-02-30"}, "takeover_date",
         "not a date"),
        ("stakeholder", {"job_title": "COO"}, "name", "required"),
        ("promise", {"made_to": "Lena"}, "promise", "required"),
        ("risk", {"owner": "Sam"}, "risk", "required"),
        ("key_date", {"name": "Go-live", "day": "tomorrow"}, "day", "not a date"),
        ("product", {"vendor": "RouteMaster Inc."}, "name", "required"),
        ("opportunity", {"name": "Add-on", "value": "lots"}, "value", "not an amount"),
        ("opportunity", {"name": "Add-on", "expected_close": "2200-01-01"}, "expected_close",
         "2199-12-31"),
        ("feature_request", {"title": "Bulk API", "link": "javascript:alert(1)"}, "link",
         "not an http(s) link or a file path"),
        ("environment", {"name": "Prod", "docs_link": "https://"}, "docs_link",
         "has no host"),
        ("document", {"title": "SOW", "link": "file:///etc/passwd"}, "link",
         "not an http(s) link or a file path"),
        ("document", {"title": "SOW", "day": "2026-02-30"}, "day", "not a date"),
    ],
)
async def test_each_form_refuses_bad_values_next_to_the_field(handoff_store, kind, entries,
                                                              field, words) -> None:
    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(app, pilot, handoff_id, kind)
        await fill(pilot, form, entries)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        label = form.query_one(f"#{field}-error", Label)
        assert label.display
        assert words in str(label.render())
        assert app.focused is not None and app.focused.id == field  # the cursor goes there
        shown = [s.name for s in form.kind.fields
                 if form.query_one(f"#{s.name}-error", Label).display]
        assert shown == [field]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)  # something was typed: asks first
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert store.records(handoff_id, kind) == []


async def test_fix_the_error_and_save_with_choices_and_lists(handoff_store) -> None:
    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(app, pilot, handoff_id, "cadence")
        await type_text(pilot, "Ops sync")
        await pilot.press("tab", "right", "right")  # cadence: — → weekly → every two weeks
        await pilot.press("tab")
        await type_text(pilot, "Thu 16:00")
        await pilot.press("tab")
        await type_text(pilot, "Lena Fischer\nTomasz Nowak")
        await pilot.press("tab", "right")  # leads: outgoing CSM
        await pilot.press("tab")
        await type_text(pilot, "2026-02-30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#takeover_date-error", Label).display
        await pilot.press("ctrl+a", "ctrl+k")  # clear the date box
        await type_text(pilot, "2026-12-15")
        await pilot.press("enter")  # next field
        await type_text(pilot, "https://example.com/notes")
        await pilot.press("enter")  # enter on the last field saves
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    (record,) = store.records(handoff_id, "cadence")
    assert record.values["cadence"] == "biweekly"
    assert record.values["attendees"] == ["Lena Fischer", "Tomasz Nowak"]
    assert record.values["lead"] == "outgoing"
    assert record.values["takeover_date"].isoformat() == "2026-12-15"
    assert record.values["agenda_link"] == "https://example.com/notes"
    assert record.verified_at is None


async def test_escape_on_an_untouched_form_just_closes(handoff_store) -> None:
    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(app, pilot, handoff_id, "health")  # the date is filled in: today
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    assert store.records(handoff_id, "health") == []


async def test_health_entry_defaults_to_today(handoff_store) -> None:
    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(app, pilot, handoff_id, "health")
        await pilot.press("tab")
        await type_text(pilot, "64")
        await pilot.press("tab", "right", "right")  # colour: — → green → yellow
        await pilot.press("ctrl+s")
        await settle(pilot)
    (entry,) = store.records(handoff_id, "health")
    assert (entry.values["day"].isoformat(), entry.values["score"],
            entry.values["colour"]) == ("2026-11-25", 64, "yellow")


def test_forms_have_a_control_for_every_field() -> None:
    from transfer_tui.records import KINDS
    from transfer_tui.screens.record_form import control_for

    for kind in KINDS:
        for spec in kind.fields:
            assert control_for(spec, "").id == spec.name
    assert get_kind("license").field("plan").required


def shown_text(widget) -> str:
    """What a widget shows on screen now, line by line."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
@pytest.mark.parametrize("kind", ["license", "stakeholder", "risk", "channel", "ticket",
                                  "product", "opportunity", "feature_request",
                                  "environment", "document"])
async def test_every_choice_is_seen_and_the_form_fits(handoff_store, kind, size) -> None:
    """Every option of every choice is on screen in full, the chosen one marked, however far
    right was pressed; the form stays inside the window and scrolls to its last field
    (issue 10, items 5 and 13)."""
    from transfer_tui.widgets.choice import Choice

    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        form = await open_form(app, pilot, handoff_id, kind)
        box = form.query_one("#form")
        assert box.region.right <= size[0] and box.region.bottom <= size[1]
        for choice in form.query(Choice):
            for _ in range(len(choice.options)):
                choice.focus()
                await pilot.pause()
                text = shown_text(choice)
                for label, _ in choice.options:
                    assert label in text, (choice.id, label, text)
                assert f"● {choice.options[choice.index][0]}" in text
                assert choice.region.right <= size[0]
                await pilot.press("right")
        last = form.query_one(f"#{form.kind.fields[-1].name}")
        last.focus()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()  # focus scrolls it into view, smoothly
        await pilot.pause()
        assert box.region.contains_region(last.region)


async def test_more_seats_used_than_bought_is_a_warning_not_a_refusal(handoff_store) -> None:
    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, handoff_id, "license")
        await fill(pilot, form, {"plan": "Team", "seats_bought": "10", "seats_used": "12"})
        await pilot.pause()
        warning = form.query_one("#seats_used-warning", Label)
        assert warning.display and "More seats used (12) than bought (10)" in str(
            warning.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    (record,) = store.records(handoff_id, "license")
    assert (record.values["seats_bought"], record.values["seats_used"]) == (10, 12)


async def test_a_busy_file_keeps_the_form_and_what_was_typed(handoff_store, monkeypatch) -> None:
    from transfer_tui.store import BusyError

    store, handoff_id = handoff_store
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(app, pilot, handoff_id, "risk")
        await fill(pilot, form, {"risk": "Champion leaving"})

        def busy(*args, **kwargs):
            raise BusyError("handoffs.db is busy: someone else is saving a change")

        real = Store.add_record
        monkeypatch.setattr(Store, "add_record", busy)
        await pilot.press("ctrl+s", "x")  # a key pressed meanwhile stays in the form
        await settle(pilot)
        assert app.screen is form
        said = str(form.query_one("#form-error", Label).render())
        assert said.startswith("Not saved: handoffs.db is busy")
        assert form.values()["risk"] == "Champion leavingx"
        monkeypatch.setattr(Store, "add_record", real)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)
    (record,) = store.records(handoff_id, "risk")
    assert record.values["risk"] == "Champion leavingx"
