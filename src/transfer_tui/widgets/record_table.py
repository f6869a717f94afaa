"""The records of one kind as a table: the kind's columns, then who verified it and when.

A record not verified since the handoff started shows ⚠ in the warning colour;
one that needs someone to act (a high risk with no mitigation, a promise at
risk) has its title in red. All user text goes in as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import events

from transfer_tui.records import FieldType, Record, RecordKind, attention
from transfer_tui.records.fields import FieldSpec
from transfer_tui.timefmt import ago
from transfer_tui.widgets.keyed_table import KeyedTable
from transfer_tui.widgets.safe_text import plain

#: Choice values that deserve a colour wherever they show.
VALUE_STYLE = {
    "green": "green", "yellow": "yellow", "red": "bold red",
    "critical": "bold red", "high": "red",
    "at_risk": "bold red", "pending": "yellow", "fulfilled": "green",
    "missed": "bold red", "achieved": "green", "on_track": "green",
    "skeptical": "red", "blocker": "red", "enthusiastic": "green",
    "solved": "dim", "open": "yellow",
    "won": "green", "lost": "dim", "shipped": "green", "declined": "dim",
    "competitor": "red",
}
VERIFIED_WIDTH = 13


def column_width(spec: FieldSpec) -> int:
    """Fixed widths by type, so the title column can take what is left."""
    widths = {
        FieldType.DATE: 10, FieldType.INT: 5, FieldType.MONEY: 16, FieldType.CURRENCY: 4,
        FieldType.BOOL: 3, FieldType.TEXT: 18, FieldType.LIST: 20, FieldType.LONG_TEXT: 22,
        FieldType.LINK: 22, FieldType.EMAIL: 18,
    }
    if spec.type is FieldType.CHOICE:
        width = min(max(len(label) for _, label in spec.choices), 12)
    else:
        width = widths[spec.type]
    return max(width, len(spec.header))


def fit_widths(kind: RecordKind, specs: list[FieldSpec], room: int) -> dict[str, int]:
    """Fixed columns first; free-text ones give way (down to 10) before the title drops
    under 20; the title takes whatever is left."""
    widths = {spec.name: column_width(spec) for spec in specs}
    flexible = [s.name for s in specs if s.name != kind.title_field
                and s.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.LIST,
                               FieldType.LINK)]

    def title_room() -> int:
        return room - sum(w for name, w in widths.items() if name != kind.title_field)

    while title_room() < 20 and any(widths[name] > 10 for name in flexible):
        widest = max(flexible, key=lambda name: widths[name])
        widths[widest] -= 1
    widths[kind.title_field] = max(title_room(), 12)
    return widths


def verified_cell(record: Record, started: datetime, now: datetime) -> Text:
    if record.verified_at is None:
        return Text("⚠ never", style="bold yellow", no_wrap=True)
    if record.unverified(started):
        return Text("⚠ before start", style="bold yellow", no_wrap=True, overflow="ellipsis")
    return Text(f"✓ {ago(record.verified_at, now)}", style="green", no_wrap=True)


def value_cell(record: Record, spec: FieldSpec, width: int) -> Text:
    value = record.values.get(spec.name)
    if spec.type is FieldType.BOOL:
        return Text("✓" if value else "·", style="green" if value else "dim")
    cell = plain(record.text(spec.name), limit=width)
    if spec.type is FieldType.CHOICE and value in VALUE_STYLE:
        cell.stylize(VALUE_STYLE[value])
    return cell


class RecordTable(KeyedTable):
    """One row per record, keyed by record id; the cursor stays on its record across refreshes."""

    _shown: tuple[RecordKind, Sequence[Record], datetime, datetime] | None = None
    _built_width = -1

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def on_resize(self, event: events.Resize) -> None:
        """Columns follow the width; a change of height alone needs no new rows."""
        if self._shown is not None and event.size.width != self._built_width:
            self.show(*self._shown)

    def show(self, kind: RecordKind, records: Sequence[Record], started: datetime,
             now: datetime) -> None:
        """Rebuild the rows, keeping the cursor on its record."""
        same_kind = self._shown is not None and self._shown[0].key == kind.key
        self._shown = (kind, records, started, now)
        self._built_width = self.size.width
        current = self.current_record_id if same_kind else None
        specs = [kind.field(name) for name in kind.columns]
        widths = fit_widths(kind, specs, self.size.width - 2 - 2 * (len(specs) + 1)
                            - VERIFIED_WIDTH)
        self.clear(columns=True)
        for spec in specs:
            self.add_column(spec.header, key=spec.name, width=widths[spec.name])
        self.add_column("Verified", key="verified", width=VERIFIED_WIDTH)
        for record in records:
            cells = []
            for spec in specs:
                if spec.name == kind.title_field and attention(record):
                    cell = Text("! ", style="bold red", no_wrap=True, end="")
                    cell.append_text(value_cell(record, spec, widths[spec.name] - 2))
                    cell.stylize("bold red")
                else:
                    cell = value_cell(record, spec, widths[spec.name])
                cells.append(cell)
            cells.append(verified_cell(record, started, now))
            self.add_row(*cells, key=record.id)
        if current is not None:
            self.move_to_key(current)
        elif self.row_count:
            self.move_cursor(row=0)

    @property
    def current_record_id(self) -> str | None:
        return self.key_at_cursor()
