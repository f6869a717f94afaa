"""The record kinds of a handoff, each with its count, unverified ones (⚠) and alerts (!)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from transfer_tui.records import KINDS, Record, RecordKind, attention

#: The longest kind title and a space: the counts line up under each other.
TITLE_WIDTH = max(len(kind.title) for kind in KINDS) + 1


def kind_prompt(kind: RecordKind, records: list[Record], started: datetime) -> Text:
    """``Risks        2 ⚠1 !1``: how many, how many unverified, how many need action."""
    unverified = sum(1 for r in records if r.unverified(started))
    alerts = sum(1 for r in records if attention(r))
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(kind.title.ljust(TITLE_WIDTH), style="" if records else "dim")
    text.append(str(len(records)).rjust(3), style="cyan" if records else "dim")
    text.append(f" ⚠{unverified}".ljust(4) if unverified else "    ", style="bold yellow")
    text.append(f" !{alerts}" if alerts else "", style="bold red")
    return text


class KindList(OptionList):
    """Pick a record kind; its records show beside it."""

    def show(self, records: dict[str, list[Record]], started: datetime) -> None:
        prompts = [kind_prompt(kind, records.get(kind.key, []), started) for kind in KINDS]
        if self.option_count == len(KINDS):
            for index, prompt in enumerate(prompts):
                self.replace_option_prompt_at_index(index, prompt)
            return
        self.set_options(Option(prompt, id=kind.key) for kind, prompt in zip(KINDS, prompts,
                                                                             strict=True))
        self.highlighted = 0

    @property
    def current_key(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else KINDS[0].key

    def select_kind(self, key: str) -> None:
        for index, kind in enumerate(KINDS):
            if kind.key == key:
                self.highlighted = index
