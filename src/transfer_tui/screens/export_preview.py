"""Preview a handoff's summary before it leaves the app: rendered or raw, saved or copied.

The screen is handed the finished Markdown for each reader (the team, a manager,
the customer); it never reads the store, so what is saved or copied is exactly
what was previewed. ``a`` switches the reader.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, TextArea

from transfer_tui.export.files import ExportFileError, ExportFileExists, check_target, write_text
from transfer_tui.paths import documents_dir, shorten
from transfer_tui.widgets.safe_text import one_line

if TYPE_CHECKING:
    from datetime import date

    from transfer_tui.app import TransferApp
    from transfer_tui.export.snapshot import HandoffSnapshot

_HEADING = re.compile(r"^#{2,3} ", re.MULTILINE)
READERS = {"team": "the team", "manager": "a manager", "customer": "the customer"}


def chunks(markdown: str) -> list[str]:
    """The document cut before each second- and third-level heading; joined, the
    pieces are the document again. (User text never starts a line with ``#``.)"""
    cuts = [0, *(m.start() for m in _HEADING.finditer(markdown) if m.start()), len(markdown)]
    return [markdown[a:b] for a, b in pairwise(cuts) if b > a]


def versions_of(snapshot: HandoffSnapshot, today: date) -> dict[str, tuple[str, str]]:
    """The summary for each reader as of today, and the file name each is offered under;
    the customer letter prints e-mail addresses from the config file."""
    from transfer_tui.config import load_config
    from transfer_tui.export import ExportOptions, render_markdown
    from transfer_tui.export.files import file_name
    from transfer_tui.export.snapshot import AUDIENCES

    people = tuple(load_config().people.items())
    versions = {}
    for audience in AUDIENCES:
        options = ExportOptions(as_of=today, as_of_today=True, audience=audience, people=people)
        name = file_name(snapshot.account, today)
        if audience != "team":
            name = name.removesuffix(".md") + f"-{audience}.md"
        versions[audience] = (render_markdown(snapshot, options), name)
    return versions


class Piece(Markdown):
    """One block of the summary being shown (whole blocks: see :func:`chunks`)."""

    def __init__(self, pieces: list[str], index: int) -> None:
        super().__init__(pieces[index] if pieces else "", classes="piece")


def save_path(answer: str, documents: Path) -> Path:
    """Where a typed answer saves: a bare file name goes in the documents folder; a path
    (with a folder, or ~) is taken as typed."""
    if os.sep not in answer and not answer.startswith("~"):
        return documents / answer
    return Path(answer).expanduser()


class ExportPreview(Screen[None]):
    """The summary as a reader sees it; ``r`` shows the Markdown that will be saved."""

    CSS_PATH = "export_preview.tcss"
    BINDINGS = [
        Binding("a", "audience", "Reader"),
        Binding("r", "toggle_raw", "Raw / rendered"),
        Binding("s", "save", "Save"),
        Binding("c", "copy", "Copy"),
        Binding("escape", "close", "Close"),
    ]

    app: TransferApp

    def __init__(self, versions: Mapping[str, tuple[str, str]], account: str):
        """``versions``: for each reader (team first), its Markdown and file name."""
        super().__init__()
        self.versions = dict(versions)
        self.account = account
        self.audience = next(iter(self.versions))
        self.markdown, self.file_name = self.versions[self.audience]
        self.pieces = chunks(self.markdown)

    @property
    def box_title(self) -> Content:
        reader = READERS[self.audience]
        return Content(one_line(f"Summary of {self.account}", 60) + f" · for {reader}")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="rendered-box", can_focus=True) as box:
            box.border_title = self.box_title
            box.border_subtitle = "a reader · r raw · s save · c copy · escape close"
            yield Piece(self.pieces, 0)
        raw = TextArea(self.markdown, id="raw", read_only=True, soft_wrap=True,
                       show_line_numbers=False)
        raw.border_title = "Raw Markdown (what is saved and copied)"
        raw.display = False
        yield raw
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rendered-box").focus()
        self._shown_of, self._shown = self.pieces, 1  # compose put the first piece in
        self._rendering = True
        self.render_rest()

    @work(group="render")
    async def render_rest(self) -> None:
        """A long summary is hundreds of widgets: show the top at once, then add the
        rest a piece at a time (one Markdown widget each, as the pieces are whole
        blocks) so keys keep working meanwhile.

        One renderer at a time does all of it, a change of reader included (it clears the
        box and starts over on the new pieces): a renderer cancelled mid-mount would still
        have its last piece land in the next reader's summary."""
        box = self.query_one("#rendered-box", VerticalScroll)
        while True:
            pieces = self.pieces
            if self._shown_of is not pieces:
                await box.remove_children()
                box.scroll_home(animate=False)
                self._shown_of, self._shown = pieces, 0
            elif self._shown >= len(pieces):
                self._rendering = False  # in the same step as the look: no change missed
                return
            else:
                await box.mount(Piece(pieces, self._shown))
                self._shown += 1
                await asyncio.sleep(0)

    def action_audience(self) -> None:
        """a: the same handoff for the next reader (team, manager, customer)."""
        names = list(self.versions)
        self.audience = names[(names.index(self.audience) + 1) % len(names)]
        self.markdown, self.file_name = self.versions[self.audience]
        self.pieces = chunks(self.markdown)
        self.query_one("#rendered-box", VerticalScroll).border_title = self.box_title
        self.query_one("#raw", TextArea).load_text(self.markdown)
        if not self._rendering:
            self._rendering = True
            self.render_rest()

    @property
    def rendered_source(self) -> str:
        """The Markdown shown so far, piece after piece."""
        return "".join(piece.source for piece in self.query(".piece").results(Markdown))

    @property
    def showing_raw(self) -> bool:
        return self.query_one("#raw", TextArea).display

    def action_toggle_raw(self) -> None:
        raw = self.query_one("#raw", TextArea)
        rendered = self.query_one("#rendered-box")
        raw.display, rendered.display = not raw.display, raw.display
        (raw if raw.display else rendered).focus()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        lines = self.markdown.count("\n")
        self.app.tell(f"Copied the summary (Markdown, {lines} lines) to the clipboard. "
                      "Not there? Your terminal blocks it: save it with s.")

    @work(exclusive=True, group="save")
    async def action_save(self) -> None:
        """Ask where, ask before replacing a file, and ask again after a bad path.
        In a browser (``transfer-tui serve``) the browser downloads it instead."""
        if self.app.is_web:
            self.app.deliver_text(io.StringIO(self.markdown), save_filename=self.file_name,
                                  mime_type="text/markdown")
            self.app.tell(f"Downloading the summary as {self.file_name}: your browser saves it.")
            return
        from transfer_tui.widgets.confirm import Confirm
        from transfer_tui.widgets.path_prompt import PathPrompt

        documents = documents_dir()
        answer = f"{shorten(documents).rstrip('/')}/{self.file_name}"
        error: str | None = None
        while True:
            typed = await self.app.push_screen_wait(
                PathPrompt("Save the summary (Markdown) as:", answer, error))
            if typed is None:
                return
            answer = typed
            path = save_path(answer, documents)
            if path.parent == documents and not documents.exists():
                try:
                    documents.mkdir(parents=True)  # a new home folder has none yet
                except OSError as exc:
                    error = f"cannot make {documents}: {exc.strerror}"
                    continue
            overwrite = False
            try:
                check_target(path)
            except ExportFileExists:
                question = f"{path} already exists. Replace it with this summary?"
                if not await self.app.push_screen_wait(Confirm(question, yes="Replace",
                                                               no="Keep it")):
                    error = f"{path.name} was kept: choose another name, or escape."
                    continue
                overwrite = True
            except ExportFileError as exc:
                error = str(exc)
                continue
            try:
                written = write_text(path, self.markdown, overwrite=overwrite)
            except ExportFileError as exc:
                error = str(exc)
                continue
            self.app.tell(f"Saved the summary to {written.resolve()}.")
            return

    def action_close(self) -> None:
        self.dismiss(None)
