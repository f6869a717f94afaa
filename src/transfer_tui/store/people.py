"""The team's people on a server: each login's display name, kept in the ``people`` table
that :mod:`.roles` makes. On a server you are your login; this is the name handoffs and
the history show for it (a login without one is shown, and recorded, as the login).

Plain SQL in the store's raw style (``?`` parameters, see engines/raw on a server), so it
runs on the raw connection of the engine's session. PostgreSQL only: a file has no logins.
"""

from __future__ import annotations

__all__ = ["Me", "Person", "RefusedError", "add_person", "list_people", "me", "rename_person"]

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from transfer_tui.store.errors import NotFoundError, RefusedError, ValidationError
from transfer_tui.store.roles import PEOPLE, TeamRoles, ident

NO_NAME_HINT = "no display name yet: transfer-tui people add {login} \"Their Name\""


class Raw(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Iterable[Sequence[Any]]: ...


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


@dataclass(frozen=True)
class Me(Person):
    """This connection's person, and whether the team's rules hold them: an administrator
    (a superuser, a BYPASSRLS role, or the owner of the tables, or of the database before
    there are tables) is not held by them (see store/roles.py, ``tt_admin``)."""

    admin: bool = False


_ADMIN = ("r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, coalesce("
          "(SELECT relowner FROM pg_class WHERE oid = to_regclass('handoff')), "
          "(SELECT datdba FROM pg_database WHERE datname = current_database())), 'MEMBER')")


def me(raw: Raw) -> Me:
    """Who this connection is: its login, the display name the server keeps for it (none
    before the team's SQL made ``people``), and whether it is an administrator."""
    ((login, admin, named),) = list(raw.execute(
        f"SELECT current_user::text, {_ADMIN}, to_regclass('{PEOPLE}') IS NOT NULL "
        "FROM pg_roles r WHERE r.rolname = current_user", ()))
    name = None
    if named:
        found = list(raw.execute(f"SELECT display_name FROM {PEOPLE} WHERE login = "
                                 "current_user", ()))
        name = found[0][0] if found else None
    return Me(str(login), name, admin=bool(admin))


def team_roles(raw: Raw) -> TeamRoles:
    """The group roles the team's SQL was made with (``tt_roles()``), else the defaults."""
    ((made,),) = list(raw.execute("SELECT to_regprocedure('tt_roles()') IS NOT NULL", ()))
    if not made:
        return TeamRoles()
    ((names,),) = list(raw.execute("SELECT tt_roles()", ()))
    csm, lead, manager = names
    return TeamRoles(csm=csm, lead=lead, manager=manager)


def list_people(raw: Raw, roles: TeamRoles | None = None) -> list[Person]:
    """Every login on the team (a member of the CSMs' role), with its display name, and
    every name kept for a login the server does not know (yet); by login."""
    roles = roles or team_roles(raw)
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
    _write(raw, f"INSERT INTO {PEOPLE} (login, display_name) VALUES (?, ?) RETURNING login",
           (login, name), login, name)
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
            raise RefusedError("only a lead or manager names people on this server; nothing "
                               "was changed") from None
        raise


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver's error, also inside SQLAlchemy's wrapper."""
    for candidate in (exc, getattr(exc, "orig", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if state:
            return str(state)
    return None


# -- on an open store -------------------------------------------------------------------


def _server(store: Any) -> None:
    if store.server is None:
        raise ValidationError("db", f"{store.where} is a file: a file has no logins; your name "
                              "there is  transfer-tui config set name \"Your Name\"")


def team_of(store: Any) -> list[Person]:
    """:func:`list_people` on a store open on a server."""
    _server(store)
    with store.reading_plain() as raw:
        ((made,),) = list(raw.execute(f"SELECT to_regclass('{PEOPLE}') IS NOT NULL", ()))
        if not made:
            raise ValidationError("db", f"{store.where} has no team yet: ask your admin to "
                                  f"run  transfer-tui init-server --team {store.where}")
        return list_people(raw)


def name_person(store: Any, login: str, name: str, *, rename: bool = False) -> Person:
    """:func:`add_person` (or :func:`rename_person`) in one write of a store on a server."""
    from transfer_tui.store.database import driver

    _server(store)
    with store.writing() as session:
        raw = driver(session, flush=False)
        return (rename_person if rename else add_person)(raw, login, name)
