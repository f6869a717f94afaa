"""The checks every new handoff passes, shared by the form, the CLI and the CSV import."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum

from transfer_tui.cleantext import clean, one_line
from transfer_tui.dates import in_range, out_of_range, parse_iso
from transfer_tui.domain import Mode, same_person
from transfer_tui.limits import MAX_KEY, MAX_NAME
from transfer_tui.store.errors import ValidationError


class Unset(Enum):
    """A keyword argument not given: None is a value of its own (no date)."""

    UNSET = "unset"


UNSET = Unset.UNSET


def clean_name(value: str, field: str, label: str) -> str:
    """Names and accounts are one line: refuse empty, multi-line or overlong ones. Control
    characters (escape sequences, a stray tab) are left out, as every screen and export
    would leave them out anyway: what is saved is what everyone sees."""
    text = clean(value).replace("\t", " ").strip()
    if not text:
        raise ValidationError(field, f"{label} is required")
    if any(ch in text for ch in "\r\n"):
        raise ValidationError(field, f"{label} must fit on one line")
    if len(text) > MAX_NAME:
        raise ValidationError(field, f"{label} is too long (at most {MAX_NAME} characters)")
    return text


def parse_date(value: str | date | None, field: str, label: str) -> date | None:
    """ISO dates (YYYY-MM-DD) only, the one format no one reads two ways, within the
    range of dates transfer-tui keeps (:mod:`transfer_tui.dates`)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str):
        raise ValidationError(field, f"{label} must be a date written YYYY-MM-DD")
    else:
        text = value.strip()
        if not text:
            return None
        try:
            day = parse_iso(text)
        except ValueError:
            raise ValidationError(field, f"{label} {one_line(text, 40)!r} is not a date: "
                                  "write YYYY-MM-DD, e.g. 2026-12-31") from None
    if not in_range(day):
        raise ValidationError(field, out_of_range(label, day))
    return day


def check_new_handoff(
    account: str,
    outgoing: str,
    incoming: str,
    target_date: str | date | None = None,
    mode: str | Mode = Mode.DIRECT,
    renewal_date: str | date | None = None,
    account_id: str | None = None,
) -> tuple[dict, dict[str, str]]:
    """Every problem with a new handoff's fields at once, keyed by field, plus the clean values."""
    values: dict = {}
    errors: dict[str, str] = {}
    try:
        values["account_id"] = clean_account_id(account_id)
    except ValidationError as exc:
        errors["account_id"] = exc.message
    for field, label, raw in (
        ("account", "Account", account),
        ("outgoing", "Outgoing CSM", outgoing),
        ("incoming", "Incoming CSM", incoming),
    ):
        try:
            values[field] = clean_name(raw, field, label)
        except ValidationError as exc:
            errors[field] = exc.message
    if "outgoing" in values and "incoming" in values and same_person(values["outgoing"],
                                                                      values["incoming"]):
        errors["incoming"] = "Incoming and outgoing must be different people"
    for field, label, day in (("target_date", "Target date", target_date),
                              ("renewal_date", "Renewal date", renewal_date)):
        try:
            values[field] = parse_date(day, field, label)
        except ValidationError as exc:
            errors[field] = exc.message
    try:
        values["mode"] = Mode(mode).value
    except ValueError:
        errors["mode"] = f"Transition mode must be direct or shadowing, not {mode!r}"
    return values, errors


_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")


def clean_account_id(raw: str | None) -> str:
    """The account's stable id (a CRM id such as 0015g00000AbCdE), or '' when not given:
    then the account is known by its name."""
    text = (raw or "").strip()
    if not text:
        return ""
    if len(text) > MAX_KEY or not _ACCOUNT_ID.match(text):
        raise ValidationError("account_id", f"Account id {one_line(text, 40)!r} must be at "
                              f"most {MAX_KEY} letters, digits and . _ : / -, e.g. a CRM id")
    return text


def account_key(account: str, account_id: str = "") -> str:
    """How an account is matched across handoffs: its id when it has one, else its name
    with case and spacing ignored."""
    if account_id:
        return "id:" + account_id.casefold()
    return "name:" + " ".join(account.split()).casefold()


def typed_date(text: str) -> date | None:
    """A date field as typed so far: the date once it is one, else None (the warnings
    look at each key press; refusing is for the save)."""
    try:
        return parse_date(text, "date", "Date")
    except ValidationError:
        return None


def handoff_warnings(target_date: date | None, today: date) -> dict[str, str]:
    """What looks wrong in a handoff's dates but may be true, by field: said next to the
    field as it is typed, never refused (a late handoff gets recorded as late)."""
    if target_date is not None and target_date < today:
        return {"target_date": f"{target_date.isoformat()} is in the past: saved as typed, "
                               "the handoff shows as late"}
    return {}
