"""The export preview: m opens it, r shows the raw text, s saves (never replacing a file
without asking, and asking again after a bad path), c copies, escape closes."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from textual.widgets import Input, Label, Markdown, TextArea

from tests.conftest import TODAY, fixed_clock, settle
from tests.ui.test_user_text import screen_text
from transfer_tui.app import TransferApp
from transfer_tui.demo import demo_id
from transfer_tui.export import ExportOptions, render_markdown
from transfer_tui.playbooks import parse_playbook
from transfer_tui.screens.checklist import ChecklistScreen
from transfer_tui.screens.export_preview import ExportPreview, chunks
from transfer_tui.widgets.confirm import Confirm
from transfer_tui.widgets.path_prompt import PathPrompt

GLOBEX = demo_id("Globex Logistics")
MINI_PLAYBOOK = """
format = 1
id = "mini"
name = "Mini"

[[sections]]
key = "one"
title = "One"

[[sections.tasks]]
key = "first"
title = "First"
owner = "incoming"
due = "start+7d"
"""
DEFAULT_NAME = "acme-mini-handoff-2026-11-25.md"


@pytest.fixture
def expected(demo_store) -> str:
    return render_markdown(demo_store.snapshot(GLOBEX), ExportOptions(as_of=TODAY,
                                                                      as_of_today=True))


@pytest.fixture
def mini(store) -> str:
    """A one-task handoff: the save and copy tests need no long summary to render."""
    playbook = parse_playbook(MINI_PLAYBOOK)
    return store.create_handoff("Acme Mini", "Dana", "Sam", playbook=playbook).id


@pytest.fixture
def mini_text(store, mini: str) -> str:
    return render_markdown(store.snapshot(mini), ExportOptions(as_of=TODAY, as_of_today=True))


async def open_preview(app: TransferApp, pilot, handoff_id: str = GLOBEX) -> ExportPreview:
    """Press m on the checklist and wait until the whole summary shows."""
    app.push_screen(ChecklistScreen(handoff_id))
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, ExportPreview)
    await app.workers.wait_for_complete()
    await settle(pilot)
    return app.screen


@pytest.fixture
def documents(isolated_home):
    """The user's documents folder (platformdirs, under the test's home folder)."""
    return isolated_home / "Documents"


def told(app: TransferApp) -> str:
    return "\n".join(notification.message for notification in app._notifications)


async def save_as(pilot, path: str | None = None) -> None:
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PathPrompt)
    box = pilot.app.screen.query_one("#path", Input)
    assert box.value == f"~/Documents/{DEFAULT_NAME}"  # the documents folder, not cwd
    if path is not None:
        box.value = path
    await pilot.press("enter")
    await settle(pilot)


def test_chunks_join_back_into_the_document(expected: str) -> None:
    pieces = chunks(expected)
    assert "".join(pieces) == expected
    assert len(pieces) > 10 and all(p.startswith("#") for p in pieces)


async def test_m_opens_the_rendered_summary_and_r_the_raw_text(demo_store, expected) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_preview(app, pilot)
        assert screen.rendered_source == expected
        top_level = [t for t in MarkdownIt("gfm-like").parse(expected)
                     if t.level == 0 and t.nesting in (0, 1)]
        blocks = [b for piece in screen.query(".piece").results(Markdown)
                  for b in piece.children]
        assert len(blocks) == len(top_level)  # every block rendered, none lost
        assert "Account handoff: Globex Logistics" in screen_text(app)
        raw = screen.query_one("#raw", TextArea)
        assert not raw.display
        await pilot.press("r")
        await settle(pilot)
        assert raw.display and raw.has_focus and raw.read_only
        assert raw.text == expected
        assert "# Account handoff: Globex Logistics" in screen_text(app)
        await pilot.press("r", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistScreen)


async def test_the_checklist_offers_export_in_footer_and_palette(demo_store) -> None:
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        app.push_screen(ChecklistScreen(GLOBEX))
        await settle(pilot)
        assert "m Export" in screen_text(app)
        command = next(c for c in app.screen.palette_commands() if c.title == "Export summary")
        command.callback()
        await settle(pilot)
        assert isinstance(app.screen, ExportPreview)


async def test_s_saves_in_the_documents_folder(store, mini, mini_text, in_tmp,
                                               documents) -> None:
    """Not in whatever folder the app was started from (issue 10, item 15); a bare name
    typed goes there too, a path is taken as typed."""
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await open_preview(app, pilot, mini)
        await save_as(pilot)
        assert isinstance(app.screen, ExportPreview)
        assert (documents / DEFAULT_NAME).read_bytes() == mini_text.encode("utf-8")
        assert f"Saved the summary to {documents / DEFAULT_NAME}." in told(app)
        await save_as(pilot, "other.md")
        await save_as(pilot, str(in_tmp / "here.md"))
    assert (documents / "other.md").read_bytes() == mini_text.encode("utf-8")
    assert (in_tmp / "here.md").read_bytes() == mini_text.encode("utf-8")
    assert sorted(p.name for p in in_tmp.iterdir()) == ["here.md"]


async def test_an_existing_file_is_replaced_only_when_confirmed(store, mini, mini_text,
                                                                documents) -> None:
    documents.mkdir()
    target = documents / DEFAULT_NAME
    target.write_text("notes I wrote myself", encoding="utf-8")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_preview(app, pilot, mini)
        await save_as(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep it: asked again, with the reason
        await settle(pilot)
        assert isinstance(app.screen, PathPrompt)
        assert "was kept" in str(app.screen.query_one("#path-error", Label).render())
        assert target.read_text(encoding="utf-8") == "notes I wrote myself"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExportPreview)
        assert target.read_text(encoding="utf-8") == "notes I wrote myself"
        await save_as(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExportPreview)
    assert target.read_bytes() == mini_text.encode("utf-8")


@pytest.mark.parametrize(("where", "words"), [
    ("folder", "is a folder"),
    ("missing/summary.md", "does not exist"),
])
async def test_a_bad_path_is_one_line_and_asked_again(store, mini, in_tmp, where,
                                                      words) -> None:
    (in_tmp / "folder").mkdir()
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_preview(app, pilot, mini)
        await save_as(pilot, str(in_tmp / where))
        assert isinstance(app.screen, PathPrompt)
        message = str(app.screen.query_one("#path-error", Label).render())
        assert words in message and "\n" not in message
        assert app.screen.query_one("#path", Input).value == str(in_tmp / where)
        await pilot.press("escape")
        await settle(pilot)
    assert sorted(p.name for p in in_tmp.iterdir()) == ["folder"]


async def test_c_copies_the_markdown_and_says_so(store, mini, mini_text) -> None:
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await open_preview(app, pilot, mini)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == mini_text
        assert "Copied the summary (Markdown, " in told(app)


async def test_markup_is_shown_as_typed(store) -> None:
    account = "[bold]Acme[/] | <b>Corp</b>"
    handoff = store.create_handoff(account, "Dana", "Sam")
    task = store.checklist(handoff.id).tasks[0]
    store.update_task(task.id, status="blocked", note="[bold]not bold[/] <b>nor this</b> `x`")
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_preview(app, pilot, handoff.id)
        text = screen_text(app)
        assert f"Summary of {account}" in text  # the box title
        assert f"Account handoff: {account}" in text
        assert "[bold]not bold[/] <b>nor this</b> `x`" in text  # under needs attention


async def test_a_switches_between_the_three_readers(demo_store, isolated_home) -> None:
    snapshot = demo_store.snapshot(GLOBEX)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_preview(app, pilot)
        assert screen.audience == "team" and "for the team" in screen_text(app)
        for audience, heading in (("manager", "Handoff status: Globex Logistics"),
                                  ("customer", "your new Customer Success Manager"),
                                  ("team", "Account handoff: Globex Logistics")):
            await pilot.press("a")
            await app.workers.wait_for_complete()
            await settle(pilot)
            expected = render_markdown(snapshot, ExportOptions(
                as_of=TODAY, as_of_today=True, audience=audience))
            assert screen.audience == audience
            assert screen.rendered_source == expected
            assert screen.query_one("#raw", TextArea).text == expected
            assert heading in screen_text(app)
        await pilot.press("a", "a")  # the customer letter, saved under its own name
        await app.workers.wait_for_complete()
        await pilot.press("s")
        await settle(pilot)
        box = app.screen.query_one("#path", Input)
        assert box.value == "~/Documents/globex-logistics-handoff-2026-11-25-customer.md"
        await pilot.press("enter")
        await settle(pilot)
    saved = (isolated_home / "Documents" / "globex-logistics-handoff-2026-11-25-customer.md"
             ).read_text("utf-8")
    assert saved.startswith("# Globex Logistics: your new Customer Success Manager")
    assert "Disposition" not in saved


async def test_the_customer_letter_reads_at_80_by_24(store, mini) -> None:
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_preview(app, pilot, mini)
        await pilot.press("a", "a")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert screen.audience == "customer"
        text = screen_text(app)
        assert "for the customer" in text and "Hello Acme Mini team," in text
        assert "a Reader" in text  # the key is offered in the footer


async def test_switching_the_reader_mid_render_shows_only_the_new_one(demo_store) -> None:
    """a pressed while the long team summary is still being added piece by piece."""
    snapshot = demo_store.snapshot(GLOBEX)
    app = TransferApp(demo_store, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChecklistScreen(GLOBEX))
        await settle(pilot)
        await pilot.press("m", "a")  # no wait: the team's pieces are still coming
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportPreview) and screen.audience == "manager"
        assert screen.rendered_source == render_markdown(snapshot, ExportOptions(
            as_of=TODAY, as_of_today=True, audience="manager"))
async def test_in_a_browser_s_downloads_the_summary_instead(store, mini, mini_text, in_tmp,
                                                            monkeypatch) -> None:
    """Under ``transfer-tui serve`` there is no folder to type: Textual's own delivery
    hands the file to the browser (tests/web has the whole way, in Chromium)."""
    delivered = []
    monkeypatch.setattr(TransferApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(TransferApp, "deliver_text", lambda self, file, **options:
                        delivered.append((file.read(), options)))
    app = TransferApp(store, clock=fixed_clock)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await open_preview(app, pilot, mini)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ExportPreview)  # no path asked for
        assert delivered == [(mini_text, {"save_filename": DEFAULT_NAME,
                                          "mime_type": "text/markdown"})]
        assert f"Downloading the summary as {DEFAULT_NAME}" in told(app)
    assert list(in_tmp.iterdir()) == []
