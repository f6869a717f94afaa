"""What every stored value must be for the app to read it: each column's type and rules,
per table, built from the rules the forms use (names, dates, choices, records' fields).

Files come from other people (a share file edited by hand, a database someone poked
with the sqlite3 shell), so a value may be of the wrong type ("garbage" for a date, an
account stored as a blob), outside the range the app keeps, or not UTF-8 at all.
``merge`` refuses a file holding one, naming table, row and column; ``check`` finds
them in a database; the export refuses to build from them. Readers never crash on
them either way (see :mod:`.summary`).

A record's fields are checked from its kind's declaration (type, choices, limits, as
its form checks them); only the columns no kind declares are listed here: a record's
bookkeeping (as :class:`.record_models.RecordRow`) and the handoff, task and event
columns, whose limits and choices live in :mod:`transfer_tui.limits` and
:mod:`transfer_tui.domain` rather than in a field declaration. A test checks that these
lists name every column of their table and take NULL exactly where it does.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from transfer_tui.cleantext import one_line
from transfer_tui.dates import FIRST_DAY, LAST_DAY, read_day
from transfer_tui.domain import HandoffState, Mode, Owner, Status
from transfer_tui.limits import (
    MAX_KEY,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_NOTE,
    MAX_REASON,
    MAX_TEXT,
    MAX_VERSION,
    WHOLE_LIMIT,
)
from transfer_tui.records.fields import FieldType
from transfer_tui.records.kinds import KIND_BY_KEY, KINDS, RecordKind
from transfer_tui.store import rows
from transfer_tui.store.errors import UnreadableError, ValidationError
from transfer_tui.store.record_values import check_record
from transfer_tui.store.validate import clean_account_id, parse_date

#: A column's rule: what is wrong with a value, or None. With ``strict`` (merge, check) it
#: refuses what a form would refuse; without (a reader) only what the app cannot read at
#: all (a date of "garbage", binary data for text, an unknown state), so a file holding,
#: say, a date outside the range still opens and exports.
Rule = Callable[[Any, bool], "str | None"]
MAX_EVENT_VALUE = 1_000_000  # an event's old/new: a whole row as JSON, notes included
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}"
                     r"(:[0-9]{2}(\.[0-9]{1,6})?)?$")


class NotUtf8:
    """A TEXT value whose bytes are not UTF-8 (Python cannot even read it as text)."""

    def __repr__(self) -> str:
        return "text that is not UTF-8"


def _what(value: Any) -> str:
    if isinstance(value, NotUtf8):
        return "text that is not UTF-8"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, bool | int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    return repr(one_line(str(value), 30))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not bidi marks: 0.1.0 kept them


def text(limit: int, *, required: bool = False, single: bool = False,
         nullable: bool = False) -> Rule:
    """``single``: one line with no control character, as every one-line input keeps it."""
    def rule(value: Any, strict: bool = True) -> str | None:
        if value is None:
            return None if nullable else "is missing"
        if not isinstance(value, str):
            return f"is {_what(value)}, not text"
        if not strict:
            return None
        if required and not value.strip():
            return "is empty"
        if single and ("\n" in value or "\r" in value):
            return "must fit on one line"
        if single and _CONTROL.search(value):
            return "has a control character in it (such as an escape)"
        if len(value) > limit:
            return f"is too long ({len(value):,} characters; at most {limit:,})"
        return None
    return rule


def whole(low: int, high: int, *, nullable: bool = False) -> Rule:
    def rule(value: Any, strict: bool = True) -> str | None:
        if value is None:
            return None if nullable else "is missing"
        if not isinstance(value, int) or isinstance(value, bool):
            return f"is {_what(value)}, not a whole number"
        if strict and not low <= value <= high:
            return f"is {value}, not between {low:,} and {high:,}"
        return None
    return rule


def choice(values: tuple[str, ...], *, nullable: bool = False) -> Rule:
    def rule(value: Any, strict: bool = True) -> str | None:
        if value is None and nullable:
            return None
        if value not in values:
            return f"is {_what(value)}, not one of: {', '.join(values)}"
        return None
    return rule


def day(value: Any, strict: bool = True) -> str | None:
    """NULL or a date the forms take (YYYY-MM-DD, within the range); a reader takes any
    date Python can read (the date arithmetic is safe for them all)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"is {_what(value)}, not a date"
    if not strict:
        return None if read_day(value) else f"is {_what(value)}, not a date"
    return _day_text(value)


@lru_cache(maxsize=4096)  # a handoff's tasks share a few dates: an export checks thousands
def _day_text(value: str) -> str | None:
    try:
        parse_date(value, "", "the date")
    except ValidationError as exc:
        return exc.message.removeprefix("the date ")
    return None


def moment(*, nullable: bool = False) -> Rule:
    """A time as the store writes it: YYYY-MM-DD HH:MM:SS.ffffff, UTC, within the range."""
    def rule(value: Any, strict: bool = True) -> str | None:
        if value is None:
            return None if nullable else "is missing"
        if not isinstance(value, str):
            return f"is {_what(value)}, not a time (YYYY-MM-DD HH:MM:SS)"
        return _moment_text(value)
    return rule


@lru_cache(maxsize=4096)
def _moment_text(value: str) -> str | None:
    if not _MOMENT.match(value):
        return f"is {_what(value)}, not a time (YYYY-MM-DD HH:MM:SS)"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return f"is {_what(value)}, not a time (YYYY-MM-DD HH:MM:SS)"
    if not FIRST_DAY <= stamp.date() <= LAST_DAY:
        return f"is {_what(value)}, outside the dates transfer-tui keeps"
    return None


def identifier(*, nullable: bool = False) -> Rule:
    def rule(value: Any, strict: bool = True) -> str | None:
        if value is None:
            return None if nullable else "is missing"
        if not isinstance(value, str):
            return f"is {_what(value)}, not an id"
        if strict and (not _ID.match(value) or len(value) > MAX_KEY):
            return f"is {_what(value)}, not an id"
        return None
    return rule


def json_object(value: Any, strict: bool = True) -> str | None:
    if not isinstance(value, str):
        return f"is {_what(value)}, not JSON text"
    if not strict:
        return None  # read as no roles
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return "is not JSON"
    return None if isinstance(parsed, dict) else "is not a JSON object"


def due_rule(value: Any, strict: bool = True) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"is {_what(value)}, not a due-date rule"
    return _due_rule_text(value) if strict else None  # a reader skips a rule it cannot read


@lru_cache(maxsize=1024)  # every handoff made from one playbook has the same rules
def _due_rule_text(value: str) -> str | None:
    from transfer_tui.playbooks.model import RelativeDate

    try:
        RelativeDate.parse(value)
    except ValueError:
        return f"is {_what(value)}, not a due-date rule such as target-7d"
    return None


def ready_rules(value: Any, strict: bool = True) -> str | None:
    """A handoff's readiness rules: JSON the playbook checker reads as a ``[[ready]]`` list."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"is {_what(value)}, not readiness rules"
    if not strict:  # a reader takes rules that do not read as none: they stop nobody
        return None
    from transfer_tui.playbooks.checker import read_ready_rules

    _rules, problems = read_ready_rules(value)
    return f"holds readiness rules that do not read ({problems[0]})" if problems else None


NAME = text(MAX_NAME, required=True, single=True)
MAYBE_NAME = text(MAX_NAME, single=True, nullable=True)
COUNT = whole(0, WHOLE_LIMIT)
VERSION = whole(1, WHOLE_LIMIT)
KIND_KEYS = tuple(kind.key for kind in KINDS)

def account_id(value: Any, strict: bool = True) -> str | None:
    """An account id as ``new --account-id`` takes it (a CRM id), or empty."""
    if (problem := text(MAX_KEY, single=True)(value, strict)) or not strict:
        return problem
    try:
        if clean_account_id(value) != value:
            return "has spaces around it"
    except ValidationError:
        return f"is {_what(value)}: at most {MAX_KEY} letters, digits and . _ : / -"
    return None


HANDOFF_RULES: dict[str, Rule] = {
    "id": identifier(), "account": NAME, "outgoing": NAME, "incoming": NAME,
    "target_date": day, "renewal_date": day, "mode": choice(tuple(Mode)),
    "playbook_id": text(MAX_KEY, required=True, single=True),
    "playbook_name": text(MAX_NAME, single=True), "playbook_version": whole(1, MAX_VERSION),
    "created_at": moment(), "created_by": NAME, "updated_at": moment(), "updated_by": NAME,
    "version": VERSION, "tasks_total": COUNT, "tasks_done": COUNT, "tasks_blocked": COUNT,
    "state": choice(tuple(HandoffState)),
    "handed_over_at": moment(nullable=True), "handed_over_by": MAYBE_NAME,
    "accepted_at": moment(nullable=True), "accepted_by": MAYBE_NAME,
    "rejected_at": moment(nullable=True), "rejected_by": MAYBE_NAME,
    "rejection_reason": text(MAX_REASON, nullable=True),
    "promises_total": COUNT, "promises_fulfilled": COUNT,
    "account_id": account_id, "ready_rules": ready_rules,
    "outgoing_label": text(MAX_NAME, single=True), "incoming_label": text(MAX_NAME, single=True),
}
TASK_RULES: dict[str, Rule] = {
    "id": identifier(), "handoff_id": identifier(), "position": COUNT,
    "section_key": text(MAX_KEY, required=True, single=True),
    "section_title": text(MAX_TEXT, single=True),
    "key": text(MAX_KEY, required=True, single=True), "title": text(MAX_TEXT, single=True),
    "guidance": text(MAX_LONG_TEXT), "status": choice(tuple(Status)),
    "owner": choice(tuple(Owner)), "note": text(MAX_NOTE), "due_date": day,
    "record_kind": choice(KIND_KEYS, nullable=True), "raci": json_object,
    "due_rule": due_rule, "changed_at": moment(), "changed_by": NAME, "version": VERSION,
}
EVENT_RULES: dict[str, Rule] = {
    "id": identifier(), "change_id": identifier(nullable=True),
    "undoes": identifier(nullable=True), "handoff_id": identifier(nullable=True),
    "entity": identifier(), "entity_id": identifier(),  # a table: any with a handoff_id
    "field": text(MAX_KEY, required=True, single=True),
    "old": text(MAX_EVENT_VALUE, nullable=True), "new": text(MAX_EVENT_VALUE, nullable=True),
    "actor": NAME, "at": moment(),
}
RECORD_RULES: dict[str, Rule] = {
    "id": identifier(), "handoff_id": identifier(), "version": VERSION,
    "created_at": moment(), "created_by": NAME, "changed_at": moment(), "changed_by": NAME,
    "verified_at": moment(nullable=True), "verified_by": MAYBE_NAME,
}
_STORED_TYPE: dict[FieldType, tuple[type, ...]] = {
    FieldType.INT: (int, type(None)), FieldType.MONEY: (int, type(None)),
    FieldType.DATE: (str, type(None)), FieldType.BOOL: (int,),
}


@dataclass(frozen=True)
class RowProblem:
    """One value the app cannot read: where it is and what is wrong with it."""

    table: str
    row_id: str
    column: str
    message: str
    unreadable: bool = True  # False: the app reads it, but a form would refuse it

    def __str__(self) -> str:
        return f"{self.table} {self.row_id} {self.column}: {self.message}"


def _row_name(table: str, row: rows.Row) -> str:
    """A handoff by its short id, as the list shows it; any other row by its whole id
    (tasks and events made together share their first characters: see
    :func:`.models.ordered_id`)."""
    row_id = row.get("id")
    if not isinstance(row_id, str) or not _ID.match(row_id):
        return "(bad id)"
    return row_id[:8] if table == rows.HANDOFF else row_id


def problems_in(table: str, row: rows.Row, *, strict: bool = True) -> list[RowProblem]:
    """Every value of one row the app could not read, or (``strict``) a form would refuse."""
    name = _row_name(table, row)
    if table in KIND_BY_KEY:
        return _record_problems(KIND_BY_KEY[table], row, name, strict)
    rules = {rows.HANDOFF: HANDOFF_RULES, "task": TASK_RULES, rows.EVENT: EVENT_RULES
             }.get(table, {})
    return [RowProblem(table, name, column, message,
                       not strict or rule(row[column], False) is not None)
            for column, rule in rules.items()
            if column in row and (message := rule(row[column], strict))]


def _record_problems(kind: RecordKind, row: rows.Row, name: str,
                     strict: bool) -> list[RowProblem]:
    found = [RowProblem(kind.key, name, column, message,
                        not strict or rule(row[column], False) is not None)
             for column, rule in RECORD_RULES.items()
             if column in row and (message := rule(row[column], strict))]
    values: dict[str, Any] = {}
    for spec in kind.fields:
        if spec.name not in row:
            continue
        value = row[spec.name]
        wanted = _STORED_TYPE.get(spec.type, (str,))
        if not isinstance(value, wanted) or isinstance(value, bool) or (
                spec.type is FieldType.DATE and day(value, False)):
            found.append(RowProblem(kind.key, name, spec.name,
                                    f"is {_what(value)}, not what a {kind.noun} keeps there"))
            continue
        if not strict:
            continue
        if spec.type is FieldType.BOOL and value not in (0, 1):
            found.append(RowProblem(kind.key, name, spec.name, f"is {value}, not yes or no",
                                    False))
            continue
        if spec.type is FieldType.CHOICE and value and value not in spec.values:
            found.append(RowProblem(kind.key, name, spec.name, f"is {_what(value)}, not one "
                                    f"of: {', '.join(spec.values)}", False))
            continue
        if spec.type is FieldType.LIST:
            try:
                value = json.loads(str(value))
            except (ValueError, RecursionError):
                value = None
            if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
                found.append(RowProblem(kind.key, name, spec.name, "is not a list of lines",
                                        False))
                continue
        values[spec.name] = bool(value) if spec.type is FieldType.BOOL else value
    if not strict:
        return found
    bad = {problem.column for problem in found}
    _, errors = check_record(kind, values)
    found += [RowProblem(kind.key, name, field, message, False)
              for field, message in errors.items() if field not in bad and field in row]
    return found


def read_rows(conn: sqlite3.Connection, table: str, where: str = "",
              params: tuple = ()) -> Iterator[rows.Row]:
    """Every row of ``table`` as stored, even text that is not UTF-8 (as :class:`NotUtf8`)
    and blobs (as bytes), which a plain query could not even return."""
    columns = list(rows.table_columns(conn, table))
    selected = ", ".join(f"typeof({rows.quote(c)}), {rows.quote(c)}" for c in columns)
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        cursor = conn.execute(f"SELECT {selected} FROM {rows.quote(table)} {where}", params)
        for values in cursor:
            row: rows.Row = {}
            for index, column in enumerate(columns):
                kind, value = values[2 * index], values[2 * index + 1]
                if kind == b"text":  # typeof() is text too, hence bytes here
                    try:
                        value = value.decode("utf-8")
                    except UnicodeDecodeError:
                        value = NotUtf8()
                row[column] = value
            yield row
    finally:
        conn.text_factory = previous


def file_problems(conn: sqlite3.Connection, handoff_ids: list[str] | None = None,
                  limit: int = 20) -> list[RowProblem]:
    """The first ``limit`` values the app cannot read, in every table it reads (or only
    in the rows of the given handoffs and their events)."""
    found: list[RowProblem] = []
    tables = [t for t in (*rows.handoff_tables(conn), rows.EVENT)
              if t in (rows.HANDOFF, "task", rows.EVENT) or t in KIND_BY_KEY]
    for table in tables:
        owner = rows.owner_column(table) if table != rows.EVENT else "handoff_id"
        wheres = ([("", ())] if handoff_ids is None else
                  [(f"WHERE {rows.quote(owner)} = ?", (h,)) for h in handoff_ids])
        for where, params in wheres:
            for row in read_rows(conn, table, where, params):
                found += problems_in(table, row)
                if len(found) >= limit:
                    return found[:limit]
    return found


def refuse_unreadable(path: object, problems: list[RowProblem]) -> None:
    """Stop a read that would build on values the app cannot read, with one line."""
    if problems:
        raise UnreadableError(f"{path} holds values transfer-tui cannot read: "
                              f"{describe(problems)}; run transfer-tui check on it")


def describe(problems: list[RowProblem], shown: int = 3) -> str:
    """The first problems on one line: table, row, column and what is wrong."""
    text = "; ".join(str(p) for p in problems[:shown])
    more = len(problems) - shown
    return text + (f" (and {more} more)" if more > 0 else "")
