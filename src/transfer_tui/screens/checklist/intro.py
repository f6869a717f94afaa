"""The customer intro from the checklist: ``i`` writes the e-mail draft and the invite in the
current folder (asking before replacing them) and shows them; what is missing is one line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.store import Store

BINDINGS = [Binding("i", "intro", "Intro", show=False)]


class IntroActions(Screen[None]):
    """Mixed into :class:`ChecklistScreen`."""

    if TYPE_CHECKING:  # what the checklist screen gives its intro key
        app: TransferApp
        handoff_id: str

        def read(self, call: Callable[[Store], Any], then: Callable[[Any], object]
                 ) -> None: ...

    def action_intro(self) -> None:
        """i: write the customer intro (e-mail draft and invite) in the current folder and
        show it; what is missing is said in one line. The handoff is read after the changes
        queued before (in the screen's queue, off the event loop)."""
        handoff_id = self.handoff_id
        self.read(lambda store: store.snapshot(handoff_id), self.write_intro)

    @work(exclusive=True, group="intro")
    async def write_intro(self, snapshot: Any) -> None:
        """The files are written off the event loop; replacing them asks first."""
        from transfer_tui.screens.intro_preview import IntroPreview
        from transfer_tui.widgets.confirm import Confirm

        try:
            intro_files = _intro_files(snapshot, self.app.clock().replace(microsecond=0))
            try:
                written = await asyncio.to_thread(intro_files, overwrite=False)
            except FileExistsError as exc:
                if not await self.app.push_screen_wait(Confirm(
                        f"{exc} already exists. Replace the intro files?", yes="Replace",
                        no="Keep them")):
                    return
                written = await asyncio.to_thread(intro_files, overwrite=True)
        except ValueError as exc:
            self.app.tell(str(exc), severity="error")
            return
        self.app.push_screen(IntroPreview(*written))


def _intro_files(snapshot: Any, now: datetime) -> Callable[..., tuple[str, str, str, str]]:
    """Plan the intro now; write it when called (FileExistsError names a file that is there,
    ValueError is one line saying what is missing or wrong)."""
    from pathlib import Path

    from transfer_tui.config import load_config
    from transfer_tui.export.files import ExportFileError, ExportFileExists
    from transfer_tui.outreach.files import describe_email, describe_invite, write_intro
    from transfer_tui.outreach.intro import IntroProblem, plan_intro
    from transfer_tui.outreach.templates import TemplateProblem

    config = load_config()

    def write(*, overwrite: bool) -> tuple[str, str, str, str]:
        try:
            intro = plan_intro(snapshot, config, now=now)
            eml, ics = write_intro(intro, Path.cwd(), config.templates(), now,
                                   overwrite=overwrite)
        except ExportFileExists as exc:
            raise FileExistsError(exc.path.name) from None
        except (IntroProblem, TemplateProblem, ExportFileError) as exc:
            raise ValueError(f"No intro written: {exc}") from None
        return (str(eml.resolve()), describe_email(eml.read_bytes()), str(ics.resolve()),
                describe_invite(ics.read_bytes()))

    return write
