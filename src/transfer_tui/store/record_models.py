"""SQLModel classes for the record tables, one per record kind.

Whole numbers that may pass 2**31 (seats, cents) are BIGINT: SQLite's integers are
64-bit anyway, a server's INTEGER is not.

Kept explicit (not generated from :mod:`transfer_tui.records.kinds`) so the
schema is readable here; a test checks that these classes, the migrated tables
and the kind declarations agree. Imported only when records are read or written.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, false
from sqlmodel import Field, SQLModel

from transfer_tui.store.models import new_id


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


class License(RecordRow, table=True):
    __tablename__ = "license"

    plan: str = ""
    seats_bought: int | None = Field(default=None, sa_type=BigInteger)
    seats_used: int | None = Field(default=None, sa_type=BigInteger)
    contract_value: int | None = Field(default=None, sa_type=BigInteger)  # cents
    value_basis: str = ""
    currency: str = ""
    billing: str = ""
    contract_start: date | None = None
    contract_end: date | None = None
    renewal_date: date | None = None
    notes: str = ""


class Channel(RecordRow, table=True):
    __tablename__ = "channel"

    kind: str = ""
    address: str = ""
    purpose: str = ""
    is_primary: bool = False


class HealthEntry(RecordRow, table=True):
    __tablename__ = "health"

    day: date | None = None
    score: int | None = None
    colour: str = ""
    comment: str = ""


class Objective(RecordRow, table=True):
    __tablename__ = "objective"

    objective: str = ""
    metric: str = ""
    baseline: str = ""
    target: str = ""
    due_date: date | None = None
    owner: str = ""
    status: str = ""


class Ticket(RecordRow, table=True):
    __tablename__ = "ticket"

    reference: str = ""
    title: str = ""
    severity: str = ""
    status: str = ""
    cc: bool = False


class CadenceCall(RecordRow, table=True):
    __tablename__ = "cadence"

    name: str = ""
    cadence: str = ""
    day_time: str = ""
    attendees: str = "[]"  # JSON list
    lead: str = ""
    takeover_date: date | None = None
    agenda_link: str = ""


class Stakeholder(RecordRow, table=True):
    __tablename__ = "stakeholder"

    name: str = ""
    job_title: str = ""
    # Server defaults as the file's ALTER TABLE ... DEFAULT: a row written by plain SQL
    # (copy, merge, an older client) without these columns is still valid on a server.
    email: str = Field(default="", sa_column_kwargs={"server_default": ""})
    phone: str = Field(default="", sa_column_kwargs={"server_default": ""})
    sponsor: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    primary_contact: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    style: str = Field(default="", sa_column_kwargs={"server_default": ""})
    introduced_on: date | None = None
    role: str = ""
    disposition: str = ""
    preferred_contact: str = ""
    personal_win: str = ""
    notes: str = ""


class Promise(RecordRow, table=True):
    __tablename__ = "promise"

    promise: str = ""
    made_to: str = ""
    made_when: str = ""
    explicit: str = ""
    status: str = ""
    owner: str = ""


class Risk(RecordRow, table=True):
    __tablename__ = "risk"

    risk: str = ""
    category: str = ""
    severity: str = ""
    signal: str = ""
    mitigation: str = ""
    owner: str = ""


class KeyDate(RecordRow, table=True):
    __tablename__ = "key_date"

    name: str = ""
    day: date | None = None
    notes: str = ""


class Product(RecordRow, table=True):
    __tablename__ = "product"

    name: str = ""
    status: str = ""
    vendor: str = ""
    details: str = ""
    notes: str = ""


class Opportunity(RecordRow, table=True):
    __tablename__ = "opportunity"

    name: str = ""
    kind: str = ""
    value: int | None = Field(default=None, sa_type=BigInteger)  # cents
    value_basis: str = ""
    currency: str = ""
    stage: str = ""
    expected_close: date | None = None
    interest: str = ""
    trigger_event: str = ""
    owner: str = ""
    notes: str = ""


class FeatureRequest(RecordRow, table=True):
    __tablename__ = "feature_request"

    title: str = ""
    link: str = ""
    status: str = ""
    priority: str = ""
    asked_by: str = ""
    notes: str = ""


class Environment(RecordRow, table=True):
    __tablename__ = "environment"

    name: str = ""
    hosting: str = ""
    location: str = ""
    product_version: str = ""
    identity_provider: str = ""
    integrations: str = "[]"  # JSON list
    quirks: str = ""
    docs_link: str = ""


class Document(RecordRow, table=True):
    __tablename__ = "document"

    title: str = ""
    kind: str = ""
    link: str = ""
    day: date | None = None
    notes: str = ""


#: The table class of each record kind, by kind key (= table name).
MODELS: dict[str, type[RecordRow]] = {
    model.__tablename__: model  # type: ignore[misc]
    for model in (License, Product, Channel, HealthEntry, Objective, Opportunity, Ticket,
                  FeatureRequest, Environment, CadenceCall, Stakeholder, Promise, Risk,
                  KeyDate, Document)
}
BOOKKEEPING = tuple(RecordRow.model_fields)
