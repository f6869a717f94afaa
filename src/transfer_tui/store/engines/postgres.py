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
- Few connections: the LISTEN connection opens only when something listens (the
  app does, a command does not), and plain reads take a connection of their own
  only until SQLAlchemy's pool exists (the first save or ORM read), then share the
  pool's. A command or the load test's client holds one (fifty fit in a server's
  default ``max_connections`` of 100); the app two, three while a background read
  overlaps a save (the README says what fifty people with the app open need).
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
from transfer_tui.store.errors import BusyError, DatabaseFileError, RefusedError, StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from transfer_tui.store.people import Me

CHANNEL = "transfer_tui_changes"
WRITE_LOCK = 0x54524654  # "TRFT": one writer at a time, as on the file
MIGRATE_LOCK = WRITE_LOCK + 1  # two first starters never both create the schema
CONNECT_TIMEOUT_S = 5
LOCK_TIMEOUT = "15s"  # as long as a save waits for the file (see database.MAX_WAIT_S)
#: How long a copy's rewrite of the handoff table waits for colleagues' reads to end:
#: while it waits, every read of the table queues behind it (the whole team's list).
REWRITE_WAIT = "2s"
T = TypeVar("T")


def connect_args() -> dict[str, Any]:
    """What every connection gets: UTC (times are stored in UTC, as on the file), no JIT
    compiling (the whole list's query at 50,000 handoffs spent 55-157 ms compiling, more
    than any of our queries gains from it), a name the server shows in
    pg_stat_activity, and a bounded wait for an unreachable server."""
    return {"connect_timeout": CONNECT_TIMEOUT_S, "options": "-c TimeZone=UTC -c jit=off",
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
    if sqlstate == "42501":  # not yours to do: a GRANT the login lacks, or a team rule
        from transfer_tui.store.roles import refusal

        primary = getattr(getattr(orig, "diag", None), "message_primary", None) or text
        return RefusedError(refusal(_clean(primary, url), reading=doing != "saving to")
                            + unchanged)
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
    """An open server: the quick connection (plain reads before SQLAlchemy is loaded), the
    LISTEN connection (once something listens), the SQLAlchemy engine for sessions and,
    once it exists, plain reads too; and the schema check on open."""

    def __init__(self, url: str, *, create: bool = True, upgrade: bool = True):
        self.url = url
        self.where = redact(url)
        self.place = server_place(url)
        self.token = uuid.uuid4().hex  # our own saves' notifications carry it
        self.lock = threading.RLock()
        self.reconnects = 0  # connections replaced after the server dropped them
        self._engine: Engine | None = None
        self._listen: Any = None  # opened by listen()
        self._quick: Any = connect(url)  # closed once the engine's pool serves reads
        self._quick_reads = 0  # reads under way on it (nested in this thread)
        try:
            self.me = self._who()
            self.migrated_from = self._ensure_schema(create, upgrade)
        except BaseException:
            self.close()  # the quick connection, or the engine's pool if it came to that
            raise

    def _who(self) -> Me:
        """The login this connection is, its display name, whether it is an administrator."""
        from transfer_tui.store.people import me

        try:
            return me(ServerRaw(self._quick))
        except Exception as exc:
            raise server_error(exc, self.url, "connecting to") from None

    def _ensure_schema(self, create: bool, upgrade: bool) -> int | None:
        """The latest schema, created or upgraded in one transaction; the version it had
        (None when new or already the latest). Only an administrator (see
        :class:`~transfer_tui.store.people.Me`) creates or upgrades it, so the tables are
        owned by the administrator's role, never by whichever CSM opened the server first
        (the owner of the tables is not held by the team's rules). ``upgrade`` False
        (read-only): an older schema is refused, not changed."""
        from transfer_tui.store import migrations
        from transfer_tui.store.engines import server_schema

        try:
            with self.lock:
                current = server_schema.version(self._quick)
                if current == migrations.LATEST:
                    server_schema.late_indexes(self._quick, admin=self.me.admin)
                    return None
            server_schema.check(current, self.where, create, upgrade=upgrade)
            if not self.me.admin:
                state = "holds no transfer-tui data yet" if current == 0 else "needs an upgrade"
                raise DatabaseFileError(
                    f"{self.where} {state} and your login ({self.me.login}) may not set it "
                    f"up: ask your admin to run  transfer-tui init-server {self.where}")
            with self.engine.begin() as conn:
                before = server_schema.migrate(conn, self.where, create=create,
                                               upgrade=upgrade)
        except StoreError:
            raise
        except Exception as exc:
            raise server_error(exc, self.url, "setting up") from None
        return before or None

    # -- plain reads on the quick connection -----------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[ServerRaw]:
        """One read-only snapshot: on the quick connection until the engine exists, then
        on a connection of its pool. A connection the server dropped (a restart,
        ``pg_terminate_backend``) is found when the read begins, before anything was
        read: it is replaced and the read goes on."""
        import psycopg

        with self.lock:
            if self._engine is None:
                self._quick_reads += 1
                try:
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
                finally:
                    self._quick_reads -= 1
                    self._close_quick_if_idle()
                return
        with self._pooled_read() as raw:
            yield raw

    @contextmanager
    def _pooled_read(self) -> Iterator[ServerRaw]:
        """A read on a connection of the engine's pool (tested before use: one the server
        dropped is replaced, and counted in ``reconnects``), in one snapshot."""
        import psycopg

        try:
            pooled = self.engine.raw_connection()
        except Exception as exc:
            raise server_error(exc, self.url, "reading") from None
        try:
            driver = pooled.driver_connection
            assert driver is not None, "a checked-out connection has its driver's"
            raw = ServerRaw(driver)
            try:  # the driver begins the transaction; this makes it one read-only snapshot
                raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield raw
            except psycopg.Error as exc:
                raise server_error(exc, self.url, "reading") from None
            finally:
                if not (driver.closed or driver.broken):
                    driver.rollback()  # nothing was written: ends the read
        finally:
            pooled.close()  # back to the pool

    def _begin_read(self) -> ServerRaw:
        import psycopg

        for attempt in (1, 2):
            try:
                if self._quick is None:  # the store was closed: open again
                    self._quick = connect(self.url)
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
        if self._quick is None or self._quick.closed or self._quick.broken:
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

    def listen(self) -> None:
        """Start listening for other apps' saves (a connection of its own): changes saved
        from now on are told by :meth:`changed_elsewhere`. The app calls this before it
        reads anything; a command never needs to, and so holds one connection less."""
        with self.lock:
            if self._listen is None:
                self._listen = self._listening()

    def changed_elsewhere(self) -> bool:
        """Whether another app saved since we last asked: the server told us (no query).
        The first call starts listening (see :meth:`listen`) and answers False. A dropped
        LISTEN connection is replaced, and counts as changed (we may have missed a
        notification meanwhile)."""
        import psycopg

        with self.lock:
            if self._listen is None:
                self.listen()
                return False
            try:
                notes = list(self._listen.notifies(timeout=0))
            except psycopg.Error:
                self._listen.close()
                self._listen = self._listening()
                self.reconnects += 1
                return True
        return any(note.payload != self.token for note in notes)

    # -- sessions ---------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        with self.lock:
            if self._engine is None:
                self._engine = make_engine(self.url)
                self._count_reconnects(self._engine)
                self._close_quick_if_idle()  # from now on reads share the pool
            return self._engine

    def _count_reconnects(self, engine: Engine) -> None:
        """A pooled connection the server dropped counts once it is replaced: when a new
        one connects after it (not while the server is still away)."""
        from sqlalchemy import event

        dropped = threading.Event()

        def invalidated(_dbapi: Any, _record: Any, exception: BaseException | None) -> None:
            if exception is not None:  # the server dropped it (not a close of ours)
                dropped.set()

        def connected(_dbapi: Any, _record: Any) -> None:
            if dropped.is_set():
                dropped.clear()
                with self.lock:
                    self.reconnects += 1

        event.listen(engine, "invalidate", invalidated)
        event.listen(engine, "connect", connected)

    def _close_quick_if_idle(self) -> None:
        """Once the engine's pool serves reads, the quick connection goes (one connection
        less per person on the server), as soon as no read is using it."""
        with self.lock:
            if self._engine is not None and self._quick is not None and not self._quick_reads:
                try:
                    self._quick.close()
                except Exception:
                    pass
                self._quick = None

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
                # the notification goes out only if this commits, wherever it is queued:
                # asking with the lock spares a round trip while every other writer waits
                conn.exec_driver_sql("SELECT set_config('lock_timeout', %s, true), "
                                     "pg_advisory_xact_lock(%s), pg_notify(%s, %s)",
                                     (LOCK_TIMEOUT, WRITE_LOCK, CHANNEL, self.token))
                yield conn
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

    def compact_after_bulk(self, *, rewrite: bool) -> None:
        """After many handoffs made in one transaction (a copy, an import): tidy the
        handoff table, then give the planner its statistics. Each task added updated its
        handoff's counts (a trigger), and inside one transaction none of those row
        versions can be reused: 50,000 handoffs took 2 GB instead of 15 MB, and reading
        the list 1.1 s instead of 0.1. ``rewrite`` (a copy, which a team runs once):
        the table is written afresh, held for a few seconds, unless someone reads it
        within REWRITE_WAIT (a colleague's open transaction, a pg_dump: the rewrite would
        wait for them without end, and every read behind it); else (an import, while the
        team works) the dead versions are only cleared, holding nobody up. A table this
        login does not own is skipped with the server's warning (nothing fails)."""
        import psycopg

        try:
            with connect(self.url) as conn:  # VACUUM cannot run inside a transaction
                if rewrite:
                    conn.execute(f"SET lock_timeout = '{REWRITE_WAIT}'")
                    try:
                        conn.execute("VACUUM (FULL, ANALYZE) handoff")
                    except psycopg.errors.LockNotAvailable:
                        rewrite = False  # someone is reading it: clear, as an import does
                    conn.execute("RESET lock_timeout")
                if not rewrite:
                    conn.execute("VACUUM (ANALYZE) handoff")
                conn.execute("ANALYZE")
        except psycopg.Error as exc:
            raise server_error(exc, self.url, "tidying") from None

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
                if conn is None:
                    continue
                try:
                    conn.close()
                except Exception:
                    pass
            self._quick = self._listen = None
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
        finally:
            self.lock.release()
