"""The schema on a server: created from the models (each table declared once, in
:mod:`transfer_tui.store.models` and :mod:`transfer_tui.store.record_models`), plus
what SQL must say per engine: the triggers that keep the progress figures on the
handoff row, and an insertion order (``rowid``, which SQLite rows have of themselves).

Versions: a one-row ``schema_version`` table plays ``PRAGMA user_version``. A server
schema starts at the file's version 5 (the first with team mode); every later step is
the file's own (:mod:`transfer_tui.store.migrations`, written to run on both engines)
and runs here, all of them and the version bump in ONE transaction, under an advisory
lock, so a step that fails leaves the schema as it was and two apps starting at once
never both migrate. A new database gets the latest tables at once (the steps' effects
are in the models and :data:`_INDEXES`).
"""

from __future__ import annotations

from typing import Any

from transfer_tui.store.errors import DatabaseFileError

FIRST_SERVER_VERSION = 5

_ORDERED = ("handoff", "task", "event")  # then every record table, from the models

_COUNTERS = """
CREATE FUNCTION transfer_tui_task_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE handoff SET
            tasks_total = tasks_total - (OLD.status <> 'na')::int,
            tasks_done = tasks_done - (OLD.status = 'done')::int,
            tasks_blocked = tasks_blocked - (OLD.status = 'blocked')::int
        WHERE id = OLD.handoff_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE handoff SET
            tasks_total = tasks_total + (NEW.status <> 'na')::int,
            tasks_done = tasks_done + (NEW.status = 'done')::int,
            tasks_blocked = tasks_blocked + (NEW.status = 'blocked')::int
        WHERE id = NEW.handoff_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER task_counts AFTER INSERT OR DELETE OR UPDATE OF status ON task
    FOR EACH ROW EXECUTE FUNCTION transfer_tui_task_counts();

CREATE FUNCTION transfer_tui_promise_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE handoff SET
            promises_total = promises_total - 1,
            promises_fulfilled = promises_fulfilled - (OLD.status = 'fulfilled')::int
        WHERE id = OLD.handoff_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE handoff SET
            promises_total = promises_total + 1,
            promises_fulfilled = promises_fulfilled + (NEW.status = 'fulfilled')::int
        WHERE id = NEW.handoff_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER promise_counts AFTER INSERT OR DELETE OR UPDATE OF status ON promise
    FOR EACH ROW EXECUTE FUNCTION transfer_tui_promise_counts();
"""

_INDEXES = """
CREATE INDEX ix_handoff_home ON handoff ((translate(account, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'abcdefghijklmnopqrstuvwxyz') COLLATE "C"), created_at, id COLLATE "C");
CREATE INDEX ix_task_handoff ON task (handoff_id, position);
CREATE INDEX ix_event_handoff ON event (handoff_id, at);
CREATE INDEX ix_event_entity ON event (entity_id, at);
CREATE INDEX ix_event_undoes ON event (undoes) WHERE undoes IS NOT NULL;
CREATE INDEX ix_license_renewal ON license (handoff_id, renewal_date);
CREATE INDEX ix_task_due ON task (handoff_id, due_date, status, owner);
"""

#: Indexes a server gained after its schema version last changed (the file needs none:
#: SQLite's rowid is its table's key). A new schema has them; an older one gets them at
#: the next start by an administrator (see :func:`late_indexes`), without a schema step,
#: which would make every file's user upgrade (and back up) a file for nothing.
LATE_INDEX_WAIT = "2s"  # see late_indexes
LATE_INDEXES = {
    # where the change log stands, and what changed since a mark (every start, every
    # colleague's save): without it both read every event (50,000 handoffs: 1.2 s)
    "ix_event_rowid": "CREATE INDEX IF NOT EXISTS ix_event_rowid ON event (rowid)",
    # an account's handoffs, by its id or its name's words in order (an export's account
    # history, a new handoff's records): without them every handoff was read (26 ms at
    # 50,000); text_pattern_ops lets the name's LIKE walk from its first word
    "ix_handoff_account": "CREATE INDEX IF NOT EXISTS ix_handoff_account ON handoff "
                          "(lower(account) text_pattern_ops)",
    "ix_handoff_account_id": "CREATE INDEX IF NOT EXISTS ix_handoff_account_id ON handoff "
                             "(lower(account_id))",
}


def _statements(script: str) -> list[str]:
    """Split on the blank-line-free ``;`` ends, keeping $$ bodies whole."""
    parts, buffer, quoted = [], "", False
    for line in script.splitlines(keepends=True):
        buffer += line
        quoted ^= line.count("$$") % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            parts.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        parts.append(buffer.strip())
    return parts


def create_tables(conn: Any) -> None:
    """Every table, index and trigger of the latest schema, inside the caller's
    transaction (``conn`` is a SQLAlchemy connection)."""
    from sqlmodel import SQLModel

    import transfer_tui.store.models  # noqa: F401 - the handoff, task and event tables
    from transfer_tui.store.record_models import MODELS

    SQLModel.metadata.create_all(conn)
    for table in _ORDERED:  # the order rows were added in, as SQLite keeps it
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN rowid BIGSERIAL')
    _record_tables_extras(conn, tuple(MODELS))
    for statement in [*_statements(_INDEXES + _COUNTERS), *LATE_INDEXES.values()]:
        conn.exec_driver_sql(statement)


def _record_tables_extras(conn: Any, tables: tuple[str, ...]) -> None:
    """What a record table has beyond its model: the insertion order and its index."""
    for table in tables:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN rowid BIGSERIAL')
        conn.exec_driver_sql(f'CREATE INDEX "ix_{table}_handoff" ON "{table}" (handoff_id)')


def _add_record_tables(conn: Any, tables: tuple[str, ...]) -> None:
    """A step that adds record tables: each made from its model, as a new schema makes it."""
    from sqlmodel import SQLModel

    from transfer_tui.store.record_models import MODELS

    SQLModel.metadata.create_all(conn, tables=[MODELS[t].__table__ for t in tables])  # type: ignore[attr-defined]
    _record_tables_extras(conn, tables)


def _step(conn: Any, number: int) -> None:
    """Step N brings a server from version N-1 to N, like the file's step N: a step that
    adds record tables makes them from their models (as a new schema does, so each
    table is declared once); any other runs the file's own SQL, written for both."""
    from transfer_tui.store import migrations

    tables = migrations.NEW_RECORD_TABLES.get(number)
    if tables:
        _add_record_tables(conn, tables)
        return
    for statement in migrations.step_statements(number):
        conn.exec_driver_sql(statement)


def version(conn: Any) -> int | None:
    """The schema version, 0 for an empty database; None when the database holds a
    ``handoff`` table that is not ours (another program's)."""
    found = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL, "
                         "to_regclass('handoff') IS NOT NULL").fetchone()
    ours, handoff = found
    if not ours:
        return None if handoff else 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def late_indexes(conn: Any, *, admin: bool) -> None:
    """Make the :data:`LATE_INDEXES` a schema lacks, on ``conn`` (psycopg, autocommit),
    one starter at a time. Only an administrator owns the tables; anyone else works on
    without them (slower, not wrong). So does an administrator whose index would wait
    more than LATE_INDEX_WAIT for a colleague's save still open (a transaction left open
    in psql): the start would wait without end, and every save behind it; the next
    start tries again."""
    import psycopg

    from transfer_tui.store.engines.postgres import MIGRATE_LOCK

    absent = {name for (name,) in conn.execute(  # one round trip, on every start
        "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL",
        (list(LATE_INDEXES),))}
    missing = [sql for name, sql in LATE_INDEXES.items() if name in absent]
    if not missing or not admin:
        return
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        conn.execute(f"SET lock_timeout = '{LATE_INDEX_WAIT}'")
        for sql in missing:
            conn.execute(sql)
    except psycopg.errors.LockNotAvailable:
        pass  # someone is saving: without the index for now
    finally:
        conn.execute("RESET lock_timeout")
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))


def check(current: int | None, where: str, create: bool, *, upgrade: bool = True) -> None:
    """Refuse what we must not touch: another program's tables, a newer schema, (when
    not asked to create) an empty database, or (opened read-only) an older schema."""
    from transfer_tui.store import migrations

    if current is None:
        raise DatabaseFileError(f"{where} holds a handoff table that is not transfer-tui's: "
                                "use an empty database")
    if current > migrations.LATEST:
        raise DatabaseFileError(f"{where} was made by a newer transfer-tui (schema {current}, "
                                f"this one knows {migrations.LATEST}): upgrade transfer-tui")
    if current == 0 and not create:
        raise DatabaseFileError(f"{where} holds no transfer-tui data yet: run transfer-tui "
                                "init-server on it first")
    if 0 < current < migrations.LATEST and not upgrade:
        raise DatabaseFileError(f"{where} has the older schema {current} (this transfer-tui "
                                f"uses {migrations.LATEST}) and is opened read-only: upgrade "
                                "it first with  transfer-tui init-server URL")


def migrate(conn: Any, where: str, *, create: bool = True, upgrade: bool = True
            ) -> int | None:
    """In ``conn``'s transaction (SQLAlchemy): take the migration lock, look again (another
    app may have done it meanwhile), then create or upgrade. Returns the version the
    schema had, None when there was nothing to do. A step that fails raises StoreError
    naming it; the caller's transaction then rolls every step back."""
    from transfer_tui.store import migrations
    from transfer_tui.store.engines.postgres import MIGRATE_LOCK
    from transfer_tui.store.errors import StoreError

    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
    current = version(conn.connection.driver_connection)
    if current == migrations.LATEST:
        return None
    check(current, where, create, upgrade=upgrade)
    assert current is not None  # check() refuses another program's tables
    if current == 0:
        create_tables(conn)
        conn.exec_driver_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.exec_driver_sql("INSERT INTO schema_version VALUES (%s)", (migrations.LATEST,))
        return 0
    if current < FIRST_SERVER_VERSION:
        raise DatabaseFileError(f"{where} has schema {current}, older than any server "
                                f"schema ({FIRST_SERVER_VERSION}): not made by transfer-tui")
    for number in range(current + 1, migrations.LATEST + 1):
        try:
            with conn.begin_nested():  # a savepoint: the step's own error, not a later one
                _step(conn, number)
        except Exception as exc:
            description = migrations.STEPS[number - 1][0]
            orig = getattr(exc, "orig", exc)
            raise StoreError(f"upgrading {where} to schema {number} ({description}) failed: "
                             f"{' '.join(str(orig).split())}; the database was left as it "
                             f"was (schema {current})") from None
    for sql in LATE_INDEXES.values():
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql("UPDATE schema_version SET version = %s", (migrations.LATEST,))
    return current
