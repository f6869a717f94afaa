"""Who may do what on a team server (PostgreSQL), enforced by the server itself, so that a
person with ``psql`` and their own login cannot do what the app refuses.

The SQL is made here from the schema's table names (the SQLModel classes), once:

- roles: a group role every CSM's login belongs to (reads everything, changes the
  handoffs they are a side of), ``lead`` (changes any handoff, decides who the sides are,
  names the team's people) and ``manager`` (all a lead may, and deletes handoffs);
- GRANTs: the history (event) is appended, never changed; only a manager may DELETE a
  handoff; only a lead or manager writes ``people``;
- guard triggers (plain SQL functions, run as the person): only the handoff's outgoing CSM
  hands it over; only its incoming CSM accepts, rejects and marks facts verified; only the
  two CSMs (or a lead or manager) change a handoff and its rows; every "who" written (the
  history's actor, handed over/accepted/rejected/verified by) is the login's own name.

Triggers rather than row-level security policies: a policy hides the rows it refuses
(an UPDATE of 0 rows, no error), and cannot compare a row before and after; a trigger
refuses out loud, saying why (SQLSTATE 42501, insufficient_privilege), and can.
Only the table owner or a superuser can switch a trigger off: the tables must be owned by
an administrator's role, never by a CSM's login. Superusers, BYPASSRLS roles and the
tables' owner (the administrator: creating the schema, copying a file in) are not held
to these rules; the app lets them act under any name (``--as``), as psql would anyway.

A login's display name (what handoffs and the history say) comes from ``people``; a login
with none is shown, and written, as the login itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transfer_tui.domain import HandoffState

PEOPLE = "people"
SIGNED_OFF = (HandoffState.ACCEPTED.value, HandoffState.REJECTED.value)
SIGNERS = ("handed_over_by", "accepted_by", "rejected_by")  # the handoff's sign-off "who"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_REFUSED = "insufficient_privilege"  # SQLSTATE 42501, as a missing GRANT says it


class RoleNameError(ValueError):
    """A role or login name the SQL here would have to quote: refused instead."""


def ident(name: str) -> str:
    """A role, login or schema name: lower-case letters, digits and _, as psql users type
    them unquoted (so the name in the SQL is the name people use)."""
    if not _NAME.match(name):
        raise RoleNameError(f"{name!r} is not a plain role name: use a-z, 0-9 and _ "
                            "(starting with a letter, at most 63)")
    return name


@dataclass(frozen=True)
class TeamRoles:
    """The three group roles; other names for a second team on the same server (roles are
    shared by every database of a server)."""

    csm: str = "transfer_tui_csm"
    lead: str = "lead"
    manager: str = "manager"
    schema: str = "public"

    def __post_init__(self) -> None:
        for name in (self.csm, self.lead, self.manager, self.schema):
            ident(name)


@dataclass(frozen=True)
class Tables:
    """The schema's tables, by what they hold."""

    handoff: str
    event: str
    rows: tuple[str, ...]  # every other table on a handoff (tasks, records)
    records: tuple[str, ...]  # the tables whose rows can be verified


def schema_tables() -> Tables:
    """From the SQLModel classes: the one declaration of the schema."""
    from transfer_tui.store.models import Event, Handoff, Task
    from transfer_tui.store.record_models import MODELS

    return Tables(handoff=str(Handoff.__tablename__), event=str(Event.__tablename__),
                  rows=(str(Task.__tablename__), *MODELS), records=tuple(MODELS))


def team_sql(roles: TeamRoles | None = None, tables: Tables | None = None) -> str:
    """The whole script: roles, ``people``, functions, GRANTs, triggers. Run it as the
    tables' owner (an administrator) after the tables exist; running it again is safe."""
    roles = roles or TeamRoles()
    t = tables or schema_tables()
    s = roles.schema
    everything = [t.handoff, *t.rows, t.event, PEOPLE]
    parts = [
        _roles(roles), _people(s), _functions(roles, t),
        *(f"REVOKE ALL ON {s}.{name} FROM PUBLIC;" for name in everything),
        f"GRANT USAGE ON SCHEMA {s} TO {roles.csm};",
        # every table, also those the engine keeps for itself (schema_version)
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {roles.csm};",
        # the insertion order's counters (rowid): taking a number is not changing a row
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {roles.csm};",
        f"GRANT INSERT, UPDATE ON {s}.{t.handoff} TO {roles.csm};",
        f"GRANT DELETE ON {s}.{t.handoff} TO {roles.manager};",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(f'{s}.{n}' for n in t.rows)} "
        f"TO {roles.csm};",
        f"GRANT INSERT ON {s}.{t.event} TO {roles.csm};  -- kept forever: no UPDATE, DELETE",
        f"GRANT INSERT, UPDATE, DELETE ON {s}.{PEOPLE} TO {roles.lead}, {roles.manager};",
        _trigger(s, t.handoff, "tt_guard_handoff", "INSERT OR UPDATE"),
        *(_trigger(s, name, "tt_guard_row", "INSERT OR UPDATE OR DELETE") for name in t.rows),
        _trigger(s, t.event, "tt_guard_event", "INSERT"),
    ]
    return "\n\n".join(parts) + "\n"


#: What a missing GRANT means, by table: the rule it keeps, as people say it.
_GRANTS = {"handoff": "only a manager deletes a handoff", "event": "the history is kept as "
           "written: nobody changes or deletes it", PEOPLE: "only a lead or manager names "
           "people on this server"}
_DENIED = re.compile(r"^permission denied for (?:table|relation) (\w+)$")


def refusal(message: str, *, reading: bool = False) -> str:
    """The server's refusal (SQLSTATE 42501) as one line for a person: a guard trigger's
    reason as it is; a missing GRANT as the rule it keeps."""
    denied = _DENIED.match(message.strip())
    if denied is None:
        return f"the server refused: {message}"
    table = denied.group(1)
    rule = None if reading else _GRANTS.get(table)
    if rule is None:
        return (f"the server refused: your login may not {'read' if reading else 'change'} "
                f"{table} here (ask your admin to add it to the team)")
    return f"the server refused: {rule}"


def person_sql(login: str, roles: TeamRoles | None = None, *, name: str | None = None,
               role: str | None = None) -> str:
    """A person's login on the team: member of the CSMs' role (and of ``role``, "lead" or
    "manager"), with a display name. Passwords are the administrator's business (\\password
    in psql), never in a script."""
    roles = roles or TeamRoles()
    login = ident(login)
    lines = [f"CREATE ROLE {login} LOGIN;", f"GRANT {roles.csm} TO {login};"]
    if role is not None:
        group = {"lead": roles.lead, "manager": roles.manager}.get(role)
        if group is None:
            raise RoleNameError(f"{role!r} is not a team role: lead or manager")
        lines.append(f"GRANT {group} TO {login};")
    if name is not None:
        lines.append(f"INSERT INTO {roles.schema}.{PEOPLE} (login, display_name) VALUES "
                     f"({_literal(login)}, {_literal(name)});")
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _roles(roles: TeamRoles) -> str:
    made = "\n".join(
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(name)}) THEN\n"
        f"    CREATE ROLE {name} NOLOGIN;\n  END IF;"
        for name in (roles.csm, roles.lead, roles.manager))
    return (f"DO $$\nBEGIN\n{made}\nEND\n$$;\n"
            f"GRANT {roles.csm} TO {roles.lead}, {roles.manager};")


def _people(s: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {s}.{PEOPLE} (
    login text PRIMARY KEY CHECK (login ~ '^[a-z_][a-z0-9_]{{0,62}}$'),
    display_name text NOT NULL CHECK (
        display_name = btrim(display_name) AND display_name <> ''
        AND char_length(display_name) <= 200 AND display_name !~ '[[:cntrl:]]'
        AND display_name !~ '\\s\\s')
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_people_display_name ON {s}.{PEOPLE} (lower(display_name));"""


def _functions(roles: TeamRoles, t: Tables) -> str:
    s = roles.schema
    path = f"SET search_path = {s}, pg_temp"
    return f"""-- the team's group roles, so the app can list the team without being told them
CREATE OR REPLACE FUNCTION {s}.tt_roles() RETURNS text[]
LANGUAGE sql IMMUTABLE {path} AS $$
    SELECT ARRAY[{_literal(roles.csm)}, {_literal(roles.lead)}, {_literal(roles.manager)}]
$$;

CREATE OR REPLACE FUNCTION {s}.tt_me() RETURNS text
LANGUAGE sql STABLE {path} AS $$
    SELECT coalesce((SELECT display_name FROM {s}.{PEOPLE} WHERE login = current_user),
                    current_user::text)
$$;

-- names compared as the app compares them: case and spacing ignored
CREATE OR REPLACE FUNCTION {s}.tt_same(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE {path} AS $$
    SELECT lower(regexp_replace(btrim(a), '\\s+', ' ', 'g'))
         = lower(regexp_replace(btrim(b), '\\s+', ' ', 'g'))
$$;

CREATE OR REPLACE FUNCTION {s}.tt_is(person text) RETURNS boolean
LANGUAGE sql STABLE {path} AS $$ SELECT coalesce({s}.tt_same(person, {s}.tt_me()), false) $$;

CREATE OR REPLACE FUNCTION {s}.tt_leads() RETURNS boolean
LANGUAGE sql STABLE {path} AS $$
    SELECT pg_has_role(current_user, {_literal(roles.lead)}, 'MEMBER')
        OR pg_has_role(current_user, {_literal(roles.manager)}, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION {s}.tt_admin() RETURNS boolean
LANGUAGE sql STABLE {path} AS $$
    SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles
                     WHERE rolname = current_user), false)
        OR pg_has_role(current_user, (SELECT relowner FROM pg_class
                                      WHERE oid = '{s}.{t.handoff}'::regclass), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION {s}.tt_may_change(of_handoff text) RETURNS boolean
LANGUAGE sql STABLE {path} AS $$
    SELECT {s}.tt_leads() OR EXISTS (
        SELECT FROM {s}.{t.handoff} h
        WHERE h.id = of_handoff AND ({s}.tt_is(h.outgoing) OR {s}.tt_is(h.incoming)))
$$;

CREATE OR REPLACE FUNCTION {s}.tt_refuse(why text) RETURNS void
LANGUAGE plpgsql {path} AS $$
BEGIN
    RAISE EXCEPTION '%', why USING ERRCODE = {_literal(_REFUSED)},
        HINT = 'you are ' || {s}.tt_me() || ' (login ' || current_user || ')';
END
$$;

CREATE OR REPLACE FUNCTION {s}.tt_guard_handoff() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    was text := CASE WHEN TG_OP = 'INSERT' THEN {_literal(HandoffState.ACTIVE.value)}
                     ELSE OLD.state END;
    outgoing text := CASE WHEN TG_OP = 'INSERT' THEN NEW.outgoing ELSE OLD.outgoing END;
    incoming text := CASE WHEN TG_OP = 'INSERT' THEN NEW.incoming ELSE OLD.incoming END;
BEGIN
    IF tt_admin() THEN RETURN NEW; END IF;
    IF NOT (tt_leads() OR tt_is(outgoing) OR tt_is(incoming)) THEN
        PERFORM tt_refuse('only the two CSMs of a handoff (' || outgoing || ' and '
                          || incoming || ') or a lead or manager change it');
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.outgoing, NEW.incoming) IS DISTINCT FROM (outgoing, incoming)
            AND NOT tt_leads() THEN
        PERFORM tt_refuse('only a lead or manager changes who hands a handoff over or takes it');
    END IF;
    IF NEW.state IS DISTINCT FROM was THEN
        IF NEW.state = {_literal(HandoffState.HANDED_OVER.value)} AND NOT tt_is(outgoing) THEN
            PERFORM tt_refuse('only the outgoing CSM, ' || outgoing || ', hands it over');
        END IF;
        IF NEW.state IN ({', '.join(map(_literal, SIGNED_OFF))}) THEN
            IF NOT tt_is(incoming) THEN
                PERFORM tt_refuse('only the incoming CSM, ' || incoming
                                  || ', accepts or rejects it');
            END IF;
            IF was <> {_literal(HandoffState.HANDED_OVER.value)} THEN
                PERFORM tt_refuse('only a handoff handed over is accepted or rejected');
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NOT ({_own_names(SIGNERS)}) THEN
        PERFORM tt_refuse('a sign-off is recorded under your own name, ' || tt_me());
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION {s}.tt_guard_row() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    of_handoff text := CASE WHEN TG_OP = 'DELETE' THEN OLD.handoff_id
                            ELSE NEW.handoff_id END;
    incoming text;
    verified text;
BEGIN
    IF tt_admin() THEN RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END; END IF;
    IF NOT tt_may_change(of_handoff)
            OR (TG_OP = 'UPDATE' AND NOT tt_may_change(OLD.handoff_id)) THEN
        PERFORM tt_refuse('only the two CSMs of a handoff or a lead or manager change its '
                          || TG_TABLE_NAME || ' rows');
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF TG_TABLE_NAME IN ({', '.join(map(_literal, t.records))}) THEN
        verified := to_jsonb(NEW) ->> 'verified_by';
        IF verified IS NOT NULL AND (TG_OP = 'INSERT'
                OR (to_jsonb(NEW) -> 'verified_at', to_jsonb(NEW) -> 'verified_by')
                   IS DISTINCT FROM (to_jsonb(OLD) -> 'verified_at',
                                     to_jsonb(OLD) -> 'verified_by')) THEN
            SELECT h.incoming INTO incoming FROM {t.handoff} h WHERE h.id = of_handoff;
            IF NOT tt_is(incoming) THEN
                PERFORM tt_refuse('only the incoming CSM, ' || coalesce(incoming, '?')
                                  || ', marks facts verified');
            END IF;
            IF NOT tt_is(verified) THEN
                PERFORM tt_refuse('a fact is verified under your own name, ' || tt_me());
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION {s}.tt_guard_event() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
BEGIN
    IF tt_admin() THEN RETURN NEW; END IF;
    IF NOT tt_is(NEW.actor) THEN
        PERFORM tt_refuse('the history records changes under your own name, ' || tt_me());
    END IF;
    IF NEW.handoff_id IS NOT NULL AND EXISTS (SELECT FROM {t.handoff} WHERE id = NEW.handoff_id)
            AND NOT tt_may_change(NEW.handoff_id) THEN
        PERFORM tt_refuse('only the two CSMs of a handoff or a lead or manager add to its '
                          || 'history');
    END IF;
    RETURN NEW;
END
$$;"""


def _own_names(columns: tuple[str, ...]) -> str:
    """Each column unchanged, cleared, or set to the person's own name."""
    return "\n            AND ".join(
        f"(NEW.{c} IS NOT DISTINCT FROM OLD.{c} OR NEW.{c} IS NULL OR tt_is(NEW.{c}))"
        for c in columns)


def _trigger(s: str, table: str, function: str, events: str) -> str:
    name = f"tt_guard_{table}"
    return (f"DROP TRIGGER IF EXISTS {name} ON {s}.{table};\n"
            f"CREATE TRIGGER {name} BEFORE {events} ON {s}.{table}\n"
            f"    FOR EACH ROW EXECUTE FUNCTION {s}.{function}();")
