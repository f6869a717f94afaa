"""Who you are on a team server, through the app: you are your login (its display name),
``--as`` cannot claim anyone else, and each refusal the team's rules make comes from the
server, as one line with nothing changed: through the CLI, the store, the TUI (Pilot), and
by a direct SQL statement as that login (it fails too). Everybody on the team reads.

Each test has its own database (``server_url``) and its own roles: two CSMs (Alice hands
over to Bob), a third CSM (Carol, no side of the handoff), a manager (Mia) and a login with
no display name yet (Dan); role names are cluster-wide, so they carry a tag of their own
and are dropped afterwards, even when the test fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import fixed_clock, settle
from tests.ready import make_ready
from transfer_tui.cli import main
from transfer_tui.store import Store
from transfer_tui.store.engines.url import libpq_url
from transfer_tui.store.errors import RefusedError
from transfer_tui.store.roles import PEOPLE, TeamRoles, person_sql, team_sql

psycopg = pytest.importorskip("psycopg")
from psycopg import errors  # noqa: E402

OUT, IN, OTHER, BOSS = "Alice Outgoing", "Bob Incoming", "Carol Other", "Mia Manager"
NAMES = {"alice": OUT, "bob": IN, "carol": OTHER, "mia": BOSS}  # dan: no display name


@dataclass
class Team:
    url: str  # the administrator's (postgres): the rules do not hold it
    logins: dict[str, str]  # who -> login
    handoff: str
    roles: TeamRoles

    def url_of(self, who: str) -> str:
        parts = urlsplit(self.url)
        netloc = f"{self.logins[who]}@{parts.hostname}:{parts.port or 5432}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def store(self, who: str) -> Store:
        return Store(self.url_of(who), "whoever --as says", clock=fixed_clock)

    def admin(self, name: str = OUT) -> Store:
        return Store(self.url, name, clock=fixed_clock)

    def sql(self, who: str, statement: str, params: tuple = ()) -> None:
        """One statement as ``who``'s own login, as someone with psql would."""
        with psycopg.connect(libpq_url(self.url_of(who)), autocommit=True) as conn:
            conn.execute(statement, params)

    def row(self) -> str | None:
        """The handoff as it stands, to show nothing changed; and its history's length."""
        with psycopg.connect(libpq_url(self.url), autocommit=True) as conn:
            found = conn.execute("SELECT row_to_json(h)::text FROM handoff h WHERE id = %s",
                                 (self.handoff,)).fetchone()
            events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        return f"{found[0] if found else None} / {events} events"


@pytest.fixture
def team(server_url: str) -> Iterator[Team]:
    tag = uuid.uuid4().hex[:10]
    roles = TeamRoles(csm=f"tt_csm_{tag}", lead=f"tt_lead_{tag}", manager=f"tt_mgr_{tag}")
    logins = {who: f"tt_{who}_{tag}" for who in ("alice", "bob", "carol", "mia", "dan")}
    admin = psycopg.connect(libpq_url(server_url), autocommit=True)
    try:
        admin.execute(team_sql(roles))
        for who, login in logins.items():
            admin.execute(person_sql(login, roles, name=NAMES.get(who),
                                     role="manager" if who == "mia" else None))
        store = Store(server_url, OUT, clock=fixed_clock)
        try:
            handoff = store.handoffs.create("Acme", OUT, IN).id
        finally:
            store.close()
        yield Team(server_url, logins, handoff, roles)
    finally:
        everyone = [*logins.values(), roles.csm, roles.lead, roles.manager]
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE usename = ANY(%s)", (everyone,))
        for name in everyone:  # each on its own: one that fails leaves none of the others
            try:
                admin.execute(f"DROP OWNED BY {name}")  # its GRANTs in this database
                admin.execute(f"DROP ROLE IF EXISTS {name}")
            except psycopg.Error as exc:
                print(f"could not drop role {name}: {exc}")
        admin.close()


def run(capsys, team: Team, who: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", team.url_of(who), *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_refusal(code: int, err: str, words: str) -> None:
    assert code != 0
    assert err.count("\n") == 1, err
    assert words in err, err


def handed_over(team: Team) -> None:
    """Ready (every task closed, the readiness facts recorded and verified) and handed over
    by Alice, set up by the administrator."""
    store = team.admin()
    try:
        make_ready(store, team.handoff, OUT, IN)
        for task in store.handoffs.checklist(team.handoff).tasks:
            store.tasks.update(task.id, status="done")
        store.signoff.hand_over(team.handoff)
    finally:
        store.close()


# -- you are your login ------------------------------------------------------------------


def test_on_a_server_you_are_your_login_and_its_display_name(team: Team) -> None:
    for who, shown in (("alice", OUT), ("dan", team.logins["dan"])):
        store = team.store(who)
        try:
            assert store.user == shown and store.named_by_server
            assert not store.claims_someone_else(shown.upper())
            assert not store.claims_someone_else(team.logins[who])
            assert store.claims_someone_else(IN)
        finally:
            store.close()
    admin = team.admin("Anyone At All")  # an administrator is not held: acts as told
    try:
        assert admin.user == "Anyone At All" and not admin.named_by_server
    finally:
        admin.close()


def test_as_cannot_claim_another_person_on_a_server(team: Team, capsys, monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    before = team.row()
    code, out, err = run(capsys, team, "alice", "--as", IN, "new", "Globex", "--from", IN,
                         "--to", OUT)
    assert code == 2 and out == ""
    one_line_refusal(code, err, f"on this server you are {OUT} (login {team.logins['alice']})"
                     f": --as cannot name {IN}")
    code, out, err = run(capsys, team, "alice", "--as", IN)  # the terminal UI: not opened
    assert (code, out) == (2, "")
    one_line_refusal(code, err, f"--as cannot name {IN}")
    monkeypatch.setenv("TRANSFER_TUI_USER", IN)
    code, out, err = run(capsys, team, "alice", "list")
    assert code == 2
    one_line_refusal(code, err, f"TRANSFER_TUI_USER cannot name {IN}")
    assert team.row() == before
    for yourself in ("alice outgoing", team.logins["alice"]):  # naming yourself is fine
        monkeypatch.setenv("TRANSFER_TUI_USER", yourself)
        code, out, err = run(capsys, team, "alice", "list")
        assert (code, err) == (0, "") and "Acme" in out


def test_the_settings_file_name_gives_way_to_the_login(team: Team, capsys,
                                                       monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    assert main(["config", "set", "name", "Zed Nobody"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, team, "alice", "new", "Globex", "--from", OUT, "--to", IN)
    assert (code, err) == (0, "")
    store = team.store("alice")
    try:
        made = out.strip()
        assert {entry.actor for entry in store.history.activity(made)} == {OUT}
    finally:
        store.close()


# -- everybody reads; the history's "who" ------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "mia", "dan"])
def test_everybody_on_the_team_reads(team: Team, capsys, monkeypatch, who: str) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    code, out, err = run(capsys, team, who, "list")
    assert (code, err) == (0, "") and f"Acme     {OUT} -> {IN}" in out
    code, out, err = run(capsys, team, who, "export", team.handoff[:8])
    assert code == 0 and "Acme" in out
    code, out, err = run(capsys, team, who, "people")
    assert code == 0 and BOSS in out


def test_the_history_who_is_the_logins_display_name(team: Team) -> None:
    store = team.store("bob")
    try:
        task = store.handoffs.checklist(team.handoff).tasks[0]
        store.tasks.update(task.id, note="Called them")
        assert store.history.of(task.id)[0].actor == IN
    finally:
        store.close()
    store = team.store("dan")  # no display name yet: the login is the name
    try:
        made = store.handoffs.create("Initech", team.logins["dan"], OUT)
        assert {entry.actor for entry in store.history.activity(made.id)} == {team.logins["dan"]}
    finally:
        store.close()


# -- each refusal, from the server: the app (one line, nothing changed) and psql ------------


HAND_OVER = ("UPDATE handoff SET state = 'handed_over', handed_over_at = now(), "
             "handed_over_by = %s WHERE id = %s")
ACCEPT = ("UPDATE handoff SET state = 'accepted', accepted_at = now(), accepted_by = %s "
          "WHERE id = %s")


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_outgoing_csm_hands_over(team: Team, capsys, monkeypatch, who: str) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    store = team.admin()
    try:
        make_ready(store, team.handoff, OUT, IN)
        for task in store.handoffs.checklist(team.handoff).tasks:
            store.tasks.update(task.id, status="done")
    finally:
        store.close()
    before = team.row()
    code, _out, err = run(capsys, team, who, "handover", team.handoff)
    one_line_refusal(code, err, f"Only {OUT} (Outgoing CSM) can hand this handoff over; "
                     f"you are working as {NAMES[who]}")
    lying = team.store(who)  # a client that says it is Alice: the server still refuses
    lying.user = OUT
    try:
        with pytest.raises(RefusedError, match=r"^the server refused: .*nothing was changed$"):
            lying.signoff.hand_over(team.handoff)
    finally:
        lying.close()
    with pytest.raises(errors.InsufficientPrivilege):
        team.sql(who, HAND_OVER, (NAMES[who], team.handoff))
    assert team.row() == before
    code, _out, err = run(capsys, team, "alice", "handover", team.handoff)
    assert (code, err) == (0, "")


@pytest.mark.parametrize("who", ["alice", "carol"])
@pytest.mark.parametrize("step", ["accept", "reject"])
def test_only_the_incoming_csm_accepts_or_rejects(team: Team, capsys, monkeypatch, who: str,
                                                  step: str) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    handed_over(team)
    before = team.row()
    args = [step, team.handoff] + (["--reason", "Not ready"] if step == "reject" else [])
    code, _out, err = run(capsys, team, who, *args)
    one_line_refusal(code, err, f"Only {IN} (Incoming CSM) can accept or reject")
    lying = team.store(who)
    lying.user = IN
    try:
        with pytest.raises(RefusedError, match=r"^the server refused: .*nothing was changed$"):
            if step == "accept":
                lying.signoff.accept(team.handoff)
            else:
                lying.signoff.reject(team.handoff, "Not ready")
    finally:
        lying.close()
    with pytest.raises(errors.InsufficientPrivilege):
        team.sql(who, ACCEPT, (NAMES[who], team.handoff))
    assert team.row() == before


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_only_the_incoming_csm_marks_facts_verified(team: Team, who: str) -> None:
    admin = team.admin(BOSS)  # added by someone else: the app's own rule lets it through
    try:
        record = admin.records.add(team.handoff, "stakeholder", {"name": "Lena Park"})
    finally:
        admin.close()
    before = team.row()
    store = team.store(who)
    try:
        with pytest.raises(RefusedError) as refused:
            store.records.verify("stakeholder", record.id)
        words = ("only the incoming CSM, Bob Incoming, marks facts verified" if who == "alice"
                 else "only the two CSMs of a handoff or a lead or manager add to its history")
        assert str(refused.value) == f"the server refused: {words}; nothing was changed"
        assert store.records.get("stakeholder", record.id).verified_by is None
    finally:
        store.close()
    with pytest.raises(errors.InsufficientPrivilege):
        team.sql(who, "UPDATE stakeholder SET verified_at = now(), verified_by = %s "
                 "WHERE id = %s", (NAMES[who], record.id))
    assert team.row() == before
    store = team.store("bob")
    try:
        assert store.records.verify("stakeholder", record.id).verified_by == IN
    finally:
        store.close()


def test_only_the_two_csms_or_a_lead_change_a_handoff(team: Team, capsys,
                                                      monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    before = team.row()
    code, _out, err = run(capsys, team, "carol", "dates", team.handoff, "--target",
                         "2027-01-10")
    one_line_refusal(code, err, "the server refused: only the two CSMs of a handoff")
    assert err.endswith("; nothing was changed\n")
    store = team.store("carol")
    try:
        task = store.handoffs.checklist(team.handoff).tasks[0]
        with pytest.raises(RefusedError, match="only the two CSMs"):
            store.tasks.update(task.id, status="done")
    finally:
        store.close()
    with pytest.raises(errors.InsufficientPrivilege):
        team.sql("carol", "UPDATE task SET status = 'done' WHERE id = %s", (task.id,))
    assert team.row() == before
    for who in ("bob", "mia"):  # a side of it, and a manager
        code, _out, err = run(capsys, team, who, "dates", team.handoff, "--target",
                             "2027-01-10")
        assert (code, err) == (0, ""), err


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_only_a_manager_deletes_a_handoff(team: Team, who: str) -> None:
    before = team.row()
    store = team.store(who)
    try:
        with pytest.raises(RefusedError) as refused:
            store.handoffs.delete(team.handoff)
        words = ("only a manager deletes a handoff" if who != "carol" else  # no side of it
                 "only the two CSMs of a handoff or a lead or manager add to its history")
        assert str(refused.value) == f"the server refused: {words}; nothing was changed"
    finally:
        store.close()
    with pytest.raises(errors.InsufficientPrivilege):
        team.sql(who, "DELETE FROM handoff WHERE id = %s", (team.handoff,))
    assert team.row() == before
    manager = team.store("mia")
    try:
        manager.handoffs.delete(team.handoff)
        assert manager.handoffs.summaries() == []
    finally:
        manager.close()


# -- the TUI: the refusal is said, nothing changed, the app stays open ---------------------


def _telling(app) -> list[str]:
    told: list[str] = []
    tell = app.tell
    app.tell = lambda message, **kw: (told.append(message), tell(message, **kw))
    return told


async def test_the_tui_says_why_a_csm_cannot_delete(team: Team) -> None:
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.handoffs import HandoffsScreen
    from transfer_tui.widgets.confirm import Confirm

    before = team.row()
    store = team.store("alice")
    try:
        app = TransferApp(store, clock=fixed_clock)
        told = _telling(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.sub_title == f"{store.server.place} · as {OUT}"  # fits 80 columns
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, Confirm)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, HandoffsScreen)
            assert told[-1] == ("the server refused: only a manager deletes a handoff; "
                                "nothing was changed")
            assert [s.account for s in store.handoffs.summaries()] == ["Acme"]
    finally:
        store.close()
    assert team.row() == before


async def test_the_tui_says_why_only_the_outgoing_csm_hands_over(team: Team) -> None:
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist import ChecklistScreen
    from transfer_tui.widgets.confirm import Confirm

    store = team.admin()
    try:
        make_ready(store, team.handoff, OUT, IN)
        for task in store.handoffs.checklist(team.handoff).tasks:
            store.tasks.update(task.id, status="done")
    finally:
        store.close()
    before = team.row()
    store = team.store("bob")
    try:
        app = TransferApp(store, clock=fixed_clock)
        told = _telling(app)
        async with app.run_test(size=(80, 24)) as pilot:
            app.push_screen(ChecklistScreen(team.handoff))
            await settle(pilot)
            await pilot.press("H")  # the app knows Bob is not the outgoing CSM
            await settle(pilot)
            assert isinstance(app.screen, ChecklistScreen)
            assert told[-1].startswith(f"Only {OUT} (Outgoing CSM) can hand this handoff "
                                       f"over; you are working as {IN}")
            store.user = OUT  # a client fooled into thinking it is Alice: the server says no
            await pilot.press("H")
            await settle(pilot)
            assert isinstance(app.screen, Confirm)
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, ChecklistScreen)
            assert told[-1] == ("the server refused: the history records changes under "
                                f"your own name, {IN}; nothing was changed")
    finally:
        store.close()
    assert team.row() == before


# -- the schema is the administrator's; people -------------------------------------------


def test_a_csm_does_not_create_the_schema(team: Team, empty_server_url: str, capsys,
                                          monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    empty = Team(empty_server_url, team.logins, team.handoff, team.roles)
    code, _out, err = run(capsys, empty, "alice", "new", "Globex", "--from", OUT, "--to", IN)
    one_line_refusal(code, err, f"holds no transfer-tui data yet and your login "
                     f"({team.logins['alice']}) may not set it up: ask your admin to run  "
                     "transfer-tui init-server")
    with psycopg.connect(libpq_url(empty_server_url), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                            ).fetchone() == (0,)


def test_init_server_is_the_administrators_and_gives_the_team_its_rules(
        team: Team, empty_server_url: str, capsys, monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    empty = Team(empty_server_url, team.logins, "", team.roles)
    code, out, err = run(capsys, empty, "alice", "init-server", empty.url_of("alice"))
    one_line_refusal(code, err, f"your login ({team.logins['alice']}) is not ")
    assert out == "" and "administrator" in err
    roles = team.roles
    code, out, err = run(capsys, empty, "mia", "init-server", "--team", empty_server_url,
                         "--csm-role", roles.csm, "--lead-role", roles.lead,
                         "--manager-role", roles.manager)
    assert (code, err) == (0, "") and "Giving" in out and "team-sql --person" in out
    with psycopg.connect(libpq_url(empty_server_url), autocommit=True) as conn:
        assert conn.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE tablename IN "
                            "('handoff', 'event', 'people')").fetchall() == [("postgres",)]
    for who in ("alice", "bob"):  # display names are the database's: named here afresh
        assert run(capsys, empty, "mia", "people", "add", team.logins[who], NAMES[who])[0] == 0
    code, out, err = run(capsys, empty, "alice", "new", "Globex", "--from", OUT, "--to", IN)
    assert (code, err) == (0, ""), err
    made = out.strip()
    code, _out, err = run(capsys, empty, "carol", "dates", made, "--target", "2027-01-10")
    one_line_refusal(code, err, "the server refused: only the two CSMs of a handoff")
    store = empty.store("bob")
    try:
        with pytest.raises(RefusedError, match="only a manager deletes a handoff"):
            store.handoffs.delete(made)
    finally:
        store.close()


def test_people_are_listed_named_and_renamed_through_the_cli(team: Team, capsys,
                                                             monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    dan = team.logins["dan"]
    code, out, err = run(capsys, team, "carol", "people")
    lines = [line.split(maxsplit=2) for line in out.splitlines()]
    assert code == 0 and [team.logins["carol"], "csm", f"{OTHER}  (you)"] in lines
    assert [dan, "csm", dan] in lines and [team.logins["mia"], "manager", BOSS] in lines
    assert f"no display name yet: transfer-tui people add {dan} \"Their Name\"" in out
    code, out, err = run(capsys, team, "carol", "people", "add", dan, "Dan Dare")
    one_line_refusal(code, err, "only a lead or manager names people on this server")
    code, out, err = run(capsys, team, "mia", "people", "add", dan, "Dan Dare")
    assert (code, out, err) == (0, f"{dan} is now shown as Dan Dare\n", "")
    code, out, err = run(capsys, team, "mia", "people", "rename", dan, "alice OUTGOING")
    one_line_refusal(code, err, "names someone else already")
    code, out, err = run(capsys, team, "mia", "people", "rename", dan, "Daniel Dare")
    assert code == 0
    store = team.store("dan")
    try:
        assert store.user == "Daniel Dare"
    finally:
        store.close()


def test_people_on_a_file_says_a_file_has_no_logins(store: Store, capsys) -> None:
    assert main(["--db", str(store.path), "people"]) != 0
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "a file has no logins" in err
    assert "set your name there with  transfer-tui config set name" in err  # says how


def test_copying_a_file_in_is_the_administrators(team: Team, store: Store, capsys,
                                                 monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    store.handoffs.create("Umbrella", "Dana Whitfield", "Sam Okafor")
    before = team.row()
    code, out, err = run(capsys, team, "alice", "copy", str(store.path), team.url_of("alice"))
    one_line_refusal(code, err, "the server refused: ")
    assert out == "" and err.endswith("nothing was changed\n")
    assert team.row() == before
    code, out, err = run(capsys, team, "alice", "copy", str(store.path), team.url)
    assert (code, err) == (0, "") and "Copied" in out


async def test_a_refused_record_form_stays_open_and_says_why(team: Team) -> None:
    from textual.widgets import Label

    from tests.ui.test_record_form import fill, open_form
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.record_form import RecordForm

    before = team.row()
    store = team.store("carol")  # no side of the handoff
    try:
        app = TransferApp(store, clock=fixed_clock)
        async with app.run_test(size=(80, 24)) as pilot:
            form = await open_form(app, pilot, team.handoff, "stakeholder")
            await fill(pilot, form, {"name": "Lena Park"})
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form and isinstance(app.screen, RecordForm)
            said = str(form.query_one("#form-error", Label).render())
            assert said.startswith("Not saved: the server refused: only the two CSMs")
            assert "What you typed is still here" in said
            assert form.values()["name"] == "Lena Park"
    finally:
        store.close()
    assert team.row() == before


def test_what_is_due_is_for_the_login(team: Team, capsys, monkeypatch) -> None:
    monkeypatch.setenv("TRANSFER_TUI_USER", team.logins["bob"])  # yourself, by login
    code, out, err = run(capsys, team, "bob", "due")
    assert (code, err) == (0, "") and out.startswith(f"# Due for {IN}\n")


def test_the_databases_owner_is_its_administrator(team: Team, empty_server_url: str, capsys,
                                                  monkeypatch) -> None:
    """Whoever owns the database (here Dan's login) sets it up, owns the tables, and is not
    held by the team's rules: --as names anyone, as psql would let them."""
    monkeypatch.delenv("TRANSFER_TUI_USER")
    with psycopg.connect(libpq_url(team.url), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{urlsplit(empty_server_url).path.strip("/")}" OWNER TO '
                     f'{team.logins["dan"]}')
    empty = Team(empty_server_url, team.logins, "", team.roles)
    code, out, err = run(capsys, empty, "dan", "--as", OTHER, "new", "Globex", "--from", OUT,
                         "--to", IN)
    assert (code, err) == (0, ""), err
    store = empty.store("dan")
    try:
        assert not store.named_by_server and not store.claims_someone_else(OTHER)
        assert {e.actor for e in store.history.activity(out.strip())} == {OTHER}
    finally:
        store.close()


def test_a_login_outside_the_team_is_told_in_one_line(team: Team, capsys,
                                                      monkeypatch) -> None:
    monkeypatch.delenv("TRANSFER_TUI_USER")
    outsider = f"tt_out_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq_url(team.url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {outsider} LOGIN")
    try:
        them = Team(team.url, {**team.logins, "out": outsider}, team.handoff, team.roles)
        code, out, err = run(capsys, them, "out", "list")
        one_line_refusal(code, err, f"the server refused: your login may not read {PEOPLE} "
                         "here (ask your admin to add it to the team)")
        assert out == ""
    finally:
        with psycopg.connect(libpq_url(team.url), autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = %s", (outsider,))
            conn.execute(f"DROP ROLE {outsider}")


def test_people_on_a_server_without_the_team_says_how_to_get_one(server_url: str,
                                                                  capsys) -> None:
    assert main(["--db", server_url, "people"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "has no team yet: ask your admin to run  transfer-tui init-server --team " in err


def test_the_app_does_not_ask_a_logins_name(team: Team, monkeypatch) -> None:
    """The first-run name prompt is a file's: on a server you are your login."""
    import transfer_tui.app
    from transfer_tui.cli import run_tui
    from transfer_tui.cli.options import FROM_DEFAULT, Settings

    asked: list[bool] = []

    class App:
        return_code = 0

        def __init__(self, store, *, ask_name: bool, notice, first_page=None) -> None:
            asked.append(ask_name)
            assert store.user == IN

        def run(self, loop=None) -> None:
            pass

    monkeypatch.setattr(transfer_tui.app, "TransferApp", App)
    settings = Settings(db=team.url_of("bob"), user="root", db_from="option",
                        user_from=FROM_DEFAULT)
    assert settings.name_unknown
    assert run_tui(settings) == 0 and asked == [False]
