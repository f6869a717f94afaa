"""Team mode: the store on a PostgreSQL server, through psycopg 3 and SQLAlchemy 2.

What the server does differently from the file, and why:

- Writers take one transaction-scoped advisory lock (:data:`WRITE_LOCK`) first:
  the same one-writer-at-a-time that ``BEGIN IMMEDIATE`` gives the file, so every
  read-check-write rule (versions, sign-off gaps, duplicate accounts on import)
  holds unchanged, and no deadlock or serialization failure can reach a person.
  Waiting for it is bounded (``lock_timeout``) and ends in BusyError.
- "Changed elsewhere" comes from the server: every save ends with
  ``pg_notify`` on :data:`CHANNEL`, and each open app LISTENs on a connection of
  its own, so a colleague's save is seen on the next look, with no query.
- A connection the server dropped (restart, ``pg_terminate_backend``) is
  replaced: the pool tests connections before use, reads are tried once more on
  a new connection, and a save cut off says so in one line (nothing was saved).
- Passwords come from wherever libpq finds them (the URL, ``PGPASSWORD``,
  ``~/.pgpass``, a service file); no message ever shows the URL but redacted.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from transfer_tui.cleantext import one_line
from transfer_tui.store.engines.raw import ServerRaw
from transfer_tui.store.engines.url import driver_url, libpq_url, redact, server_place
from transfer_tui.store.errors import BusyError, DatabaseFileError, StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

CHANNEL = "transfer_tui_changes"
WRITE_LOCK = 0x54524654  # "TRFT": one writer at a time, as on the file
MIGRATE_LOCK = WRITE_LOCK + 1  # two first starters never both create the schema
CONNECT_TIMEOUT_S = 5
LOCK_TIMEOUT = "15s"  # as long as a save waits for the file (see database.MAX_WAIT_S)
T = TypeVar("T")


def connect_args() -> dict[str, Any]:
    """What every connection gets: UTC (times are stored in UTC, as on the file), a name
    the server shows in pg_stat_activity, and a bounded wait for an unreachable server."""
    return {"connect_timeout": CONNECT_TIMEOUT_S, "options": "-c TimeZone=UTC",
            "application_name": "transfer-tui"}


def connect(url: str) -> Any:
    """A psycopg connection of our own (autocommit): the quick reads and the LISTEN."""
    import psycopg

    try:
        return psycopg.connect(libpq_url(url), autocommit=True, **connect_args())
    except (psycopg.Error, ValueError) as exc:
        raise server_error(exc, url, "connecting to") from None


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine

    try:
        return create_engine(driver_url(url), pool_pre_ping=True, pool_size=2,
                             max_overflow=8, connect_args=connect_args())
    except Exception as exc:  # a URL SQLAlchemy cannot read
        raise server_error(exc, url, "connecting to") from None


def is_driver_error(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    return type(orig).__module__.startswith("psycopg")


def server_error(exc: BaseException, url: str, doing: str) -> StoreError:
    """One line for a person: the server out of reach, busy, or what it said; never the
    password, whatever the message held."""
    if isinstance(exc, StoreError):
        return exc
    orig = getattr(exc, "orig", exc)
    where, place = redact(url), server_place(url)
    text = _clean(str(orig), url)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    unchanged = "; nothing was changed" if doing == "saving to" else ""
    if sqlstate == "55P03" or "lock timeout" in text:
        return BusyError(f"the server at {place} is busy: someone else is saving a big "
                         f"change{unchanged}; try again in a moment")
    if sqlstate == "3D000" or ("does not exist" in text and "database" in text):
        return DatabaseFileError(f"the server at {place} has no such database ({text}): "
                                 "create it first (see Team mode in the README)")
    if sqlstate.startswith("28") or "authentication" in text or "password" in text:
        return DatabaseFileError(f"the server at {place} refused {where}: {text}")
    if _is_disconnect(orig) or sqlstate.startswith("08") or sqlstate in ("57P01", "57P02",
                                                                          "57P03"):
        if doing == "connecting to":
            return StoreError(f"cannot reach the server at {place}: {text}")
        return StoreError(f"lost the connection to the server at {place}{unchanged}: try "
                          "again (the app reconnects)")
    if isinstance(exc, ValueError) or (type(orig).__name__ in ("ArgumentError",
                                                             "ProgrammingError") and (
            doing == "connecting to")):
        return DatabaseFileError(f"{where} is not a server address transfer-tui can use: "
                                 f"{text}")
    return StoreError(f"{doing} the server at {place} failed: {text}{unchanged}")


def _is_disconnect(orig: BaseException) -> bool:
    name = type(orig).__name__
    text = str(orig).lower()
    return name in ("OperationalError", "InterfaceError", "AdminShutdown") and any(
        phrase in text for phrase in ("connection", "terminat", "server closed", "closed",
                                      "refused", "timeout", "could not", "no route"))


def _clean(text: str, url: str) -> str:
    """The driver's message on one line, with any secret of the URL taken out."""
    from urllib.parse import urlsplit

    line = one_line(" ".join(text.replace("\n", " ").split()), 200)
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    if secret:
        line = line.replace(secret, "***")
    return line


class ServerLink:
    """An open server: the quick connection (reads, no ORM), the LISTEN connection, the
    SQLAlchemy engine for sessions, and the schema check on open."""

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        self.where = redact(url)
        self.place = server_place(url)
        self.token = uuid.uuid4().hex  # our own saves' notifications carry it
        self.lock = threading.RLock()
        self.reconnects = 0  # connections replaced after the server dropped them
        self._engine: Engine | None = None
        self._quick = connect(url)
        try:
            self.migrated_from = self._ensure_schema(create)
            self._listen = self._listening()
        except BaseException:
            self._quick.close()
            raise

    def _ensure_schema(self, create: bool) -> int | None:
        """The latest schema, created or upgraded in one transaction; the version it had
        (None when new or already the latest)."""
        from transfer_tui.store import migrations
        from transfer_tui.store.engines import server_schema

        try:
            current = server_schema.version(self._quick)
            if current == migrations.LATEST:
                return None
            server_schema.check(current, self.where, create)
            with self.engine.begin() as conn:
                before = server_schema.migrate(conn, self.where, create=create)
        except StoreError:
            raise
        except Exception as exc:
            raise server_error(exc, self.url, "setting up") from None
        return before or None

    # -- plain reads on the quick connection -----------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[ServerRaw]:
        """One read-only snapshot on the quick connection. A connection the server
        dropped (a restart, ``pg_terminate_backend``) is found when the read begins,
        before anything was read: it is replaced and the read goes on."""
        import psycopg

        with self.lock:
            raw = self._begin_read()
            try:
                yield raw
            except psycopg.Error as exc:
                self._end_read(rollback=True)
                raise server_error(exc, self.url, "reading") from None
            except BaseException:
                self._end_read(rollback=True)
                raise
            self._end_read()

    def _begin_read(self) -> ServerRaw:
        import psycopg

        for attempt in (1, 2):
            try:
                if self._quick.closed or self._quick.broken:
                    raise psycopg.OperationalError("the connection was closed")
                raw = ServerRaw(self._quick)
                raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                return raw
            except psycopg.OperationalError as exc:
                if attempt == 2:
                    raise server_error(exc, self.url, "reading") from None
                self._quick.close()
                self._quick = connect(self.url)
                self.reconnects += 1
        raise AssertionError("unreachable")

    def _end_read(self, *, rollback: bool = False) -> None:
        if self._quick.closed or self._quick.broken:
            return
        try:
            self._quick.execute("ROLLBACK" if rollback else "COMMIT")
        except Exception:
            if not rollback:
                raise

    # -- change notification ----------------------------------------------------------------

    def _listening(self) -> Any:
        conn = connect(self.url)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def changed_elsewhere(self) -> bool:
        """Whether another app saved since we last asked: the server told us (no query).
        A dropped LISTEN connection is replaced, and counts as changed (we may have
        missed a notification meanwhile)."""
        import psycopg

        with self.lock:
            try:
                notes = list(self._listen.notifies(timeout=0))
            except psycopg.Error:
                try:
                    self._listen.close()
                    self._listen = self._listening()
                except StoreError:
                    raise
                self.reconnects += 1
                return True
        return any(note.payload != self.token for note in notes)

    # -- sessions ---------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        with self.lock:
            if self._engine is None:
                self._engine = make_engine(self.url)
            return self._engine

    @contextmanager
    def write_connection(self) -> Iterator[Any]:
        """A pooled connection in a write transaction holding the write lock; commits
        with a notification to every listening app, or rolls back on any error."""
        try:
            conn = self.engine.connect()
        except Exception as exc:
            raise server_error(exc, self.url, "saving to") from None
        try:
            transaction = conn.begin()
            try:
                conn.exec_driver_sql("SELECT set_config('lock_timeout', %s, true), "
                                     "pg_advisory_xact_lock(%s)", (LOCK_TIMEOUT, WRITE_LOCK))
                yield conn
                conn.exec_driver_sql("SELECT pg_notify(%s, %s)", (CHANNEL, self.token))
                transaction.commit()
            except BaseException as exc:
                if transaction.is_active:
                    try:
                        transaction.rollback()
                    except Exception:
                        pass  # the connection is gone: the server rolled it back
                raise server_error(exc, self.url, "saving to") if isinstance(
                    exc, Exception) and is_driver_error(exc) else exc from None
        finally:
            conn.close()

    def interrupt(self) -> None:
        """Cancel the read running on the quick connection, if any (the app is exiting)."""
        if self.lock.acquire(blocking=False):  # nothing is reading: nothing to cancel
            self.lock.release()
            return
        try:
            self._quick.cancel_safe(timeout=0.5)
        except Exception:
            pass  # nothing running, or the connection is gone: nothing to cancel

    def close(self, *, wait: bool = True) -> None:
        """Close every connection; ``wait=False``: not if a read still holds them (the
        process is ending, which closes them anyway), rather than wait for it."""
        if not self.lock.acquire(timeout=-1 if wait else 0.2):
            return
        try:
            for conn in (self._quick, self._listen):
                try:
                    conn.close()
                except Exception:
                    pass
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
        finally:
            self.lock.release()
