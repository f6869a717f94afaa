"""The sections of a checklist, each with its own progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from transfer_tui.store import SectionView
from transfer_tui.widgets.safe_text import one_line


def section_prompt(section: SectionView, width: int = 32) -> Text:
    """``License        2/3 ✖1``: the title, its done/total and any blocked tasks."""
    room = width - 9
    title = one_line(section.title, room)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    complete = section.done >= section.total
    text.append(title.ljust(room), style="dim" if complete else "")
    text.append(f"{section.done}/{section.total}".rjust(6),
                style="green" if complete else "cyan")
    if section.blocked:
        text.append(f" ✖{section.blocked}", style="bold red")
    return text


class SectionList(OptionList):
    """Pick a section; its tasks show beside it. Its lines fit its width, laid out again
    when the window is resized (a narrow window gives it less room)."""

    sections: list[SectionView] = []

    @property
    def prompt_width(self) -> int:
        width = self.scrollable_content_region.width
        return max(width, 16) if width else 32

    def on_resize(self) -> None:
        if self.sections:
            self.show(self.sections)

    def show(self, sections: list[SectionView]) -> None:
        """Refresh the prompts in place, keeping the highlight, or rebuild if they changed."""
        self.sections = sections
        width = self.prompt_width
        keys = [section.key for section in sections]
        if [option.id for option in self.options] == keys:
            for index, section in enumerate(sections):
                self.replace_option_prompt_at_index(index, section_prompt(section, width))
            return
        highlighted = self.highlighted
        self.set_options(Option(section_prompt(s, width), id=s.key) for s in sections)
        if sections:
            self.highlighted = min(highlighted or 0, len(sections) - 1)

    @property
    def current_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None
