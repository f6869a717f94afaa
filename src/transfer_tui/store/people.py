"""The team's people on a server: each login's display name, kept in the ``people`` table
that :mod:`.roles` makes. On a server you are your login; this is the name handoffs and
the history show for it (a login without one is shown, and recorded, as the login).

Plain SQL in the store's raw style (``?`` parameters, see engines/raw on a server), so it
runs on the raw connection of the engine's session. PostgreSQL only: a file has no logins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from transfer_tui.store.errors import NotFoundError, StoreError, ValidationError
from transfer_tui.store.roles import PEOPLE, TeamRoles, ident

NO_NAME_HINT = "no display name yet: transfer-tui people add {login} \"Their Name\""


class Raw(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Iterable[Sequence[Any]]: ...


class RefusedError(StoreError):
    """The server refused: not yours to do (SQLSTATE 42501). ``str()`` says why."""


@dataclass(frozen=True)
class Person:
    login: str
    name: str | None  # None: no display name yet
    role: str = "csm"  # "csm", "lead" or "manager"

    @property
    def shown(self) -> str:
        """How handoffs and the history name this person."""
        return self.name or self.login

    @property
    def hint(self) -> str | None:
        """What to do about a login with no display name, else None."""
        return NO_NAME_HINT.format(login=self.login) if self.name is None else None


def me(raw: Raw) -> Person:
    """Who this connection is: its login, and the display name the server records."""
    ((login, name),) = list(raw.execute(
        f"SELECT current_user::text, (SELECT display_name FROM {PEOPLE} "
        "WHERE login = current_user)", ()))
    return Person(str(login), name)


def list_people(raw: Raw, roles: TeamRoles | None = None) -> list[Person]:
    """Every login on the team (a member of the CSMs' role), with its display name, and
    every name kept for a login the server does not know (yet); by login."""
    roles = roles or TeamRoles()
    rows = raw.execute(
        f"SELECT r.rolname::text, p.display_name, "
        "pg_has_role(r.oid, ?, 'MEMBER'), pg_has_role(r.oid, ?, 'MEMBER') "
        f"FROM pg_roles r LEFT JOIN {PEOPLE} p ON p.login = r.rolname "
        "WHERE r.rolcanlogin AND NOT r.rolsuper AND pg_has_role(r.oid, ?, 'MEMBER') "
        f"UNION SELECT p.login, p.display_name, false, false FROM {PEOPLE} p "
        "WHERE NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = p.login) "
        "ORDER BY 1", (roles.manager, roles.lead, roles.csm))
    return [Person(str(login), name, "manager" if manages else "lead" if leads else "csm")
            for login, name, manages, leads in rows]


def add_person(raw: Raw, login: str, name: str) -> Person:
    """Give a login its display name (a lead's or manager's job, the server says)."""
    login, name = _checked(login, name)
    _write(raw, f"INSERT INTO {PEOPLE} (login, display_name) VALUES (?, ?)", (login, name),
           login, name)
    return Person(login, name)


def rename_person(raw: Raw, login: str, name: str) -> Person:
    """Change a login's display name; the history keeps the names it recorded."""
    login, name = _checked(login, name)
    found = _write(raw, f"UPDATE {PEOPLE} SET display_name = ? WHERE login = ? "
                   "RETURNING login", (name, login), login, name)
    if not found:
        raise NotFoundError(f"{login} has no display name yet: transfer-tui people add "
                            f"{login} \"{name}\"")
    return Person(login, name)


def _checked(login: str, name: str) -> tuple[str, str]:
    from transfer_tui.config import ConfigError, check_name
    from transfer_tui.store.roles import RoleNameError

    try:
        return ident(login), check_name(name)
    except (RoleNameError, ConfigError) as exc:
        raise ValidationError("name" if isinstance(exc, ConfigError) else "login",
                              str(exc).replace("your name", "the name")) from None


def _write(raw: Raw, sql: str, params: tuple[str, str], login: str, name: str) -> list:
    """Run one change; the server's refusals as one line each."""
    try:
        return list(raw.execute(sql, params))
    except Exception as exc:
        state = sqlstate(exc)
        if state == "23505":
            if "people_pkey" in str(exc):
                raise ValidationError("login", f"{login} has a display name already: "
                                      f"transfer-tui people rename {login} \"{name}\"") \
                    from None
            raise ValidationError("name", f"{name!r} names someone else already (names are "
                                  "compared ignoring case)") from None
        if state == "42501":
            raise RefusedError("only a lead or manager names people on this server") from None
        raise


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver's error, also inside SQLAlchemy's wrapper."""
    for candidate in (exc, getattr(exc, "orig", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state:
            return str(state)
    return None
