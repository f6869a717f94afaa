"""One field of a record kind: its name, label, type and choices, and how it reads.

Plain data, no database and no UI: forms, tables, validation, export and the
demo all read these declarations, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from transfer_tui.cleantext import one_line
from transfer_tui.limits import WHOLE_LIMIT


class FieldType(StrEnum):
    """How a value is typed in, checked and stored."""

    TEXT = "text"  # one line
    EMAIL = "email"  # one plain address, name@example.com
    LONG_TEXT = "long_text"  # several lines
    INT = "int"  # a whole number, within minimum..maximum
    MONEY = "money"  # an amount, stored in cents
    CURRENCY = "currency"  # a three-letter code such as USD
    DATE = "date"  # YYYY-MM-DD
    CHOICE = "choice"  # one of ``choices`` (or nothing, unless required)
    BOOL = "bool"  # yes or no
    LIST = "list"  # one item per line
    LINK = "link"  # an http(s) address or a file path (see transfer_tui.links)


#: Types a form edits in a multi-line box.
MULTI_LINE = (FieldType.LONG_TEXT, FieldType.LIST)
#: Types whose whole text the export shows (a table cell may shorten it).
TEXTUAL = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.LINK)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record kind. ``choices`` are (value, label) pairs."""

    name: str
    label: str
    type: FieldType = FieldType.TEXT
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    help: str = ""
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    currency_field: str | None = None  # for money: the field holding its currency
    basis_field: str | None = None  # for money: the field saying per what (ACV, MRR)
    short: str = ""  # a shorter label for table headers
    internal: bool = False  # never in what the customer reads (intro, customer export)

    @property
    def lowest(self) -> int:
        """The smallest whole number the field takes."""
        return -WHOLE_LIMIT if self.minimum is None else max(self.minimum, -WHOLE_LIMIT)

    @property
    def highest(self) -> int:
        """The largest whole number the field takes."""
        return WHOLE_LIMIT if self.maximum is None else min(self.maximum, WHOLE_LIMIT)

    @property
    def header(self) -> str:
        return self.short or self.label

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def empty(self) -> Any:
        """The value of a field nobody filled in."""
        if self.default is not None:
            return self.default
        return {
            FieldType.INT: None,
            FieldType.MONEY: None,
            FieldType.DATE: None,
            FieldType.BOOL: False,
            FieldType.LIST: [],
        }.get(self.type, "")

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == []


def money_text(cents: int | None) -> str:
    """``220,000`` or ``1,250.50``: thousands separated, cents only when there are some."""
    if cents is None:
        return ""
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{whole:,}" + (f".{part:02d}" if part else "")


def format_value(spec: FieldSpec, value: Any, values: dict[str, Any] | None = None) -> str:
    """A value as a person reads it on one line; '' when empty. User text is cleaned."""
    if spec.is_empty(value):
        return ""
    if spec.type is FieldType.BOOL:
        return "yes" if value else "no"
    if spec.type is FieldType.CHOICE:
        return spec.choice_label(value)
    if spec.type is FieldType.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if spec.type is FieldType.INT:
        return f"{value:,}"
    if spec.type is FieldType.MONEY:
        values = values or {}
        currency = values.get(spec.currency_field or "", "")
        basis = str(values.get(spec.basis_field or "", "")).upper()
        return " ".join(part for part in (currency, money_text(value), basis) if part)
    if spec.type is FieldType.LIST:
        return ", ".join(one_line(item) for item in value)
    return one_line(str(value))


def input_text(spec: FieldSpec, value: Any) -> str:
    """A value as a form shows it for editing (the reverse of the form's parsing)."""
    if spec.is_empty(value):
        return ""
    if spec.type is FieldType.MONEY:
        return money_text(value).replace(",", "")
    if spec.type is FieldType.DATE:
        return value.isoformat()
    if spec.type is FieldType.LIST:
        return "\n".join(value)
    if spec.type is FieldType.BOOL:
        return "yes" if value else "no"
    return str(value)
