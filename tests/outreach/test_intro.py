"""The intro e-mail and invite parse back with the standard parsers, reach the right people
at the right time, name what is missing, and no typed text changes their structure."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.export.helpers import CREATED, make_snapshot
from transfer_tui.config import parse_config
from transfer_tui.export.files import ExportFileExists
from transfer_tui.export.snapshot import HandoffSnapshot
from transfer_tui.outreach.email_draft import intro_email
from transfer_tui.outreach.files import intro_files, write_intro
from transfer_tui.outreach.intro import IntroProblem, plan_intro
from transfer_tui.outreach.invite import intro_invite
from transfer_tui.records import Record

CONFIG = parse_config({"people": {"Dana Whitfield": "dana@vendor.example",
                                  "Sam Okafor": "sam@vendor.example"}})


def record(kind: str, index: int, **values) -> Record:
    return Record(kind, f"{kind}-{index}", "h", values, 1, CREATED, "Dana", CREATED, "Dana")


def people(*stakeholders: dict) -> tuple[Record, ...]:
    return tuple(record("stakeholder", i, **s) for i, s in enumerate(stakeholders))


STAKEHOLDERS = people(
    {"name": "Lena Fischer", "job_title": "Finance ops", "email": "lena@acme.example",
     "sponsor": True, "disposition": "skeptical", "notes": "Hates long decks"},
    {"name": "Tomasz Nowak", "email": "tomasz@acme.example", "primary_contact": True,
     "personal_win": "A promotion"},
    {"name": "Quiet Person", "email": "quiet@acme.example"},  # neither flag: not addressed
)
CADENCE = (record("cadence", 0, name="Thursday ops sync", cadence="weekly",
                  day_time="Thursday 16:00 CET", agenda_link="https://internal/agenda"),)


def snapshot(stakeholders=STAKEHOLDERS, cadence=CADENCE, **fields) -> HandoffSnapshot:
    base = make_snapshot(**fields)
    promise = record("promise", 0, promise="Roadmap preview in Q1", status="at_risk",
                     explicit="implied", made_to="Lena Fischer")
    risk = record("risk", 0, risk="Champion may leave", severity="high")
    return replace(base, records={"stakeholder": stakeholders, "cadence": cadence,
                                  "promise": (promise,), "risk": (risk,)})


def parse_email(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=default_policy)  # type: ignore[return-value]


def parse_invite(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def addresses(message, header: str) -> list[tuple[str, str]]:
    return [(a.display_name, a.addr_spec) for a in message[header].addresses]


def test_the_email_goes_to_sponsor_and_primary_from_outgoing_cc_incoming() -> None:
    intro = plan_intro(snapshot(), CONFIG, now=NOW)
    message = parse_email(intro_email(intro, None, NOW))
    assert addresses(message, "From") == [("Dana Whitfield", "dana@vendor.example")]
    assert addresses(message, "To") == [("Lena Fischer", "lena@acme.example"),
                                        ("Tomasz Nowak", "tomasz@acme.example")]
    assert addresses(message, "Cc") == [("Sam Okafor", "sam@vendor.example")]
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Acme: meet Sam Okafor, your new Customer Success Manager"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert body.startswith("Hello Lena and Tomasz,")
    assert "Roadmap preview in Q1" in body
    assert "Thursday 2026-11-26 at 16:00 (Europe/Berlin) for 30 minutes" in body
    for secret in ("skeptical", "Hates long decks", "A promotion", "Champion may leave",
                   "at risk", "implied", "internal/agenda", "Quiet Person"):
        assert secret not in body and secret not in str(message)
    assert b"\r\n" in intro_email(intro, None, NOW)  # RFC 5322 line ends


def test_the_invite_is_a_request_with_every_attendee_asked_to_reply() -> None:
    intro = plan_intro(snapshot(), CONFIG, now=NOW)
    cal = parse_invite(intro_invite(intro, None, NOW))
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0"
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    start = event["DTSTART"].dt
    assert start == datetime(2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].dt - start == timedelta(minutes=30)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["ORGANIZER"]) == "mailto:dana@vendor.example"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:dana@vendor.example",
                                           "mailto:sam@vendor.example",
                                           "mailto:lena@acme.example",
                                           "mailto:tomasz@acme.example"]
    assert all(a.params["RSVP"] == "TRUE" and a.params["PARTSTAT"] == "NEEDS-ACTION"
               for a in attendees)
    assert [a.params["CN"] for a in attendees][2:] == ["Lena Fischer", "Tomasz Nowak"]
    assert event["UID"] == f"intro-{make_snapshot().id}@transfer-tui"
    text = intro_invite(intro, None, NOW).decode()
    for secret in ("skeptical", "Champion may leave", "internal/agenda", "at risk"):
        assert secret not in text


def test_when_sets_the_time_and_its_zone_and_a_later_invite_wins() -> None:
    intro = plan_intro(snapshot(), CONFIG, now=NOW, when="2026-12-03 09:30 America/New_York",
                       minutes=45)
    event = next(iter(parse_invite(intro_invite(intro, None, NOW)).walk("VEVENT")))
    assert event["DTSTART"].dt == datetime(2026, 12, 3, 9, 30,
                                           tzinfo=ZoneInfo("America/New_York"))
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=45)
    later = next(iter(parse_invite(intro_invite(intro, None, NOW + timedelta(hours=1)))
                      .walk("VEVENT")))
    assert later["UID"] == event["UID"] and later["SEQUENCE"] > event["SEQUENCE"]


def test_the_soonest_cadence_call_is_taken() -> None:
    calls = (record("cadence", 0, name="QBR", cadence="quarterly",
                    day_time="First Tuesday of the quarter, 14:00 CET"),
             record("cadence", 1, name="Monthly", cadence="monthly",
                    day_time="Second Wednesday, 10:00 EST"))
    intro = plan_intro(snapshot(cadence=calls), CONFIG, now=NOW)
    assert intro.start == datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert intro.time_from == "Monthly"


@pytest.mark.parametrize(("change", "words"), [
    ({"stakeholders": ()}, "no stakeholder with an email marked executive sponsor or "
                           "primary contact: add one in Context → Stakeholders"),
    ({"stakeholders": people({"name": "Lena", "sponsor": True})},
     "no stakeholder with an email: add one for Lena (executive sponsor) in Context → "
     "Stakeholders"),
    ({"stakeholders": people({"name": "Lena", "primary_contact": True, "email": "lena at acme"})},
     "Lena's email 'lena at acme' is not an address: fix it in Context → Stakeholders"),
    ({"cadence": ()}, "no cadence call recorded to take the time from: add one in Context → "
                      "Cadence calls, or pass --when"),
    ({"cadence": (record("cadence", 0, name="Ad hoc", day_time="when needed"),)},
     "the cadence call 'Ad hoc' has no day and time I can read ('when needed')"),
])
def test_missing_data_is_named_with_where_to_fill_it_in(change, words) -> None:
    with pytest.raises(IntroProblem) as caught:
        plan_intro(snapshot(**change), CONFIG, now=NOW)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_csm_addresses_come_from_the_config_or_the_options() -> None:
    with pytest.raises(IntroProblem, match=r"no e-mail address for Dana Whitfield \(outgoing "
                                           r"CSM\): add it under \[people\].*or pass --from"):
        plan_intro(snapshot(), parse_config({}), now=NOW)
    with pytest.raises(IntroProblem, match=r"Sam Okafor \(incoming CSM\).*--cc"):
        plan_intro(snapshot(), parse_config({}), now=NOW, sender="d@vendor.example")
    intro = plan_intro(snapshot(), parse_config({}), now=NOW, sender="d@vendor.example",
                       cc="s@vendor.example")
    assert (intro.sender.email, intro.incoming.email) == ("d@vendor.example", "s@vendor.example")
    with pytest.raises(IntroProblem, match="is not an address"):
        plan_intro(snapshot(), CONFIG, now=NOW, sender="x@y\r\nBcc: z@evil.example")
    with pytest.raises(IntroProblem, match="--when: 'soon' is not a time"):
        plan_intro(snapshot(), CONFIG, now=NOW, when="soon")


def test_both_files_are_written_or_neither(tmp_path: Path) -> None:
    intro = plan_intro(snapshot(), CONFIG, now=NOW)
    eml, ics = write_intro(intro, tmp_path, None, NOW)
    assert (eml.name, ics.name) == ("acme-intro-2026-11-25.eml", "acme-intro-2026-11-25.ics")
    assert parse_email(eml.read_bytes())["X-Unsent"] == "1"
    eml.unlink()
    with pytest.raises(ExportFileExists):
        write_intro(intro, tmp_path, None, NOW)  # the invite is there: nothing written
    assert not eml.exists()
    write_intro(intro, tmp_path, None, NOW, overwrite=True)
    assert eml.exists()


def test_a_team_template_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "intro_email.txt").write_text(
        "Hi from {{ outgoing.name }}\n\n{{ recipients | map(attribute='email') | join(', ') }}"
        " · {{ call.weekday }} {{ call.time }} {{ call.zone }}\n", encoding="utf-8")
    intro = plan_intro(snapshot(), CONFIG, now=NOW)
    message = parse_email(intro_email(intro, folder, NOW))
    assert message["Subject"] == "Hi from Dana Whitfield"
    assert message.get_content().replace("\r\n", "\n") == (
        "lena@acme.example, tomasz@acme.example · Thursday 16:00 "
                                     "Europe/Berlin\n")


# -- whatever people type -----------------------------------------------------------------

NASTY = ["\r\nBcc: x@y.example", "\\", "Ana \\", 'a\\"b', "Ana\nTo: all@evil.example",
         'Ana "The Boss" López',
         "<b>Ana</b>, Inc.; Ltd", "名前 テスト", "Ana\x00\x1b[31m", "a" * 300,
         "=?utf-8?q?Bcc=3A_x=40y?=", "BEGIN:VEVENT", "x\r\nEND:VEVENT\r\nBEGIN:VTODO",
         "Ana;ROLE=CHAIR:mailto:evil@x.example"]
names = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=60))


@settings(max_examples=60, deadline=None)
@given(account=names, outgoing=names, incoming=names, sponsor=names, title=names,
       promise=names, call=names)
def test_typed_text_never_changes_the_headers_or_the_invite(account, outgoing, incoming,
                                                            sponsor, title, promise,
                                                            call) -> None:
    config = parse_config({"people": {outgoing: "out@vendor.example",
                                      incoming: "in@vendor.example"}})
    if " ".join(outgoing.split()).casefold() == " ".join(incoming.split()).casefold():
        incoming += " 2"
        config = parse_config({"people": {outgoing: "out@vendor.example",
                                          incoming: "in@vendor.example"}})
    stakeholders = people({"name": sponsor, "job_title": title, "email": "s@acme.example",
                           "sponsor": True})
    cadence = (record("cadence", 0, name=call, day_time="Thursday 16:00 CET",
                      attendees=[call, sponsor]),)
    base = snapshot(stakeholders=stakeholders, cadence=cadence, account=account,
                    outgoing=outgoing, incoming=incoming)
    base = replace(base, records={**base.records, "promise": (
        record("promise", 0, promise=promise, made_to=sponsor, status="pending"),)})
    intro = plan_intro(base, config, now=NOW)
    eml, ics = intro_files(intro, None, NOW)

    message = parse_email(eml)
    assert sorted(k.lower() for k in message) == sorted(
        ["from", "to", "cc", "subject", "date", "message-id", "x-unsent", "content-type",
         "content-transfer-encoding", "mime-version"])
    assert [a.addr_spec for a in message["From"].addresses] == ["out@vendor.example"]
    assert [a.addr_spec for a in message["To"].addresses] == ["s@acme.example"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["in@vendor.example"]
    assert message["Bcc"] is None and not message.defects
    # spaces aside: Python's parser keeps the fold between two encoded words of a long name
    # as a space, where RFC 2047 (and mail clients) drop it
    assert "".join(message["To"].addresses[0].display_name.split()) == "".join(
        intro.recipients[0].name.replace("=?", "= ?").split())
    assert "\n" not in message["Subject"]
    for line in eml.split(b"\r\n"):
        assert len(line) <= 998 and b"\n" not in line and b"\r" not in line

    cal = parse_invite(ics)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert cal.walk("VTODO") == []
    event = next(iter(cal.walk("VEVENT")))
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:out@vendor.example",
                                           "mailto:in@vendor.example", "mailto:s@acme.example"]
    assert attendees[2].params["CN"] == intro.recipients[0].name.replace("\\", "\u29f5")
    assert all(set(a.params) == {"CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP"}
               for a in attendees)
    assert str(event["ORGANIZER"]) == "mailto:out@vendor.example"
    assert str(event["SUMMARY"]).startswith(intro.account[:10].strip() or "")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_the_email_date_is_the_time_it_was_made() -> None:
    intro = plan_intro(snapshot(), CONFIG, now=NOW)
    message = parse_email(intro_email(intro, None, NOW))
    assert message["Date"].datetime == NOW.astimezone(UTC)
