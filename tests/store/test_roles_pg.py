"""The team's rules enforced by the server: each refusal made by a direct SQL statement,
connected as that person's own login (as someone with psql would), and everybody reads.

Runs against the PostgreSQL at 127.0.0.1:5432 (TRANSFER_TUI_TEST_PG for another): a fresh
database and fresh roles with unique names, dropped afterwards even when a test fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.server import no_server
from transfer_tui.store.errors import NotFoundError, ValidationError
from transfer_tui.store.roles import PEOPLE, TeamRoles, person_sql, team_sql

psycopg = pytest.importorskip("psycopg")
from psycopg import errors  # noqa: E402

SERVER = os.environ.get("TRANSFER_TUI_TEST_PG", "host=127.0.0.1 port=5432 user=postgres")
OUT, IN, OTHER = "Alice Outgoing", "Bob Incoming", "Carol Other"
WHO = {"alice": OUT, "bob": IN, "carol": OTHER, "leo": "Leo Lead", "mia": "Mia Manager"}


def _admin(dbname: str = "postgres"):
    return psycopg.connect(f"{SERVER} dbname={dbname}", autocommit=True, connect_timeout=5)


@dataclass
class Team:
    db: str
    roles: TeamRoles
    logins: dict[str, str]  # who -> login
    handoff: str
    task: str
    record: str

    def connect(self, who: str):
        return psycopg.connect(f"{SERVER} dbname={self.db} user={self.logins[who]}",
                               autocommit=True, connect_timeout=5)

    def run(self, who: str, sql: str, params: tuple = ()) -> int:
        """One statement as ``who``'s own login; the number of rows it touched."""
        with self.connect(who) as conn:
            return conn.execute(sql, params).rowcount

    def one(self, sql: str, params: tuple = ()) -> tuple:
        with _admin(self.db) as conn:
            return conn.execute(sql, params).fetchone()


def _server_or_skip() -> None:
    try:
        _admin().close()
    except psycopg.OperationalError as exc:
        no_server(f"{SERVER}: {str(exc).splitlines()[0]}")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, TeamRoles, dict[str, str]]]:
    """One database and one set of roles for the module (a database takes seconds to make);
    each test starts from the same rows (see ``team``)."""
    _server_or_skip()
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import transfer_tui.store.models
    import transfer_tui.store.record_models  # noqa: F401

    tag = uuid.uuid4().hex[:10]
    roles = TeamRoles(csm=f"tt_csm_{tag}", lead=f"tt_lead_{tag}", manager=f"tt_manager_{tag}")
    logins = {who: f"tt_{who}_{tag}" for who in ("alice", "bob", "carol", "leo", "mia", "dan")}
    db = f"tt_roles_{tag}"
    with _admin() as conn:
        conn.execute(f"CREATE DATABASE {db}")
    try:
        engine = create_engine(f"postgresql+psycopg:///{db}?host=127.0.0.1&user=postgres")
        try:
            SQLModel.metadata.create_all(engine)
        finally:
            engine.dispose()
        with _admin(db) as conn:
            # a table the engine keeps for itself (issue 11's one-row version table)
            conn.execute("CREATE TABLE schema_version (version integer NOT NULL)")
            conn.execute(team_sql(roles))
            for who, role in (("alice", None), ("bob", None), ("carol", None),
                              ("leo", "lead"), ("mia", "manager"), ("dan", None)):
                conn.execute(person_sql(logins[who], roles, role=role))
        yield db, roles, logins
    finally:
        with _admin() as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", (db,))
            conn.execute(f"DROP DATABASE IF EXISTS {db}")
            for name in (*logins.values(), roles.lead, roles.manager, roles.csm):
                conn.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture
def team(server) -> Team:
    """The module's database as it starts: the team's names, one handoff (made by the
    administrator, whom the rules do not hold)."""
    db, roles, logins = server
    with _admin(db) as conn, conn.transaction():
        for table in ("event", "stakeholder", "task", "handoff", PEOPLE):
            conn.execute(f"DELETE FROM {table}")
        for who, name in (*WHO.items(),):
            conn.execute(f"INSERT INTO {PEOPLE} VALUES (%s, %s)", (logins[who], name))
        return Team(db, roles, logins, *_seed(conn))


def _seed(conn) -> tuple[str, str, str]:
    """A handoff from Alice to Bob with a task and a stakeholder, made by the admin."""
    handoff, task, record = (uuid.uuid4().hex for _ in range(3))
    conn.execute(
        "INSERT INTO handoff (id, account, outgoing, incoming, mode, playbook_id, "
        "playbook_name, playbook_version, created_at, created_by, updated_at, updated_by, "
        "version, tasks_total, tasks_done, tasks_blocked, state, promises_total, "
        "promises_fulfilled) VALUES (%s, 'Acme', %s, %s, 'direct', 'p', 'P', 1, now(), %s, "
        "now(), %s, 1, 1, 0, 0, 'active', 0, 0)", (handoff, OUT, IN, OUT, OUT))
    conn.execute(
        "INSERT INTO task (id, handoff_id, position, section_key, section_title, key, title, "
        "guidance, status, owner, note, raci, changed_at, changed_by, version) VALUES "
        "(%s, %s, 1, 's', 'S', 'k', 'Intro call', '', 'todo', 'both', '', '{}', now(), %s, 1)",
        (task, handoff, OUT))
    conn.execute(
        "INSERT INTO stakeholder (id, handoff_id, version, created_at, created_by, changed_at, "
        "changed_by, name, job_title, role, disposition, preferred_contact, personal_win, "
        "notes) VALUES (%s, %s, 1, now(), %s, now(), %s, 'Lena', '', '', '', '', '', '')",
        (record, handoff, OUT, OUT))
    return handoff, task, record


def refused(team: Team, who: str, sql: str, params: tuple = (), words: str = "") -> str:
    """The statement, as ``who``, fails with insufficient_privilege; nothing changes."""
    before = team.one("SELECT row_to_json(h)::text FROM handoff h WHERE id = %s",
                      (team.handoff,))
    with pytest.raises(errors.InsufficientPrivilege) as caught:
        team.run(who, sql, params)
    assert words in str(caught.value)
    assert team.one("SELECT row_to_json(h)::text FROM handoff h WHERE id = %s",
                    (team.handoff,)) == before
    return str(caught.value)


HAND_OVER = ("UPDATE handoff SET state = 'handed_over', handed_over_at = now(), "
             "handed_over_by = %s WHERE id = %s")
ACCEPT = ("UPDATE handoff SET state = 'accepted', accepted_at = now(), accepted_by = %s "
          "WHERE id = %s")
REJECT = ("UPDATE handoff SET state = 'rejected', rejected_at = now(), rejected_by = %s, "
          "rejection_reason = 'no' WHERE id = %s")
VERIFY = ("UPDATE stakeholder SET verified_at = now(), verified_by = %s, version = version + 1 "
          "WHERE id = %s")


def test_everybody_on_the_team_reads_everything(team: Team) -> None:
    for who in (*WHO, "dan"):
        with team.connect(who) as conn:
            for table in ("handoff", "task", "stakeholder", "event", PEOPLE, "schema_version"):
                conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert conn.execute("SELECT account FROM handoff").fetchall() == [("Acme",)]


def test_a_login_outside_the_team_reads_nothing(team: Team) -> None:
    outsider = f"tt_out_{uuid.uuid4().hex[:8]}"
    with _admin() as conn:
        conn.execute(f"CREATE ROLE {outsider} LOGIN")
    try:
        with psycopg.connect(f"{SERVER} dbname={team.db} user={outsider}",
                             autocommit=True) as conn, pytest.raises(
                errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM handoff")
    finally:
        with _admin() as conn:
            conn.execute(f"DROP ROLE {outsider}")


@pytest.mark.parametrize("who", ["bob", "carol", "leo", "mia"])
def test_only_the_outgoing_csm_hands_over(team: Team, who: str) -> None:
    refused(team, who, HAND_OVER, (WHO[who], team.handoff),
            "only the two CSMs" if who == "carol" else f"only the outgoing CSM, {OUT}")


def test_the_outgoing_csm_hands_over_under_their_own_name(team: Team) -> None:
    refused(team, "alice", HAND_OVER, (IN, team.handoff), "under your own name")
    assert team.run("alice", HAND_OVER, (OUT, team.handoff)) == 1
    assert team.one("SELECT state, handed_over_by FROM handoff") == ("handed_over", OUT)


@pytest.mark.parametrize("who", ["alice", "carol", "leo", "mia"])
@pytest.mark.parametrize("step", [ACCEPT, REJECT])
def test_only_the_incoming_csm_accepts_or_rejects(team: Team, who: str, step: str) -> None:
    team.run("alice", HAND_OVER, (OUT, team.handoff))
    refused(team, who, step, (WHO[who], team.handoff),
            "only the two CSMs" if who == "carol" else f"only the incoming CSM, {IN}")


@pytest.mark.parametrize("step", [ACCEPT, REJECT])
def test_the_incoming_csm_accepts_or_rejects_once_handed_over(team: Team, step: str) -> None:
    refused(team, "bob", step, (IN, team.handoff), "only a handoff handed over")
    team.run("alice", HAND_OVER, (OUT, team.handoff))
    refused(team, "bob", step, (OUT, team.handoff), "under your own name")
    assert team.run("bob", step, (IN, team.handoff)) == 1
    assert team.one("SELECT state FROM handoff")[0] in ("accepted", "rejected")


@pytest.mark.parametrize("who", ["alice", "carol", "leo", "mia"])
def test_only_the_incoming_csm_marks_facts_verified(team: Team, who: str) -> None:
    words = "only the two CSMs" if who == "carol" else f"only the incoming CSM, {IN}"
    with pytest.raises(errors.InsufficientPrivilege, match=words):
        team.run(who, VERIFY, (WHO[who], team.record))
    assert team.one("SELECT verified_by FROM stakeholder") == (None,)


def test_the_incoming_csm_verifies_under_their_own_name(team: Team) -> None:
    with pytest.raises(errors.InsufficientPrivilege, match="under your own name"):
        team.run("bob", VERIFY, (OUT, team.record))
    assert team.run("bob", VERIFY, (IN, team.record)) == 1
    assert team.one("SELECT verified_by FROM stakeholder") == (IN,)
    with pytest.raises(errors.InsufficientPrivilege, match="only the incoming CSM"):
        team.run("alice", "INSERT INTO stakeholder (id, handoff_id, version, created_at, "
                 "created_by, changed_at, changed_by, verified_at, verified_by, name, "
                 "job_title, role, disposition, preferred_contact, personal_win, notes) "
                 "VALUES ('x', %s, 1, now(), %s, now(), %s, now(), %s, 'N', '', '', '', '', "
                 "'', '')", (team.handoff, OUT, OUT, OUT))


CHANGES = [
    ("UPDATE handoff SET account = 'Renamed' WHERE id = %(handoff)s", "handoff"),
    ("UPDATE task SET status = 'done' WHERE id = %(task)s", "task"),
    ("DELETE FROM task WHERE id = %(task)s", "task"),
    ("UPDATE stakeholder SET notes = 'x' WHERE id = %(record)s", "stakeholder"),
    ("DELETE FROM stakeholder WHERE id = %(record)s", "stakeholder"),
    ("INSERT INTO stakeholder (id, handoff_id, version, created_at, created_by, changed_at, "
     "changed_by, name, job_title, role, disposition, preferred_contact, personal_win, notes) "
     "VALUES ('new', %(handoff)s, 1, now(), 'x', now(), 'x', 'N', '', '', '', '', '', '')",
     "stakeholder"),
]


def _ids(team: Team) -> dict[str, str]:
    return {"handoff": team.handoff, "task": team.task, "record": team.record}


@pytest.mark.parametrize(("sql", "table"), CHANGES)
def test_only_the_two_csms_or_a_lead_change_a_handoff(team: Team, sql: str, table: str) -> None:
    with pytest.raises(errors.InsufficientPrivilege, match="only the two CSMs"):
        team.run("carol", sql, _ids(team))
    with pytest.raises(errors.InsufficientPrivilege, match="only the two CSMs"):
        team.run("dan", sql, _ids(team))  # a login with no display name: no side of it
    for who in ("alice", "bob", "leo", "mia"):
        with team.connect(who) as conn:
            conn.autocommit = False
            assert conn.execute(sql, _ids(team)).rowcount == 1
            conn.rollback()


def test_a_csm_cannot_make_themselves_the_other_side(team: Team) -> None:
    refused(team, "bob", "UPDATE handoff SET outgoing = %s WHERE id = %s",
            (IN, team.handoff), "only a lead or manager changes who")
    refused(team, "carol", "INSERT INTO handoff SELECT * FROM handoff WHERE id = %s",
            (team.handoff,), "only the two CSMs")
    assert team.run("leo", "UPDATE handoff SET incoming = %s WHERE id = %s",
                    (OTHER, team.handoff)) == 1
    assert team.run("carol", "UPDATE task SET status = 'done' WHERE id = %s", (team.task,)) == 1


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "leo"])
def test_only_a_manager_deletes_a_handoff(team: Team, who: str) -> None:
    refused(team, who, "DELETE FROM handoff WHERE id = %s", (team.handoff,),
            "permission denied for table handoff")


def test_the_manager_deletes_a_handoff(team: Team) -> None:
    with team.connect("mia") as conn, conn.transaction():
        conn.execute("DELETE FROM task WHERE handoff_id = %s", (team.handoff,))
        conn.execute("DELETE FROM stakeholder WHERE handoff_id = %s", (team.handoff,))
        assert conn.execute("DELETE FROM handoff WHERE id = %s", (team.handoff,)).rowcount == 1
    assert team.one("SELECT count(*) FROM handoff") == (0,)


EVENT = ("INSERT INTO event (id, handoff_id, entity, entity_id, field, old, new, actor, at) "
         "VALUES (%s, %s, 'handoff', %s, 'account', 'a', 'b', %s, now())")


def test_the_history_is_written_under_your_own_name_and_kept(team: Team) -> None:
    with pytest.raises(errors.InsufficientPrivilege, match="under your own name, Alice"):
        team.run("alice", EVENT, ("e1", team.handoff, team.handoff, IN))
    with pytest.raises(errors.InsufficientPrivilege, match="add to its history"):
        team.run("carol", EVENT, ("e1", team.handoff, team.handoff, OTHER))
    assert team.run("alice", EVENT, ("e1", team.handoff, team.handoff, OUT)) == 1
    assert team.run("dan", EVENT, ("e2", None, "x", team.logins["dan"])) == 1  # login = name
    for who in ("alice", "mia"):
        for sql in ("UPDATE event SET actor = 'x'", "DELETE FROM event"):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
                team.run(who, sql)
    assert team.one("SELECT actor FROM event WHERE id = 'e1'") == (OUT,)


def test_only_a_lead_or_manager_names_people(team: Team) -> None:
    dan = team.logins["dan"]
    for who in ("alice", "dan"):
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            team.run(who, f"INSERT INTO {PEOPLE} VALUES (%s, %s)", (dan, OUT + " Jr"))
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            team.run(who, f"UPDATE {PEOPLE} SET display_name = 'Bob Incoming 2'")
    assert team.run("leo", f"INSERT INTO {PEOPLE} VALUES (%s, 'Dan New')", (dan,)) == 1
    with team.connect("dan") as conn:
        assert conn.execute("SELECT tt_me()").fetchone() == ("Dan New",)
    with pytest.raises(errors.UniqueViolation):  # one name, one person (case ignored)
        team.run("mia", f"UPDATE {PEOPLE} SET display_name = 'alice outgoing' "
                 "WHERE login = %s", (dan,))
    with pytest.raises(errors.CheckViolation):
        team.run("mia", f"UPDATE {PEOPLE} SET display_name = %s WHERE login = %s",
                 ("Dan\x1b[2J", dan))


@pytest.mark.parametrize("sql", [
    "ALTER TABLE handoff DISABLE TRIGGER ALL",
    "DROP TRIGGER tt_guard_handoff ON handoff",
    "SET session_replication_role = replica",
    "CREATE OR REPLACE FUNCTION tt_me() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$",
])
def test_a_csm_cannot_switch_the_rules_off(team: Team, sql: str) -> None:
    with pytest.raises((errors.InsufficientPrivilege, errors.ProgrammingError)):
        team.run("alice", sql)
    refused(team, "bob", HAND_OVER, (IN, team.handoff), "only the outgoing CSM")


def test_the_script_can_run_again(team: Team) -> None:
    with _admin(team.db) as conn:
        conn.execute(team_sql(team.roles))
    refused(team, "bob", HAND_OVER, (IN, team.handoff), "only the outgoing CSM")


def test_team_sql_prints_the_script_and_refuses_odd_names(capsys) -> None:
    from transfer_tui.cli import main

    assert main(["team-sql"]) == 0
    assert capsys.readouterr().out == team_sql()
    for args in (["--person", "Robert'); DROP TABLE handoff;--"], ["--person", "Bob"],
                 ["--person", "bob", "--name", "Bob\x1b[2J"], ["--name", "Bob"]):
        assert main(["team-sql", *args]) != 0
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1


class Raw:
    """The store's raw style (``?``) on a psycopg connection, as engines/raw gives it."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, params=()):
        cursor = self.conn.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def test_me_is_the_login_and_its_display_name(team: Team) -> None:
    from transfer_tui.store.people import me

    with team.connect("alice") as conn:
        assert me(Raw(conn)).shown == OUT
    with team.connect("dan") as conn:
        dan = me(Raw(conn))
    assert dan.shown == team.logins["dan"] and dan.name is None
    assert f"people add {team.logins['dan']}" in dan.hint


def test_people_are_listed_added_and_renamed(team: Team) -> None:
    from transfer_tui.store.people import (
        RefusedError,
        add_person,
        list_people,
        rename_person,
    )

    dan = team.logins["dan"]
    with team.connect("alice") as conn:
        listed = {p.login: p for p in list_people(Raw(conn), team.roles)}
        assert {p.shown for p in listed.values()} >= {OUT, IN, OTHER, "Leo Lead", dan}
        assert (listed[team.logins["leo"]].role, listed[team.logins["mia"]].role) == (
            "lead", "manager")
        assert listed[dan].hint and listed[team.logins["alice"]].hint is None
        with pytest.raises(RefusedError, match="only a lead or manager"):
            add_person(Raw(conn), dan, "Dan Stole")
    with team.connect("leo") as conn:
        raw = Raw(conn)
        assert add_person(raw, dan, "Dan  Dare").shown == "Dan Dare"
        with pytest.raises(ValidationError, match="has a display name already"):
            add_person(raw, dan, "Dan Again")
        with pytest.raises(ValidationError, match="names someone else"):
            rename_person(raw, dan, "ALICE outgoing")
        with pytest.raises(ValidationError, match="control characters"):
            rename_person(raw, dan, "Dan\x1b[2J")
        with pytest.raises(ValidationError, match="not a plain role name"):
            add_person(raw, "Dan; DROP", "x")
        assert rename_person(raw, dan, "Daniel Dare").name == "Daniel Dare"
        with pytest.raises(NotFoundError, match="people add"):
            rename_person(raw, "tt_nobody", "Nobody")
    assert team.one(f"SELECT display_name FROM {PEOPLE} WHERE login = %s", (dan,)) == (
        "Daniel Dare",)
