"""The record declarations hang together, and the rules read from them hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from transfer_tui.playbooks import RECORD_KINDS
from transfer_tui.records import KINDS, FieldType, Record, attention, format_value, get_kind
from transfer_tui.records.fields import input_text, money_text
from transfer_tui.records.record import next_renewal, sparkline, summary_line
from transfer_tui.store import ValidationError, check_record
from transfer_tui.store.record_values import parse_field

TODAY = date(2026, 11, 25)
STAMP = datetime(2026, 11, 1, tzinfo=UTC)


def make(kind: str, **values) -> Record:
    clean, errors = check_record(get_kind(kind), values)
    assert not errors
    return Record(kind, "id", "handoff", clean, 1, STAMP, "Dana", STAMP, "Dana")


def test_kinds_are_the_ones_playbooks_name() -> None:
    assert tuple(kind.key for kind in KINDS) == RECORD_KINDS


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_declaration_is_consistent(kind) -> None:
    names = kind.names
    assert len(set(names)) == len(names)
    assert kind.field(kind.title_field).required  # every record has a name or title
    assert [s.name for s in kind.fields if s.required] == [kind.title_field]
    # a form opens on a field people type into: letters never move a choice by accident
    assert kind.fields[0].type not in (FieldType.CHOICE, FieldType.BOOL)
    assert set(kind.columns) <= set(names) and kind.title_field in kind.columns
    assert kind.sort_field is None or kind.sort_field in names
    for spec in kind.fields:
        if spec.type is FieldType.CHOICE:
            assert spec.choices and (spec.default is None or spec.default in spec.values)
        else:
            assert not spec.choices
        for linked in (spec.currency_field, spec.basis_field):
            assert linked is None or linked in names


@pytest.mark.parametrize(
    ("kind", "field", "raw", "value"),
    [
        ("license", "seats_bought", "1,250", 1250),
        ("license", "seats_bought", " ", None),
        ("license", "contract_value", "220k", 22_000_000),
        ("license", "contract_value", "1.5m", 150_000_000),
        ("license", "contract_value", "1,250.50", 125_050),
        ("license", "currency", "gbp", "GBP"),
        ("license", "value_basis", "MRR", "mrr"),
        ("license", "value_basis", "", ""),
        ("promise", "status", "", "pending"),  # blank takes the default
        ("stakeholder", "role", "Economic Buyer", "economic_buyer"),
        ("channel", "is_primary", "no", False),
        ("cadence", "attendees", "a\r\nb\n\n", ["a", "b"]),
        ("health", "day", "2026-02-28", date(2026, 2, 28)),
    ],
)
def test_values_people_type(kind, field, raw, value) -> None:
    assert parse_field(get_kind(kind).field(field), raw) == value


@pytest.mark.parametrize(
    ("kind", "field", "raw", "words"),
    [
        ("license", "plan", "  ", "required"),
        ("license", "seats_used", "-3", "0 or more"),
        ("license", "seats_used", "12.5", "not a whole number"),
        ("license", "seats_bought", "9" * 40, "between 0 and 999,999,999,999"),
        ("license", "seats_bought", "9" * 41, "not a whole number"),
        ("license", "seats_bought", "9" * 5000, "not a whole number"),  # Python's own limit
        ("license", "seats_bought", 10**30, "between 0 and 999,999,999,999"),
        ("license", "seats_used", "١٢", "not a whole number"),  # digits of another script
        ("license", "contract_value", "9" * 40, "too large"),
        ("license", "contract_value", 10**30, "out of range"),
        ("health", "score", "101", "between 0 and 100"),
        ("license", "contract_value", "€100", "not an amount"),
        ("license", "contract_value", "1.005", "more than two decimals"),
        ("license", "currency", "dollars", "not a currency code"),
        ("license", "renewal_date", "2026-02-30", "not a date"),
        ("license", "renewal_date", "next March", "not a date"),
        ("risk", "severity", "huge", "must be one of: high, medium, low"),
        ("ticket", "cc", "perhaps", "yes or no"),
        ("promise", "promise", "a\nb", "one line"),
        ("key_date", "name", "x" * 501, "too long"),
        ("cadence", "attendees", "y" * 201, "too long"),
    ],
)
def test_refusals_name_their_field(kind, field, raw, words) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_field(get_kind(kind).field(field), raw)
    assert caught.value.field == field
    assert words in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize("link", [
    "https://drive.example.com/d/1fN?usp=sharing", "http://intranet:8080/wiki/Acme",
    "/shared/Customers/Globex notes", "~/Documents/acme.pdf", "C:\\Deals\\Acme\\SOW.pdf",
    "d:/deals/sow.pdf", "\\\\fileserver\\cs\\acme",
])
def test_a_link_is_an_http_address_or_a_file_path(link: str) -> None:
    assert parse_field(get_kind("document").field("link"), f" {link} ") == link


@pytest.mark.parametrize(("link", "words"), [
    ("javascript:alert(1)", "not an http(s) link or a file path"),
    ("JaVaScRiPt:alert(1)", "not an http(s) link or a file path"),
    ("data:text/html;base64,PHNjcmlwdD4=", "not an http(s) link or a file path"),
    ("file:///etc/passwd", "not an http(s) link or a file path"),
    ("vbscript:msgbox", "not an http(s) link or a file path"),
    ("smb://server/share", "not an http(s) link or a file path"),
    ("$(rm -rf ~)", "not an http(s) link or a file path"),
    ("docs.example.com/notes", "not an http(s) link or a file path"),
    ("https://", "has no host"),
    ("https://:80/x", "has no host"),
    ("https://host:port/x", "has no host"),
    ("https://a.example/x y", "has a space"),
    ("/shared/a\x1b[31mred", "one line"),
    ("/shared/a\nb", "one line"),
    ("https://a.example/" + "x" * 2000, "too long"),
])
def test_anything_else_is_refused_as_a_link(link: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_field(get_kind("feature_request").field("link"), link)
    assert caught.value.field == "link"
    assert words in caught.value.message and "\n" not in caught.value.message


def test_check_record_reports_every_problem_at_once() -> None:
    _, errors = check_record(get_kind("license"), {
        "plan": "", "seats_used": "lots", "contract_start": "2027-01-01",
        "contract_end": "2026-01-01"})
    assert set(errors) == {"plan", "seats_used", "contract_end"}


def test_values_read_back_as_typed() -> None:
    license_ = get_kind("license")
    record = make("license", plan="Team", contract_value="186,000", currency="usd",
                  value_basis="acv", seats_bought=40)
    assert record.text("contract_value") == "USD 186,000 ACV"
    assert input_text(license_.field("contract_value"), 18_600_050) == "186000.50"
    assert money_text(125_050) == "1,250.50"
    assert format_value(license_.field("seats_bought"), 1250) == "1,250"
    assert format_value(get_kind("channel").field("is_primary"), True) == "yes"
    assert summary_line(record) == "Team · seats 40 · value USD 186,000 ACV"


@pytest.mark.parametrize(
    ("kind", "values", "why"),
    [
        ("risk", {"risk": "r", "severity": "high", "owner": "Sam"}, "without a mitigation"),
        ("risk", {"risk": "r", "severity": "high", "mitigation": "m"}, "without an owner"),
        ("risk", {"risk": "r", "severity": "high", "mitigation": "m", "owner": "o"}, ""),
        ("risk", {"risk": "r", "severity": "low"}, ""),
        ("promise", {"promise": "p"}, "promise pending"),
        ("promise", {"promise": "p", "status": "at_risk"}, "promise at risk"),
        ("promise", {"promise": "p", "status": "fulfilled"}, ""),
        ("ticket", {"title": "t", "severity": "critical"}, "not in CC"),
        ("ticket", {"title": "t", "severity": "critical", "cc": True}, ""),
        ("objective", {"objective": "o", "status": "missed"}, "objective missed"),
    ],
)
def test_what_needs_attention(kind, values, why) -> None:
    found = attention(make(kind, **values))
    assert (why in found) if why else found == ""


def test_renewal_outreach_is_90_days_ahead() -> None:
    soon = make("license", plan="A", renewal_date="2027-02-15")
    later = make("license", plan="B", renewal_date="2027-06-01")
    gone = make("license", plan="C", renewal_date="2026-01-01")
    found = next_renewal([later, gone, soon], TODAY)
    assert found.day == date(2027, 2, 15)
    assert found.outreach == date(2026, 11, 17)
    assert found.outreach_due and found.days_left == 82
    assert not next_renewal([later], TODAY).outreach_due
    assert next_renewal([gone], TODAY).passed


def test_sparkline_shows_the_trend_without_magnifying_wobbles() -> None:
    assert sparkline([0, 100, 50]) == "▁█▅"
    assert sparkline([78, 74, 52, 58, 63]) == "█▇▂▃▅"
    assert sparkline([70, 71, 70]) == "███" and sparkline([60]) == "█"
    assert len(sparkline(list(range(30)), width=12)) == 12
