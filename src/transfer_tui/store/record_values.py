"""Checking record values against their kind's declaration, and turning them into columns.

Forms and the store call the same :func:`check_record`, so a form shows every
problem next to its field and the store refuses anything a form would refuse.
Values may come typed (from code) or as the text a person typed.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from transfer_tui.addresses import is_address
from transfer_tui.cleantext import one_line
from transfer_tui.limits import (
    MAX_CENTS,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_LINK,
    MAX_LONG_TEXT,
    MAX_TEXT,
)
from transfer_tui.links import link_problem
from transfer_tui.records.fields import FieldSpec, FieldType, money_text
from transfer_tui.records.kinds import RecordKind
from transfer_tui.store.errors import ValidationError
from transfer_tui.store.validate import parse_date

_INT = re.compile(r"^-?([0-9]{1,3}(?:[,_ ][0-9]{3})+|[0-9]+)$")
_MONEY = re.compile(r"^([0-9]{1,3}(?:[,_ ][0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*([km])?$",
                    re.IGNORECASE)
_LONGEST_NUMBER = 40  # characters: more is never a number a form should take
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off", ""}


def parse_field(spec: FieldSpec, raw: Any) -> Any:
    """The clean value of one field, or ValidationError(field, one line saying why)."""
    kind = spec.type
    if kind is FieldType.BOOL:
        return _parse_bool(spec, raw)
    if kind is FieldType.LIST:
        return _parse_list(spec, raw)
    if kind is FieldType.DATE:
        value = parse_date(raw if isinstance(raw, date) or raw is None else str(raw),
                           spec.name, spec.label)
        return _required(spec, value)
    if raw is None:
        return _required(spec, spec.empty())
    if kind is FieldType.INT:
        return _required(spec, _parse_int(spec, raw))
    if kind is FieldType.MONEY:
        return _required(spec, _parse_money(spec, raw))
    text = str(raw).strip()
    if kind is FieldType.CHOICE:
        return _parse_choice(spec, text)
    if kind is FieldType.CURRENCY:
        if text and not _CURRENCY.match(text):
            raise ValidationError(spec.name, f"{spec.label} {text!r} is not a currency code: "
                                  "write three letters, e.g. USD")
        return text.upper()
    if kind is FieldType.EMAIL and text and not is_address(text):
        raise ValidationError(spec.name, f"{spec.label} {one_line(text, 40)!r} is not an "
                              "address: write e.g. ana@example.com")
    if kind is FieldType.LINK and text and (problem := link_problem(text)):
        raise ValidationError(spec.name, f"{spec.label} {problem}")
    if kind is FieldType.TEXT and ("\n" in text or "\r" in text):
        raise ValidationError(spec.name, f"{spec.label} must fit on one line")
    limit = {FieldType.LONG_TEXT: MAX_LONG_TEXT, FieldType.LINK: MAX_LINK}.get(kind, MAX_TEXT)
    if len(text) > limit:
        raise ValidationError(spec.name, f"{spec.label} is too long (at most {limit:,} "
                              "characters)")
    return _required(spec, text)


def _required(spec: FieldSpec, value: Any) -> Any:
    if spec.required and spec.is_empty(value):
        raise ValidationError(spec.name, f"{spec.label} is required")
    return value


def _parse_int(spec: FieldSpec, raw: Any) -> int | None:
    if isinstance(raw, bool):
        raise ValidationError(spec.name, f"{spec.label} must be a whole number")
    if isinstance(raw, int):
        number = raw
    else:
        text = str(raw).strip()
        if not text:
            return None
        if len(text) > _LONGEST_NUMBER or not _INT.match(text):
            raise ValidationError(spec.name, f"{spec.label} {one_line(text, 40)!r} is not a "
                                  "whole number")
        number = int(re.sub(r"[,_ ]", "", text))
    low, high = spec.lowest, spec.highest
    if spec.maximum is None and spec.minimum is not None and number < low:
        raise ValidationError(spec.name, f"{spec.label} must be {low:,} or more")
    if not low <= number <= high:
        raise ValidationError(spec.name, f"{spec.label} must be between {low:,} and {high:,}")
    return number


def _parse_money(spec: FieldSpec, raw: Any) -> int | None:
    """Cents. People write 220000, 220,000, 220000.50, 220k or 1.5m; no currency symbol."""
    if isinstance(raw, bool):
        raise ValidationError(spec.name, f"{spec.label} must be an amount")
    if isinstance(raw, int):  # already cents
        if not (spec.minimum or 0) * 100 <= raw < MAX_CENTS:
            raise ValidationError(spec.name, f"{spec.label} is out of range")
        return raw
    text = str(raw).strip()
    if not text:
        return None
    match = _MONEY.match(text) if len(text) <= _LONGEST_NUMBER else None
    if not match:
        raise ValidationError(spec.name, f"{spec.label} {one_line(text, 40)!r} is not an "
                              "amount: write e.g. 220000, 220,000.50 or 220k (the currency "
                              "has its own field)")
    whole, fraction, scale = match.groups()
    try:
        amount = Decimal(re.sub(r"[,_ ]", "", whole) + (fraction or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(spec.name, f"{spec.label} {text!r} is not an amount") from None
    amount *= {"k": 1_000, "m": 1_000_000}.get((scale or "").lower(), 1)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValidationError(spec.name, f"{spec.label} {text!r} has more than two decimals")
    if cents >= MAX_CENTS:
        raise ValidationError(spec.name, f"{spec.label} {text!r} is too large (at most "
                              f"{money_text(MAX_CENTS - 1)})")
    return int(cents)


def _parse_choice(spec: FieldSpec, text: str) -> str:
    if not text:
        if spec.default is not None:
            return spec.default
        return _required(spec, "")
    wanted = text.casefold().replace("-", " ").replace("_", " ")
    for value, label in spec.choices:
        if wanted in (value.replace("_", " "), label.casefold()):
            return value
    options = ", ".join(label for _, label in spec.choices)
    raise ValidationError(spec.name, f"{spec.label} must be one of: {options}")


def _parse_bool(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool) or raw is None:
        return bool(raw)
    text = str(raw).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(spec.name, f"{spec.label} must be yes or no")


def _parse_list(spec: FieldSpec, raw: Any) -> list[str]:
    """One item per line (or a list); blank lines dropped."""
    if raw is None:
        items: list[str] = []
    elif isinstance(raw, (list, tuple)):
        items = [str(item) for item in raw]
    else:
        items = str(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    items = [" ".join(item.split()) for item in items]
    items = [item for item in items if item]
    if len(items) > MAX_ITEMS:
        raise ValidationError(spec.name, f"{spec.label}: at most {MAX_ITEMS} lines")
    for item in items:
        if len(item) > MAX_ITEM:
            raise ValidationError(spec.name, f"{spec.label}: a line is too long (at most "
                                  f"{MAX_ITEM} characters)")
    return _required(spec, items)


def check_record(kind: RecordKind, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every problem with a record's fields at once, keyed by field, plus the clean values.

    Fields not given take their empty value (or default).
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in raw:
        if name not in kind.names:
            errors[name] = f"a {kind.noun} has no field {name!r}"
    for spec in kind.fields:
        try:
            values[spec.name] = parse_field(spec, raw.get(spec.name))
        except ValidationError as exc:
            errors[spec.name] = exc.message
    for field, message in _cross_checks(kind, values).items():
        errors.setdefault(field, message)
    return values, errors


def clean_record(kind: RecordKind, raw: dict[str, Any]) -> dict[str, Any]:
    """The clean values, or the first problem as a ValidationError."""
    values, errors = check_record(kind, raw)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(field, message)
    return values


def _cross_checks(kind: RecordKind, values: dict[str, Any]) -> dict[str, str]:
    """Rules between fields of one record."""
    if kind.key == "license":
        start, end = values.get("contract_start"), values.get("contract_end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            return {"contract_end": "Contract end is before the contract start"}
    return {}


def record_warnings(kind: RecordKind, values: dict[str, Any]) -> dict[str, str]:
    """What looks wrong but may be true, by field: said next to it, never refused."""
    if kind.key == "license":
        bought, used = values.get("seats_bought"), values.get("seats_used")
        if isinstance(bought, int) and isinstance(used, int) and used > bought:
            return {"seats_used": f"More seats used ({used:,}) than bought ({bought:,}): "
                                  "saved as typed, worth a word with the customer"}
    return {}


# -- to and from the database --------------------------------------------------------------


def to_column(spec: FieldSpec, value: Any) -> Any:
    """How a clean value is kept in its column: lists as JSON text."""
    if spec.type is FieldType.LIST:
        return json.dumps(list(value or []), ensure_ascii=False)
    return value


def from_column(spec: FieldSpec, value: Any) -> Any:
    if spec.type is FieldType.LIST:
        try:
            items = json.loads(value or "[]")
        except (ValueError, RecursionError):  # nested beyond reason: not ours
            return []
        return [str(item) for item in items] if isinstance(items, list) else []
    if spec.type is FieldType.BOOL:
        return bool(value)
    if value is None and spec.type not in (FieldType.INT, FieldType.MONEY, FieldType.DATE):
        return spec.empty()
    return value
