"""The database file, its connections and transactions.

Two ways in, one file: a plain ``sqlite3`` connection that is ready at once
(file checks, migrations, the home screen's summary, change detection) and a
SQLAlchemy engine, created on first use, for everything that works with model
objects. Both get the same settings from :func:`.connection.connect`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transfer_tui.store import migrations
from transfer_tui.store.connection import can_write, check_path, connect
from transfer_tui.store.errors import (
    BusyError,
    DatabaseFileError,
    ReadOnlyError,
    StoreError,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

_WRITE_RETRIES = 3


def utcnow() -> datetime:
    """Aware UTC: how every time is stored; screens turn it into local time."""
    return datetime.now(UTC)


class Database:
    """An open transfer-tui database file and the person making changes."""

    def __init__(
        self,
        path: Path,
        user: str,
        *,
        readonly: bool = False,
        create: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ):
        self.path = Path(path).expanduser()
        self.user = " ".join(user.split()) or "me"
        self.now = clock
        self._lock = threading.RLock()
        self._engine: Engine | None = None
        is_new = check_path(self.path)
        if is_new and not create:
            raise DatabaseFileError(f"{self.path} does not exist")
        if is_new:
            self._create_folder()
        self.readonly = readonly or not can_write(self.path)
        if is_new and self.readonly:
            raise DatabaseFileError(f"cannot create {self.path}: the folder is read-only")
        self.migrated_from: int | None = None
        self._conn = self._open_checked(is_new)

    def _create_folder(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseFileError(
                f"cannot create the folder {self.path.parent}: {exc.strerror or exc}"
            ) from None

    def _open_checked(self, is_new: bool) -> sqlite3.Connection:
        if is_new:
            try:
                sqlite3.connect(self.path).close()
            except sqlite3.Error as exc:
                raise DatabaseFileError(f"cannot create {self.path}: {exc}") from None
        try:
            conn = connect(self.path, readonly=True)
            version = migrations.schema_version(conn)
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            ).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DatabaseFileError(f"{self.path} is damaged or not a database ({exc})") from None
        if version == 0 and tables:
            conn.close()
            raise DatabaseFileError(
                f"{self.path} is another program's SQLite database, not a transfer-tui one"
            )
        if version > migrations.LATEST:
            conn.close()
            raise DatabaseFileError(
                f"{self.path} was made by a newer transfer-tui (schema {version}; this one "
                f"reads up to {migrations.LATEST}): upgrade transfer-tui to open it"
            )
        if version < migrations.LATEST:
            conn.close()
            if self.readonly:
                raise DatabaseFileError(
                    f"{self.path} needs an upgrade (schema {version} to {migrations.LATEST}) "
                    "but is read-only"
                )
            conn = connect(self.path)
            try:
                self.migrated_from = migrations.migrate(conn, None if is_new else self.path)
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise DatabaseFileError(f"{self.path} could not be upgraded: {exc}") from None
            if is_new:
                self.migrated_from = None
            conn.close()
            conn = connect(self.path, readonly=True)
        if not self.readonly:
            conn.close()
            conn = connect(self.path)
        return conn

    # -- plain sqlite3: start-up path and change detection -------------------------------

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[tuple]:
        """Read rows on the quick connection (no SQLAlchemy)."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"reading {self.path} failed: {exc}") from None

    def data_version(self) -> int:
        """Changes whenever another connection commits: cheap to poll."""
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # -- SQLAlchemy sessions -----------------------------------------------------------

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._make_engine()
            return self._engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine, event

        readonly = self.readonly
        engine = create_engine(
            "sqlite://", creator=lambda: connect(self.path, readonly=readonly)
        )

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:  # the driver is in autocommit: we say how to begin
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A consistent snapshot for reads; objects stay usable after it ends."""
        from sqlmodel import Session

        try:
            with self.engine.connect() as conn, Session(bind=conn, expire_on_commit=False) as s:
                yield s
        except Exception as exc:
            raise _translate(exc, self.path, "reading") from None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction, begun IMMEDIATE so no other writer can slip in between
        our read and our write; committed at the end, rolled back on any error."""
        if self.readonly:
            raise ReadOnlyError(f"{self.path} is open read-only: nothing was changed")
        from sqlmodel import Session

        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            transaction = self._begin(conn)
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    yield session
                    session.flush()
                transaction.commit()
            except BaseException as exc:
                if transaction.is_active:
                    transaction.rollback()
                raise _translate(exc, self.path, "saving to") from None

    def _begin(self, conn: Any) -> Any:
        """BEGIN IMMEDIATE, waiting (busy timeout) and retrying before giving up clearly."""
        for attempt in range(_WRITE_RETRIES):
            try:
                return conn.begin()
            except Exception as exc:
                if _is_locked(exc) and attempt < _WRITE_RETRIES - 1:
                    time.sleep(0.1 * (attempt + 1))
                    continue
                raise _translate(exc, self.path, "saving to") from None
        raise AssertionError("unreachable")


def _translate(exc: BaseException, path: Path, doing: str) -> BaseException:
    """Turn driver errors into one-line store errors; leave our own errors as they are."""
    if isinstance(exc, StoreError) or not isinstance(exc, Exception):
        return exc
    if _is_locked(exc):
        return BusyError(
            "the database is busy: someone else is saving a change; nothing was changed, "
            "try again in a moment"
        )
    if _is_readonly(exc):
        return ReadOnlyError(f"{path} is read-only: nothing was changed")
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.Error):
        return StoreError(f"{doing} {path} failed: {orig}")
    return exc


def _is_locked(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)


def _is_readonly(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "readonly" in str(orig).replace(" ", "")
