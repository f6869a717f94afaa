"""`due`, `notify` and `intro` from the command line, against the demo database."""

from __future__ import annotations

import email
import json
from email.policy import default as default_policy
from pathlib import Path

import icalendar
import pytest

from tests.conftest import TODAY
from tests.export.test_cli_export import run
from tests.outreach.helpers import PEOPLE, write_config
from tests.outreach.test_webhook import SECRET, Hook
from transfer_tui.demo import demo_id
from transfer_tui.store import Store


def test_due_items_for_each_side(demo_store: Store) -> None:
    def kinds(person: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in demo_store.due_items(person, TODAY, 7):
            found[item.kind] = found.get(item.kind, 0) + 1
        return found

    assert kinds("Jordan Rivera") == {"overdue_task": 20, "promise_due": 1}
    assert kinds("jordan  RIVERA") == kinds("Jordan Rivera")  # as --as matches everywhere
    assert kinds("Sam Okafor")["awaiting_acceptance"] == 1
    assert kinds("Priya Raman")["renewal_outreach"] == 1
    assert kinds("Nobody") == {}
    snapshot = demo_store.snapshot(demo_id("Initech"))
    overdue = {i.ref for i in demo_store.due_items("Jordan Rivera", TODAY, 7)
               if i.kind == "overdue_task"}
    assert overdue == {t.id for t in snapshot.tasks if t.overdue(TODAY)
                       and t.owner.value in ("incoming", "both")}


def test_due_prints_the_digest_and_exits_0(capsys, demo_db) -> None:
    code, out, err = run(capsys, "--db", demo_db, "--as", "Jordan Rivera", "due")
    assert (code, err) == (0, "")
    assert out.startswith("# Due for Jordan Rivera\n")
    assert "## Overdue tasks (20)" in out and "## Promises you own that are due (1)" in out
    code, out, _ = run(capsys, "--db", demo_db, "due", "--as", "Nobody", "--format", "json")
    assert code == 0 and json.loads(out)["items"] == []
    code, out, _ = run(capsys, "--db", demo_db, "due", "--as", "Nobody")
    assert code == 0 and "Nothing is due for Nobody in the next 7 days" in out


def test_due_writes_a_calendar_that_a_rerun_replaces(capsys, demo_db, tmp_path) -> None:
    target = tmp_path / "due.ics"
    code, _, err = run(capsys, "--db", demo_db, "--as", "Marco Bellini", "due", "--ics",
                       str(target))
    assert code == 0 and f"Wrote {target}" in err
    first = icalendar.Calendar.from_ical(target.read_bytes())
    uids = sorted(str(e["UID"]) for e in first.walk("VEVENT"))
    assert len(uids) == len(set(uids)) > 10
    run(capsys, "--db", demo_db, "--as", "Marco Bellini", "due", "--ics", str(target))
    again = icalendar.Calendar.from_ical(target.read_bytes())
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == uids


@pytest.mark.parametrize(("args", "words"), [
    (["due", "--days", "-1"], "Invalid value for '--days'"),
    (["due", "--format", "pdf"], "Invalid value for '--format'"),
    (["notify"], "no webhook"),
])
def test_bad_arguments_are_one_line(capsys, demo_db, args, words) -> None:
    code, _, err = run(capsys, "--db", demo_db, *args)
    assert code != 0 and words in err and err.count("\n") == 1


def test_notify_posts_to_the_config_webhook_and_never_prints_it(capsys, demo_db,
                                                                 isolated_home) -> None:
    hook = Hook()
    try:
        write_config(isolated_home, f'[notify]\nwebhook = "{hook.url}"\n')
        code, out, err = run(capsys, "--db", demo_db, "--as", "Jordan Rivera", "notify")
        assert (code, err) == (0, "")
        assert "Posted the digest for Jordan Rivera (21 items)" in out
        assert SECRET not in out
        assert "*Overdue tasks (20)*" in hook.received[0]["json"]["text"]
        hook.answers = [500, 500]
        code, out, err = run(capsys, "--db", demo_db, "--as", "Jordan Rivera", "notify")
        assert code == 1 and err.count("\n") == 1 and SECRET not in err
        assert "answered 500" in err and "(tried twice)" in err
    finally:
        hook.close()


def test_notify_url_option_wins(capsys, demo_db) -> None:
    hook = Hook()
    try:
        code, _, _ = run(capsys, "--db", demo_db, "notify", "--webhook", hook.url, "--as",
                           "Nobody")
        assert code == 0 and "Nothing is due" in hook.received[0]["json"]["text"]
    finally:
        hook.close()


# -- intro ------------------------------------------------------------------------------

def test_intro_on_globex_writes_both_files(capsys, demo_db, isolated_home, tmp_path) -> None:
    write_config(isolated_home, PEOPLE)
    code, out, err = run(capsys, "--db", demo_db, "intro", "Globex", "-o", str(tmp_path))
    assert code == 0, err
    eml, ics = (Path(line) for line in out.splitlines())
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert [a.addr_spec for a in message["To"].addresses] == ["lena.fischer@globex.example",
                                                              "henrik.olsen@globex.example"]
    assert [a.addr_spec for a in message["From"].addresses] == ["priya@vendor.example"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["marco@vendor.example"]
    event = next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert {str(a) for a in event["ATTENDEE"]} == {
        "mailto:priya@vendor.example", "mailto:marco@vendor.example",
        "mailto:lena.fischer@globex.example", "mailto:henrik.olsen@globex.example"}
    assert "To Lena Fischer, Henrik Olsen; cc Marco Bellini" in err
    for secret in (b"skeptical", b"SSO push", b"Disposition"):
        assert secret not in eml.read_bytes() and secret not in ics.read_bytes()
    code, _, err = run(capsys, "--db", demo_db, "intro", "Globex", "-o", str(tmp_path))
    assert code == 1 and "already exists: add --force" in err
    code, _, _ = run(capsys, "--db", demo_db, "intro", "Globex", "-o", str(tmp_path),
                     "--force", "--when", "2026-12-03 10:00 America/Chicago")
    event = next(iter(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")))
    assert code == 0 and event["DTSTART"].params["TZID"] == "America/Chicago"


def test_intro_names_what_is_missing_and_writes_nothing(capsys, demo_db, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    code, out, err = run(capsys, "--db", demo_db, "intro", "Northwind", "-o", str(tmp_path))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "add one in Context → Stakeholders" in err
    assert list(tmp_path.iterdir()) == []


def test_intro_without_csm_emails_says_where_to_put_them(capsys, demo_db, tmp_path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    code, _, err = run(capsys, "--db", demo_db, "intro", "Globex", "-o", str(tmp_path))
    assert code == 1 and "no e-mail address for Priya Raman (outgoing CSM)" in err
    assert "or pass --from" in err and list(tmp_path.iterdir()) == []
    code, _, err = run(capsys, "--db", demo_db, "intro", "Globex", "-o", str(tmp_path),
                         "--from", "priya@vendor.example", "--cc", "marco@vendor.example")
    assert code == 0, err


def test_due_reads_a_file_with_dates_outside_the_range(capsys, demo_db, tmp_path) -> None:
    """A renewal of 0001-03-01, a target of 9999-12-31 and a due date of "garbage" (written
    with another tool): the digest and its calendar still come out."""
    import sqlite3

    conn = sqlite3.connect(demo_db)
    with conn:
        conn.execute("UPDATE handoff SET renewal_date = '0001-03-01', target_date = "
                     "'9999-12-31' WHERE id = ?", (demo_id("Initech"),))
        conn.execute("UPDATE task SET due_date = 'garbage' WHERE rowid = (SELECT min(rowid) "
                     "FROM task WHERE handoff_id = ?)", (demo_id("Initech"),))
    conn.close()
    for person in ("Jordan Rivera", "Alex Chen"):
        code, _, err = run(capsys, "--db", demo_db, "--as", person, "due", "--days", "366",
                           "--ics", str(tmp_path / "due.ics"))
        assert code == 0, err
