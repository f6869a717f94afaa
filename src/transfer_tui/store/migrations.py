"""Schema versions as numbered steps on ``PRAGMA user_version``.

Step N brings a database from version N-1 to N; a new file runs them all. All
the steps an upgrade needs run in one transaction with the version bump, so a
failure leaves the file byte for byte as it was. Before an existing file is
upgraded, a backup copy is written next to it with SQLite's backup API.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from transfer_tui.store.connection import APPLICATION_ID
from transfer_tui.store.errors import DatabaseFileError, StoreError

_STEP_1 = """
CREATE TABLE handoff (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    outgoing TEXT NOT NULL,
    incoming TEXT NOT NULL,
    target_date DATE,
    mode TEXT NOT NULL DEFAULT 'direct' CHECK (mode IN ('direct', 'shadowing')),
    playbook_id TEXT NOT NULL,
    playbook_name TEXT NOT NULL,
    playbook_version INTEGER NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL,
    created_by TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    updated_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    tasks_total INTEGER NOT NULL DEFAULT 0,
    tasks_done INTEGER NOT NULL DEFAULT 0,
    tasks_blocked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_handoff_created ON handoff (created_at);

CREATE TABLE task (
    id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section_key TEXT NOT NULL,
    section_title TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'todo'
        CHECK (status IN ('todo', 'in_progress', 'done', 'blocked', 'na')),
    owner TEXT NOT NULL DEFAULT 'both' CHECK (owner IN ('outgoing', 'incoming', 'both')),
    note TEXT NOT NULL DEFAULT '',
    due_date DATE,
    record_kind TEXT,
    raci TEXT NOT NULL DEFAULT '{}',
    changed_at DATETIME NOT NULL,
    changed_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_task_handoff ON task (handoff_id, position);

-- Progress figures kept on the handoff row, so the home screen reads one row per handoff.
CREATE TRIGGER task_counts_insert AFTER INSERT ON task BEGIN
    UPDATE handoff SET
        tasks_total = tasks_total + (NEW.status != 'na'),
        tasks_done = tasks_done + (NEW.status = 'done'),
        tasks_blocked = tasks_blocked + (NEW.status = 'blocked')
    WHERE id = NEW.handoff_id;
END;
CREATE TRIGGER task_counts_update AFTER UPDATE OF status ON task BEGIN
    UPDATE handoff SET
        tasks_total = tasks_total - (OLD.status != 'na') + (NEW.status != 'na'),
        tasks_done = tasks_done - (OLD.status = 'done') + (NEW.status = 'done'),
        tasks_blocked = tasks_blocked - (OLD.status = 'blocked') + (NEW.status = 'blocked')
    WHERE id = NEW.handoff_id;
END;
CREATE TRIGGER task_counts_delete AFTER DELETE ON task BEGIN
    UPDATE handoff SET
        tasks_total = tasks_total - (OLD.status != 'na'),
        tasks_done = tasks_done - (OLD.status = 'done'),
        tasks_blocked = tasks_blocked - (OLD.status = 'blocked')
    WHERE id = OLD.handoff_id;
END;

-- Every change, kept: who, when, old -> new. No foreign key, so history outlives a deletion.
CREATE TABLE event (
    id TEXT PRIMARY KEY,
    handoff_id TEXT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    actor TEXT NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX ix_event_handoff ON event (handoff_id, at);
CREATE INDEX ix_event_entity ON event (entity_id, at);
"""

_STEP_PLAYBOOKS = """
-- Due dates that follow their anchor: the rule a task was made with ("target-7d"), kept
-- until a person sets the task's due date by hand.
ALTER TABLE task ADD COLUMN due_rule TEXT;

-- The renewal date anchors rules like "renewal-90d".
ALTER TABLE handoff ADD COLUMN renewal_date DATE;

-- Sign-off by both sides: the outgoing CSM hands over, the incoming one accepts or rejects.
ALTER TABLE handoff ADD COLUMN state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('active', 'handed_over', 'accepted', 'rejected'));
ALTER TABLE handoff ADD COLUMN handed_over_at DATETIME;
ALTER TABLE handoff ADD COLUMN handed_over_by TEXT;
ALTER TABLE handoff ADD COLUMN accepted_at DATETIME;
ALTER TABLE handoff ADD COLUMN accepted_by TEXT;
ALTER TABLE handoff ADD COLUMN rejected_at DATETIME;
ALTER TABLE handoff ADD COLUMN rejected_by TEXT;
ALTER TABLE handoff ADD COLUMN rejection_reason TEXT;
CREATE INDEX ix_handoff_open ON handoff (account COLLATE NOCASE, state);
"""

_STEP_UNDO = """
-- One person's action (one key press, one store call) may change several fields or rows:
-- its events share a change id, so undo takes back exactly that action. An undo is itself
-- a change, whose events name the change they take back.
ALTER TABLE event ADD COLUMN change_id TEXT;
ALTER TABLE event ADD COLUMN undoes TEXT;
-- Release 0.1.0 saved each action's events with one timestamp: group them the same way.
UPDATE event SET change_id = (
    SELECT min(other.id) FROM event AS other
    WHERE other.entity_id = event.entity_id AND other.actor = event.actor
      AND other.at = event.at
);
CREATE INDEX ix_event_change ON event (change_id);
CREATE INDEX ix_event_undoes ON event (undoes) WHERE undoes IS NOT NULL;
"""

# Records: structured facts about the account, one table per kind, each keyed to its handoff.
# Every table ends with the same bookkeeping columns; promises also feed the progress figures.
_RECORD_COLUMNS = """
    version INTEGER NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL,
    created_by TEXT NOT NULL,
    changed_at DATETIME NOT NULL,
    changed_by TEXT NOT NULL,
    verified_at DATETIME,
    verified_by TEXT
"""
_OWNED = """id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,"""
_STEP_RECORDS = f"""
CREATE TABLE license (
    {_OWNED}
    plan TEXT NOT NULL DEFAULT '',
    seats_bought INTEGER,
    seats_used INTEGER,
    contract_value INTEGER,
    value_basis TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT '',
    billing TEXT NOT NULL DEFAULT '',
    contract_start DATE,
    contract_end DATE,
    renewal_date DATE,
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_license_handoff ON license (handoff_id, renewal_date);

CREATE TABLE channel (
    {_OWNED}
    kind TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    is_primary BOOLEAN NOT NULL DEFAULT 0,
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_channel_handoff ON channel (handoff_id);

CREATE TABLE health (
    {_OWNED}
    day DATE,
    score INTEGER,
    colour TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_health_handoff ON health (handoff_id, day);

CREATE TABLE objective (
    {_OWNED}
    objective TEXT NOT NULL DEFAULT '',
    metric TEXT NOT NULL DEFAULT '',
    baseline TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    due_date DATE,
    owner TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_objective_handoff ON objective (handoff_id);

CREATE TABLE ticket (
    {_OWNED}
    reference TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    cc BOOLEAN NOT NULL DEFAULT 0,
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_ticket_handoff ON ticket (handoff_id);

CREATE TABLE cadence (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    cadence TEXT NOT NULL DEFAULT '',
    day_time TEXT NOT NULL DEFAULT '',
    attendees TEXT NOT NULL DEFAULT '[]',
    lead TEXT NOT NULL DEFAULT '',
    takeover_date DATE,
    agenda_link TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_cadence_handoff ON cadence (handoff_id);

CREATE TABLE stakeholder (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    disposition TEXT NOT NULL DEFAULT '',
    preferred_contact TEXT NOT NULL DEFAULT '',
    personal_win TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_stakeholder_handoff ON stakeholder (handoff_id);

CREATE TABLE promise (
    {_OWNED}
    promise TEXT NOT NULL DEFAULT '',
    made_to TEXT NOT NULL DEFAULT '',
    made_when TEXT NOT NULL DEFAULT '',
    explicit TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_promise_handoff ON promise (handoff_id);

CREATE TABLE risk (
    {_OWNED}
    risk TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT '',
    signal TEXT NOT NULL DEFAULT '',
    mitigation TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_risk_handoff ON risk (handoff_id);

CREATE TABLE key_date (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    day DATE,
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_key_date_handoff ON key_date (handoff_id);

-- Pending and at-risk promises are open work: the handoff row counts them like tasks.
ALTER TABLE handoff ADD COLUMN promises_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE handoff ADD COLUMN promises_fulfilled INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER promise_counts_insert AFTER INSERT ON promise BEGIN
    UPDATE handoff SET
        promises_total = promises_total + 1,
        promises_fulfilled = promises_fulfilled + (NEW.status = 'fulfilled')
    WHERE id = NEW.handoff_id;
END;
CREATE TRIGGER promise_counts_update AFTER UPDATE OF status ON promise BEGIN
    UPDATE handoff SET
        promises_fulfilled = promises_fulfilled - (OLD.status = 'fulfilled')
            + (NEW.status = 'fulfilled')
    WHERE id = NEW.handoff_id;
END;
CREATE TRIGGER promise_counts_delete AFTER DELETE ON promise BEGIN
    UPDATE handoff SET
        promises_total = promises_total - 1,
        promises_fulfilled = promises_fulfilled - (OLD.status = 'fulfilled')
    WHERE id = OLD.handoff_id;
END;
"""

_STEP_HOME_INDEX = """
-- The home screen and `list` read every handoff in account order: one covering index in
-- that order holds every column they read, so SQLite walks it from start to end (a few
-- hundred compact pages) instead of visiting 10,000 rows scattered through the file and
-- sorting them. It also serves what ix_handoff_open did (its leading column is the same).
-- Every index is one more page written and synced on each save: undo finds a change's
-- events through ix_event_handoff (it knows the handoff), so ix_event_change goes.
DROP INDEX IF EXISTS ix_handoff_open;
DROP INDEX IF EXISTS ix_event_change;
CREATE INDEX ix_handoff_home ON handoff (
    account COLLATE NOCASE, created_at, id, outgoing, incoming, target_date, mode,
    tasks_done, promises_fulfilled, tasks_total, promises_total, tasks_blocked,
    updated_at, playbook_name, state, renewal_date
);
"""

_STEP_TASK_DUE = """
-- The lead's figures (Team view, `report`) count overdue tasks per handoff: this index
-- holds every column that count reads, in handoff order, so it is one walk through
-- compact pages with no sort, instead of reading 400,000 task rows (guidance and notes
-- included) from a file of a gigabyte. Plain CREATE INDEX: the same on PostgreSQL.
CREATE INDEX ix_task_due ON task (handoff_id, due_date, status, owner);
"""

_STEP_READY = """
-- The relationship: how to reach each stakeholder, who is the executive sponsor and the
-- primary contact, how they like to talk, and when they met the incoming CSM.
ALTER TABLE stakeholder ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE stakeholder ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE stakeholder ADD COLUMN sponsor BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE stakeholder ADD COLUMN primary_contact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE stakeholder ADD COLUMN style TEXT NOT NULL DEFAULT '';
ALTER TABLE stakeholder ADD COLUMN introduced_on DATE;
-- Accounts outlive handoffs: an optional stable id tells two accounts of one name apart
-- (blank: the account is known by its name); a new handoff of an account starts with the
-- records of its latest one.
ALTER TABLE handoff ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
-- The playbook's readiness rules, copied when the handoff is made (as its tasks are), as
-- JSON; NULL on handoffs made before: the built-in playbook of the same id says.
ALTER TABLE handoff ADD COLUMN ready_rules TEXT;
"""

_STEP_MORE_RECORDS = f"""
-- Five more record kinds from the source documents: what the customer bought (and did
-- not, and the competitors' products), room to grow, what they asked the product for,
-- where their instance runs, and where the documents are. Keyed to a handoff like the
-- others, so a later handoff of the account carries them over.
CREATE TABLE product (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    vendor TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_product_handoff ON product (handoff_id);

CREATE TABLE opportunity (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    value INTEGER,
    value_basis TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '',
    expected_close DATE,
    interest TEXT NOT NULL DEFAULT '',
    trigger_event TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_opportunity_handoff ON opportunity (handoff_id);

CREATE TABLE feature_request (
    {_OWNED}
    title TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    priority TEXT NOT NULL DEFAULT '',
    asked_by TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_feature_request_handoff ON feature_request (handoff_id);

CREATE TABLE environment (
    {_OWNED}
    name TEXT NOT NULL DEFAULT '',
    hosting TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    product_version TEXT NOT NULL DEFAULT '',
    identity_provider TEXT NOT NULL DEFAULT '',
    integrations TEXT NOT NULL DEFAULT '[]',
    quirks TEXT NOT NULL DEFAULT '',
    docs_link TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_environment_handoff ON environment (handoff_id);

CREATE TABLE document (
    {_OWNED}
    title TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    day DATE,
    notes TEXT NOT NULL DEFAULT '',
    {_RECORD_COLUMNS}
);
CREATE INDEX ix_document_handoff ON document (handoff_id);
"""

_STEP_LABELS = """
-- What the playbook calls each side ("Account Executive" -> "CSM"), copied when the
-- handoff is made as its tasks are; blank on handoffs made before: the built-in playbook
-- of the same id says, else "Outgoing CSM" and "Incoming CSM".
ALTER TABLE handoff ADD COLUMN outgoing_label TEXT NOT NULL DEFAULT '';
ALTER TABLE handoff ADD COLUMN incoming_label TEXT NOT NULL DEFAULT '';
"""

STEPS: list[tuple[str, str]] = [
    ("handoffs, tasks and their history", _STEP_1),
    ("playbook due-date rules, renewal date and two-sided sign-off", _STEP_PLAYBOOKS),
    ("changes grouped for undo", _STEP_UNDO),
    ("records about the account: license, channels, health, ... key dates", _STEP_RECORDS),
    ("a covering index for the list of handoffs, one index fewer on events", _STEP_HOME_INDEX),
    ("an index for counting overdue tasks per handoff (the Team view)", _STEP_TASK_DUE),
    ("stakeholder contacts and flags, account ids, readiness rules", _STEP_READY),
    ("records: products, opportunities, feature requests, tech environment, documents",
     _STEP_MORE_RECORDS),
    ("what the playbook calls each side, kept on the handoff", _STEP_LABELS),
]
#: The record tables each step adds: a server creates them from their models (see
#: :mod:`transfer_tui.store.engines.server_schema`), so each table is declared once there.
NEW_RECORD_TABLES: dict[int, tuple[str, ...]] = {
    8: ("product", "opportunity", "feature_request", "environment", "document"),
}
LATEST = len(STEPS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.name}.v{version}-backup")


def migrate(conn: sqlite3.Connection, path: Path | None) -> int:
    """Bring the database to :data:`LATEST`; return the version it had before.

    Under the write lock (``BEGIN IMMEDIATE``), so no one else writes meanwhile:
    the version is read again (another transfer-tui may have upgraded the file
    while we waited), a file that holds data gets a backup copy next to it,
    then every step runs in this ONE transaction, so a failure at any step rolls
    the file back to exactly what it was.
    """
    current = schema_version(conn)
    if current > LATEST:
        raise DatabaseFileError(
            f"{path} was made by a newer transfer-tui (schema {current}, this one knows "
            f"{LATEST}): upgrade transfer-tui to open it"
        )
    if current == LATEST:
        return current
    if current == 0:
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
        ).fetchone()[0]
        if tables:
            raise DatabaseFileError(f"{path} is a SQLite database of another program")
    conn.execute("PRAGMA foreign_keys = OFF")  # table rebuilds must not cascade
    conn.execute("BEGIN IMMEDIATE")
    number = 0
    try:
        start = schema_version(conn)
        if start >= LATEST:
            conn.execute("COMMIT")
            return start
        if start and path is not None:
            _backup_before_upgrade(path, start)
        for number in range(start + 1, LATEST + 1):
            _run_step(conn, number)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise sqlite3.IntegrityError(f"{len(problems)} rows point at missing rows")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {LATEST}")
        conn.execute("COMMIT")
    except StoreError:
        conn.execute("ROLLBACK")
        raise
    except Exception as exc:
        conn.execute("ROLLBACK")
        description = STEPS[number - 1][0] if number else "start"
        raise StoreError(f"upgrading {path or 'the database'} to schema {number} "
                         f"({description}) failed: {exc}; the file was left as it "
                         "was") from None
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return current


def _backup_before_upgrade(path: Path, version: int) -> None:
    """Copied through a second, read-only connection: ours holds the write lock, which
    keeps other writers out but lets readers (this copy) in."""
    reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        write_backup(reader, backup_path(path, version))
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"could not write a backup of {path} before upgrading it "
                         f"({exc}): the file was left as it was") from None
    finally:
        reader.close()


def _run_step(conn: sqlite3.Connection, number: int) -> None:
    for statement in step_statements(number):
        conn.execute(statement)


def step_statements(number: int) -> list[str]:
    """Step ``number``'s SQL, one statement each. From step 6 on, a step is written to run
    on both engines (a server runs it too: see :mod:`.engines.server_schema`)."""
    _description, sql = STEPS[number - 1]
    return [statement for statement in _split(sql) if statement.strip()]


def _split(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    if buffer.strip():
        statements.append(buffer)
    return statements


def write_backup(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy through SQLite's backup API, even while others write.

    Copied in one step (one read transaction, so writers wait a moment rather
    than restart the copy), into a temporary file renamed at the end: a copy cut
    short never carries the target's name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
        copy.close()
        os.replace(partial, target)
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    return target
