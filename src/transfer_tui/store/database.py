"""The database, its connections and transactions: a file (the default) or a server.

Two ways in, one database: a plain connection that is ready at once (file checks,
migrations, the home screen's summary, change detection) and a SQLAlchemy engine,
created on first use, for everything that works with model objects. On a file both
get the same settings from :func:`.connection.connect`; on a server (team mode) both
come from :class:`.engines.postgres.ServerLink`, and the plain SQL runs unchanged
through :class:`.engines.raw.ServerRaw`.

Waiting for someone else's save is bounded, and ends in one clear BusyError
("busy", never "damaged"): a read waits at most BUSY_TIMEOUT_MS, a save at most
WRITE_ATTEMPTS times that (about 15 s: its BEGIN and its COMMIT are each retried),
and the file watch (:meth:`Database.changed_elsewhere`, polled every second) at
most POLL_WAIT_MS, so it never holds anything up. Every call may wait, so screens
run them in workers and say "waiting" meanwhile; :data:`MAX_WAIT_S` is the
longest any one call waits.
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

from transfer_tui.cleantext import clean, one_line
from transfer_tui.limits import MAX_NAME
from transfer_tui.store import connection
from transfer_tui.store.connection import (
    BUSY_TIMEOUT_MS,
    EMPTY,
    EXISTING,
    MISSING,
    busy_message,
    can_write,
    check_path,
    connect,
    is_busy,
    is_stuck_journal,
    stuck_message,
)
from transfer_tui.store.engines.url import is_server, looks_like_url, redact
from transfer_tui.store.errors import (
    BusyError,
    DatabaseFileError,
    ReadOnlyError,
    StoreError,
    UnreadableError,
    ValidationError,
)
from transfer_tui.store.give_way import giving_way
from transfer_tui.store.opening import QUICK_CHECK_BYTES, first_problem, open_checked

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from transfer_tui.store.engines.postgres import ServerLink
    from transfer_tui.store.engines.raw import ServerRaw

    Raw = sqlite3.Connection | ServerRaw

WRITE_ATTEMPTS = 3
#: The background check gives way to saves; tried this many times, this far apart.
CHECK_TRIES = 6
CHECK_PAUSE_S = 30.0
SAVING, EXITING = "saving", "exiting"  # why a check was cut short
POLL_WAIT_MS = 100
MAX_WAIT_S = WRITE_ATTEMPTS * BUSY_TIMEOUT_MS / 1000 + 0.6  # plus the pauses between tries
#: What reading a value of the wrong type raises (a hand-edited file): one line, not a crash.
UNREADABLE = (ValueError, TypeError, OverflowError)


def person_name(user: str) -> str:
    """Who makes the changes (--as), as every change records it: one line, at most
    MAX_NAME characters (a longer one is refused: it would be in every event)."""
    name = " ".join(clean(user).split()) or "me"
    if len(name) > MAX_NAME:
        raise ValidationError("user", f"Your name (--as) is too long (at most {MAX_NAME} "
                              "characters)")
    return name


def utcnow() -> datetime:
    """Aware UTC: how every time is stored; screens turn it into local time."""
    return datetime.now(UTC)


class Database:
    """An open transfer-tui database file and the person making changes."""

    def __init__(
        self,
        path: Path | str,
        user: str,
        *,
        readonly: bool = False,
        create: bool = True,
        clock: Callable[[], datetime] = utcnow,
    ):
        """``path``: a database file, or a server's ``postgresql://`` URL (team mode)."""
        self.user = person_name(user)
        self.now = clock
        self._lock = threading.RLock()
        self._local = threading.local()  # this thread's batch, if any (see batch)
        self._engine: Engine | None = None
        self._checks: dict[sqlite3.Connection, str] = {}  # checks running: why cut short
        self._checks_lock = threading.Lock()  # not _lock: a long read holds that one
        self._stop = threading.Event()  # interrupt() was called: the app is exiting
        self.server: ServerLink | None = None
        self.path: Path | None = None  # the file; None on a server
        self.where = ""  # what messages call the database: the path, or the redacted URL
        if looks_like_url(path):
            self._open_server(str(path), readonly=readonly, create=create)
            return
        self.path = Path(path).expanduser()
        self.where = str(self.path)
        state = check_path(self.path)
        if state == EMPTY and not create:
            raise DatabaseFileError(f"{self.path} is an empty file, not a transfer-tui "
                                    "database yet (a command that saves, such as new, makes "
                                    "it one)")
        if state == MISSING and not create:
            raise DatabaseFileError(f"{self.path} does not exist")
        is_new = state != EXISTING
        if is_new:
            self._create_folder()
        self.readonly = readonly or not can_write(self.path)
        if is_new and self.readonly:
            raise DatabaseFileError(f"cannot create {self.path}: the folder is read-only")
        self._conn, self.migrated_from = open_checked(self.path, is_new=is_new,
                                                      readonly=self.readonly)
        self._seen_version = self.data_version()

    def _open_server(self, url: str, *, readonly: bool, create: bool) -> None:
        from transfer_tui.store.engines.postgres import ServerLink

        if not is_server(url):
            raise DatabaseFileError(f"{redact(url)}: transfer-tui opens a database file or a "
                                    "PostgreSQL server (postgresql://...), nothing else")
        self.server = ServerLink(url, create=create and not readonly, upgrade=not readonly)
        if not self.server.me.admin:  # you are your login: the team's rules check it too
            self.user = person_name(self.server.me.shown)
        self.where = self.server.where
        self.readonly = readonly
        self.migrated_from = self.server.migrated_from
        self._seen_version = 0

    @property
    def named_by_server(self) -> bool:
        """Whether who you are is the server's to say (a CSM's login on a team server), not
        ``--as``'s: see README "Who you are"."""
        return self.server is not None and not self.server.me.admin

    def claims_someone_else(self, name: str) -> bool:
        """Whether ``name`` (``--as``) would be someone other than this server login: its
        display name or the login itself is you; on a file, or as an administrator, any
        name is."""
        from transfer_tui.store.handoffs import same_person

        if not self.named_by_server:
            return False
        assert self.server is not None
        return not (same_person(name, self.user) or same_person(name, self.server.me.login))

    @property
    def target(self) -> str:
        """What opens this database again (another process): the path, or the server's
        URL as given. Not for showing: a URL may hold a password (show ``where``)."""
        return self.server.url if self.server is not None else str(self.path)

    def _create_folder(self) -> None:
        assert self.path is not None  # a file, not a server
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseFileError(
                f"cannot create the folder {self.path.parent}: {exc.strerror or exc}"
            ) from None

    @property
    def needs_background_check(self) -> bool:
        """Too big to check on every open (see QUICK_CHECK_BYTES): check after first paint.
        A server looks after its own pages."""
        if self.path is None:
            return False
        try:
            return self.path.stat().st_size > QUICK_CHECK_BYTES
        except OSError:
            return False

    def verify(self) -> str | None:
        """``PRAGMA quick_check`` on a connection of its own: None, or the first problem.

        It gives way to every save (see :mod:`.give_way`): one that begins meanwhile
        cuts it short, and that is BusyError (check again later), as is a busy file;
        neither is a problem found. Cut short by :meth:`interrupt` (the app exits), it
        says nothing: None.
        """
        if self.path is None or self._stop.is_set():
            return None
        try:
            conn = connect(self.path, readonly=True)
        except sqlite3.DatabaseError as exc:
            raise _translate(exc, self.where, "reading") from None
        with self._checks_lock:
            if self._stop.is_set():  # the app began to exit while this one was connecting
                conn.close()
                return None
            self._checks[conn] = ""
        try:
            with giving_way(self.path, lambda: self._cut_short(conn), self._stop):
                try:
                    problem = first_problem(conn, quick=True)
                except sqlite3.DatabaseError as exc:
                    if is_busy(exc) or is_stuck_journal(exc):
                        raise _translate(exc, self.where, "reading") from None
                    problem = str(exc)
            why = self._checks[conn]  # a check cut short may have seen half the file
            if why == SAVING:
                raise BusyError(busy_message(self.path))
            return None if why else problem
        finally:
            with self._checks_lock:
                del self._checks[conn]
                conn.close()

    def verify_in_background(self, *, tries: int = CHECK_TRIES,
                             pause: float = CHECK_PAUSE_S) -> str | None:
        """:meth:`verify` for a check nobody waits for: when it gives way to a save (or
        the file is busy) it is tried again after ``pause`` seconds, ``tries`` times in
        all, then left for the next start. None unless a problem was found."""
        for attempt in range(tries):
            if attempt and self._stop.wait(pause):
                return None  # the app is exiting
            try:
                return self.verify()
            except BusyError:
                continue
        return None

    def _cut_short(self, conn: sqlite3.Connection) -> None:
        """A save began (or the app is exiting: then interrupt() said so already)."""
        with self._checks_lock:
            if conn in self._checks:
                self._checks[conn] = self._checks[conn] or SAVING
                conn.interrupt()

    def interrupt(self) -> None:
        """Stop every read in progress now: the app is exiting and would otherwise wait for
        them (an integrity check of a big file takes seconds). A check cut short reports
        nothing; a read cut short raises StoreError. Safe from any thread, at any time.
        A check that has not begun yet never will."""
        with self._checks_lock:
            self._stop.set()
            for conn in self._checks:
                self._checks[conn] = EXITING
                conn.interrupt()
        if self.server is None:
            self._conn.interrupt()
        else:
            self.server.interrupt()

    @property
    def reconnects(self) -> int:
        """How many times a connection the server dropped was replaced (0 on a file)."""
        return self.server.reconnects if self.server is not None else 0

    # -- plain SQL: start-up path and change detection -----------------------------------

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = (), *,
              lenient: bool = False) -> list[tuple]:
        """Read rows on the quick connection (no SQLAlchemy). ``lenient``: text that is
        not UTF-8 reads with replacement characters instead of failing."""
        with self.reading_plain(lenient=lenient) as raw:
            return list(raw.execute(sql, params).fetchall())

    @contextmanager
    def reading_plain(self, *, lenient: bool = False) -> Iterator[Raw]:
        """One read transaction on the quick connection (no SQLAlchemy): several plain
        queries that see the database as of one moment, such as a whole handoff for export."""
        batch = self._batch_session()
        if batch is not None:
            yield driver(batch)
            return
        if self.server is not None:
            with self.server.snapshot() as raw:
                yield raw
            return
        with self._lock:
            if lenient:
                self._conn.text_factory = _lenient_text
            try:
                self._conn.execute("BEGIN")
                try:
                    yield self._conn
                finally:
                    self._conn.execute("COMMIT")  # nothing was written: ends the read
            except (sqlite3.DatabaseError, *UNREADABLE) as exc:
                raise _translate(exc, self.where, "reading") from None
            finally:
                self._conn.text_factory = str

    def data_version(self) -> int:
        """Changes whenever another connection commits: cheap to poll (the file)."""
        with self._lock:
            try:
                return self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                raise _translate(exc, self.where, "reading") from None

    def listen(self) -> None:
        """Be told of others' saves from now on (see :meth:`changed_elsewhere`): on a
        server a connection of its own, opened only by what watches (the app), so a
        command holds one connection less; a file needs nothing."""
        if self.server is not None:
            self.server.listen()

    def changed_elsewhere(self) -> bool:
        """Whether someone else saved since we last asked (or since our own last save).

        On a server, the server says so (LISTEN/NOTIFY; see
        :mod:`.engines.postgres`). On a file: our own saves go through other
        connections, so they move ``data_version`` too; :meth:`writing` notes the
        value after each of them. A commit by someone else that lands between our
        commit and that note is not missed: every screen reloads after its own
        save, which reads it.

        Waits at most POLL_WAIT_MS for a file someone is writing (BusyError then:
        the next poll asks again), so a long import never stalls the watch.
        """
        if self.server is not None:  # the first look starts listening (see listen)
            return self.server.changed_elsewhere()
        with self._lock:
            self._conn.execute(f"PRAGMA busy_timeout = {POLL_WAIT_MS}")
            try:
                current = self.data_version()
            finally:
                self._conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
            changed = current != self._seen_version
            self._seen_version = current
            return changed

    def close(self) -> None:
        with self._lock:
            if self.server is not None:
                self.server.close()
                return
            self._conn.close()
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # -- SQLAlchemy sessions -----------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self.server is not None:
            return self.server.engine
        if self._engine is None:  # imported before the lock: a third of a second (and more
            import sqlalchemy  # noqa: F401  on a busy machine) that would hold up close()
        with self._lock:
            if self._engine is None:
                self._engine = self._make_engine()
            return self._engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine, event
        from sqlalchemy.pool import QueuePool

        assert self.path is not None
        path, readonly = self.path, self.readonly
        engine = create_engine(  # a pool of file connections, not one per thread
            "sqlite://", creator=lambda: connect(path, readonly=readonly),
            poolclass=QueuePool, pool_size=2, max_overflow=8,
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

        batch = self._batch_session()
        if batch is not None:
            batch.flush()
            batch.expunge_all()  # fresh objects, as a new session would read them
            yield batch
            return
        try:
            with self.engine.connect() as conn, Session(bind=conn, expire_on_commit=False) as s:
                if self.server is not None:  # one snapshot for every query of the read
                    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, "
                                         "READ ONLY")
                yield s
        except Exception as exc:
            raise _translate(exc, self.where, "reading", self.server) from None

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction, begun IMMEDIATE so no other writer can slip in between
        our read and our write; committed at the end, rolled back on any error.

        Every event logged inside shares one change id (``session.info``): the
        unit that undo takes back.
        """
        if self.readonly:
            raise ReadOnlyError(f"{self.where} is open read-only: nothing was changed")
        from transfer_tui.store.models import new_id

        batch = self._batch_session()
        if batch is not None:  # one change of a batch: a savepoint in its transaction
            outer_change = batch.info.get("change_id")
            batch.info["change_id"] = new_id()
            try:
                batch.flush()
                batch.expunge_all()  # plain SQL may have changed rows: read them afresh
                with batch.begin_nested():
                    yield batch
                    batch.flush()
            finally:
                batch.info["change_id"] = outer_change
            return
        with self._transaction() as session:
            session.info["change_id"] = new_id()
            yield session

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One write transaction, rolled back on any error: BEGIN IMMEDIATE ... COMMIT on a
        pooled file connection, or the server's write lock (see :mod:`.engines.postgres`).

        Every write of the store comes through here, knowing who writes (``self.user``):
        the one place a server's roles and row security will hook in.
        """
        if self.readonly:
            raise ReadOnlyError(f"{self.where} is open read-only: nothing was changed")
        from sqlmodel import Session

        if self.server is not None:
            with (self.server.write_connection() as conn,
                  Session(bind=conn, expire_on_commit=False) as session):
                session.info["user"] = self.user
                yield session
                session.flush()
            return
        with self.retry(self.engine.connect) as conn:  # a new connection reads the schema
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            transaction = self.retry(conn.begin)
            try:
                with Session(bind=conn, expire_on_commit=False) as session:
                    session.info["user"] = self.user
                    yield session
                    session.flush()
                driver = conn.connection.driver_connection
                self.retry(lambda: driver.execute("COMMIT"))  # retried at the driver level
                transaction.commit()  # SQLAlchemy's bookkeeping; SQLite has committed
            except BaseException as exc:
                if transaction.is_active:
                    transaction.rollback()
                raise _translate(exc, self.where, "saving to") from None
        self.saw_own_save()

    def saw_own_save(self) -> None:
        """Our own save moved the file's data_version: not someone else's change (see
        :meth:`changed_elsewhere`)."""
        with self._lock:
            self._seen_version = self.data_version()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many store calls as ONE transaction: every change they make is saved at the
        end, or none is (a kill, a crash or an error half-way leaves the file as it was).

        Each call inside is still its own change (its own change id, for undo) and
        reads what the batch has written so far; calls from other threads are not
        part of it. A batch inside a batch is the same batch.
        """
        if self._batch_session() is not None:
            yield
            return
        with self._transaction() as session:
            self._local.session = session
            try:
                yield
            finally:
                self._local.session = None

    def _batch_session(self) -> Session | None:
        return getattr(self._local, "session", None)

    def retry(self, step: Callable[[], Any]) -> Any:
        """BEGIN IMMEDIATE or COMMIT: wait (busy timeout), retry, then give up clearly.

        A COMMIT that finds the file busy leaves the transaction open, so trying
        it again is safe; readers holding the file only delay it.
        """
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return step()
            except Exception as exc:
                if _is_locked(exc) and attempt < WRITE_ATTEMPTS - 1:
                    time.sleep(0.1 * (attempt + 1))
                    continue
                raise _translate(exc, self.where, "saving to") from None
        raise AssertionError("unreachable")


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def driver(session: Session, *, flush: bool = True) -> Raw:
    """The connection under a session, inside its transaction, for the store's plain SQL:
    the sqlite3 connection on a file, a :class:`.engines.raw.ServerRaw` on a server.
    ``flush=False``: SQL that does not read what the session holds (an event insert)."""
    if flush:
        session.flush()
    conn = session.connection()
    found = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        from transfer_tui.store.engines.raw import ServerRaw

        return ServerRaw(found)
    return found  # type: ignore[return-value]


def _translate(exc: BaseException, where: object, doing: str,
               server: ServerLink | None = None) -> BaseException:
    """Turn driver errors into one-line store errors; leave our own errors as they are."""
    if isinstance(exc, StoreError) or not isinstance(exc, Exception):
        return exc
    from transfer_tui.store.engines.postgres import is_driver_error, server_error

    if server is not None and is_driver_error(exc):
        return server_error(exc, server.url, doing)
    path = where
    orig = getattr(exc, "orig", exc)
    if "Could not decode to UTF-8" in str(orig) or (
            doing == "reading" and isinstance(exc, UNREADABLE)):
        # a value the models cannot read (a date of "garbage", text that is not UTF-8)
        return UnreadableError(f"{path} holds values transfer-tui cannot read "
                               f"({one_line(str(orig), 120)}); run transfer-tui check on it")
    if _is_locked(exc):
        return BusyError(busy_message(path, saving=doing != "reading"))  # type: ignore[arg-type]
    if is_stuck_journal(getattr(exc, "orig", exc)):
        return DatabaseFileError(stuck_message(path))  # type: ignore[arg-type]
    if _is_readonly(exc):
        return ReadOnlyError(f"{path} is read-only: nothing was changed")
    if isinstance(exc, OverflowError):  # an int beyond SQLite's 64 bits: validation missed it
        return StoreError(f"{doing} {path} failed: a number is too large to store"
                          + ("; nothing was changed" if doing != "reading" else ""))
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.Error):
        return StoreError(f"{doing} {path} failed: {orig}")
    return exc


def _is_locked(exc: BaseException) -> bool:
    return is_busy(getattr(exc, "orig", exc))


def _is_readonly(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "readonly" in str(orig).replace(" ", "")
