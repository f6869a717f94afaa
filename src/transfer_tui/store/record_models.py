"""SQLModel classes for the record tables, made from the record kinds' declarations.

Each kind in :mod:`transfer_tui.records.kinds` becomes one table class: the
bookkeeping columns of :class:`RecordRow` plus one column per declared field, so
a field is declared once (its name, type and limits) and its column follows.
How a field type is stored:

- text of any kind (text, long text, choice, currency, email, link): ``str``, ``""``;
  a list is JSON text, ``"[]"``;
- a date: ``date | None``; a yes/no: ``bool``, ``False``;
- a whole number: ``int | None``, BIGINT when it may pass 2**31 (money in cents,
  seats: any number whose kind sets no lower maximum), since SQLite's integers
  are 64-bit anyway and a server's INTEGER is not.

A column that a later migration step added to an existing table (``ALTER TABLE
... ADD COLUMN ... NOT NULL DEFAULT``) also gets that default on a server, so a
row written by plain SQL (copy, merge, an older client) without it is still
valid there; the steps in :mod:`transfer_tui.store.migrations` say which.
Imported only when records are read or written.
"""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, false
from sqlmodel import Field, SQLModel

from transfer_tui.records.fields import FieldSpec, FieldType
from transfer_tui.records.kinds import KINDS, RecordKind
from transfer_tui.store import migrations
from transfer_tui.store.models import new_id

#: The largest whole number a server's INTEGER holds.
_INTEGER_MAX = 2**31 - 1


class RecordRow(SQLModel):
    """The columns every record has: who made it, who changed it, who verified it."""

    id: str = Field(default_factory=new_id, primary_key=True)
    handoff_id: str = Field(foreign_key="handoff.id")
    version: int = 1
    created_at: datetime
    created_by: str
    changed_at: datetime
    changed_by: str
    verified_at: datetime | None = None
    verified_by: str | None = None


def _added_later() -> set[tuple[str, str]]:
    """(table, column) of each record column a later step added with a NOT NULL default."""
    added = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+) \w+ NOT NULL DEFAULT", re.I)
    kinds = {kind.key for kind in KINDS}
    return {(table, column) for _, sql in migrations.STEPS
            for table, column in added.findall(sql) if table in kinds}


def _column(spec: FieldSpec, added_later: bool) -> tuple[Any, Any]:
    """The annotation and the default (a plain value or a ``Field``) of one field's column."""
    if spec.type is FieldType.DATE:
        return date | None, None
    if spec.type in (FieldType.INT, FieldType.MONEY):
        if spec.type is FieldType.MONEY or spec.highest > _INTEGER_MAX:
            return int | None, Field(default=None, sa_type=BigInteger)
        return int | None, None
    annotation: type = str
    empty: Any = "[]" if spec.type is FieldType.LIST else ""
    server_default: Any = ""
    if spec.type is FieldType.BOOL:
        annotation, empty, server_default = bool, False, false()
    if added_later:
        return annotation, Field(default=empty,
                                 sa_column_kwargs={"server_default": server_default})
    return annotation, empty


def _model(kind: RecordKind, added_later: set[tuple[str, str]]) -> type[RecordRow]:
    """The table class of one kind, named after its key (``key_date`` -> ``KeyDate``)."""
    namespace: dict[str, Any] = {"__tablename__": kind.key, "__module__": __name__,
                                 "__qualname__": "", "__annotations__": {}}
    for spec in kind.fields:
        annotation, default = _column(spec, (kind.key, spec.name) in added_later)
        namespace["__annotations__"][spec.name] = annotation
        namespace[spec.name] = default
    name = "".join(part.capitalize() for part in kind.key.split("_"))
    namespace["__qualname__"] = name
    model = types.new_class(name, (RecordRow,), {"table": True},
                            lambda body: body.update(namespace))
    return model


_ADDED_LATER = _added_later()
#: The table class of each record kind, by kind key (= table name), in the kinds' order.
MODELS: dict[str, type[RecordRow]] = {kind.key: _model(kind, _ADDED_LATER) for kind in KINDS}
#: The license table, which the store queries by column (the renewal date).
License = MODELS["license"]
BOOKKEEPING = tuple(RecordRow.model_fields)
