"""Three readers: the customer's letter never holds an internal field (of any kind, whatever
its value), the manager's page stays one page, and the team's summary names each task once."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY
from tests.export.helpers import CHECKBOX, CREATED, make_snapshot, make_task, parse, walk
from transfer_tui.demo import HANDOFFS, demo_id
from transfer_tui.domain import Status
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.export.snapshot import HandoffSnapshot, Readiness, SectionSnapshot
from transfer_tui.records import KINDS, FieldSpec, FieldType, Record, RecordKind

MARK = "⟦internal⟧"  # never produced by the text strategy below
CUSTOMER = ExportOptions(as_of=TODAY, audience="customer")
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
#: What the customer letter may know of an internal field: whether a promise is still open.
SAME_FOR_THE_CUSTOMER = {("promise", "status"): (("pending", "at_risk"), ("fulfilled",))}

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="⟦⟧"),
               min_size=1, max_size=30)


def value_of(spec: FieldSpec, kind: RecordKind) -> st.SearchStrategy:
    """A valid value for one field, as the store would hand it out."""
    return {
        FieldType.TEXT: text, FieldType.LONG_TEXT: text,
        FieldType.EMAIL: st.sampled_from(["", "ana@acme.example", "o'neil+x@b.example"]),
        FieldType.INT: st.integers(spec.minimum or 0, spec.maximum or 10**6),
        FieldType.MONEY: st.integers(0, 10**10),
        FieldType.CURRENCY: st.sampled_from(["USD", "EUR", "JPY"]),
        FieldType.DATE: st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        FieldType.CHOICE: st.sampled_from(spec.values) if spec.choices else st.none(),
        FieldType.BOOL: st.booleans(),
        FieldType.LIST: st.lists(text, max_size=3),
        FieldType.LINK: st.sampled_from(["", "https://docs.example/a?b=1", "/shared/x y"]),
    }[spec.type]


def marked(spec: FieldSpec) -> st.SearchStrategy:
    """An internal value that shows if it leaks: marked text, or any valid value."""
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return text.map(lambda t: MARK + t)
    if spec.type is FieldType.LIST:
        return st.lists(text.map(lambda t: MARK + t), min_size=1, max_size=3)
    if spec.type is FieldType.LINK:
        return text.map(lambda t: "https://docs.example/" + MARK + t)
    return value_of(spec, None)  # type: ignore[arg-type]


@st.composite
def records(draw, kind: RecordKind, index: int) -> Record:
    values = {spec.name: draw(marked(spec) if spec.internal else value_of(spec, kind))
              for spec in kind.fields}
    return Record(kind.key, f"{kind.key}-{index}", "handoff", values, 1, CREATED, "Dana",
                  CREATED, "Dana")


@st.composite
def snapshots(draw) -> HandoffSnapshot:
    """A handoff with records of every kind, every field filled, and tasks whose notes and
    titles are ours."""
    by_kind = {kind.key: tuple(draw(records(kind, i)) for i in range(draw(st.integers(1, 2))))
               for kind in KINDS}
    task = make_task("t", MARK + draw(text), note=MARK + draw(text),
                     status=draw(st.sampled_from(list(Status))))
    return replace(make_snapshot(task=task), records=by_kind,
                   mode=draw(st.sampled_from(list(type(make_snapshot().mode)))))


def reshuffled(data: st.DataObject, snapshot: HandoffSnapshot) -> HandoffSnapshot:
    """The same handoff with every internal field (and every task) drawn afresh, and records
    of kinds that are wholly internal added or taken away."""
    by_kind = {}
    for kind in KINDS:
        if kind.internal:
            count = data.draw(st.integers(0, 2))
            by_kind[kind.key] = tuple(data.draw(records(kind, i)) for i in range(count))
            continue
        fresh = []
        for record in snapshot.records[kind.key]:
            values = dict(record.values)
            for spec in kind.fields:
                if not spec.internal:
                    continue
                classes = SAME_FOR_THE_CUSTOMER.get((kind.key, spec.name))
                if classes:
                    same = next(c for c in classes if values[spec.name] in c)
                    values[spec.name] = data.draw(st.sampled_from(same))
                else:
                    values[spec.name] = data.draw(marked(spec))
            fresh.append(replace(record, values=values))
        by_kind[kind.key] = tuple(fresh)
    tasks = tuple(make_task(f"x{i}", data.draw(text), note=data.draw(text),
                            status=data.draw(st.sampled_from(list(Status))))
                  for i in range(data.draw(st.integers(0, 3))))
    return replace(snapshot, records=by_kind,
                   sections=(SectionSnapshot("s", data.draw(text), tasks),))


def test_every_kind_declares_what_is_internal() -> None:
    """Health, tickets, risks, what they bought and weighed, opportunities, their
    environment and documents (order forms hold prices) are ours entirely; dispositions
    and pricing too."""
    internal = {(kind.key, spec.name) for kind in KINDS for spec in kind.fields
                if spec.internal}
    assert {k.key for k in KINDS if k.internal} == {
        "health", "ticket", "risk", "product", "opportunity", "environment", "document"}
    assert {("stakeholder", "disposition"), ("stakeholder", "notes"),
            ("license", "contract_value"), ("license", "notes"),
            ("promise", "status"), ("feature_request", "link"),
            ("feature_request", "notes")} <= internal
    assert ("channel", "address") not in internal and ("cadence", "day_time") not in internal


@SETTINGS
@given(snapshot=snapshots())
def test_no_internal_text_reaches_the_customer(snapshot: HandoffSnapshot) -> None:
    for render in (render_markdown, render_json):
        out = render(snapshot, CUSTOMER)
        assert MARK not in out and MARK.replace("⟦", "\\⟦") not in out


@SETTINGS
@given(snapshot=snapshots(), data=st.data())
def test_the_customer_letter_does_not_depend_on_any_internal_field(
        snapshot: HandoffSnapshot, data: st.DataObject) -> None:
    """Whatever the internal fields hold (choices, numbers, dates, flags included), and
    whatever the tasks and wholly internal records are, the letter is the same bytes."""
    other = reshuffled(data, snapshot)
    for render in (render_markdown, render_json):
        assert render(other, CUSTOMER) == render(snapshot, CUSTOMER)


def test_an_at_risk_promise_reads_like_any_open_one_and_fulfilled_ones_go() -> None:
    def promise(text: str, status: str) -> Record:
        return Record("promise", text, "h", {"promise": text, "status": status,
                                             "explicit": "implied"},
                      1, CREATED, "Dana", CREATED, "Dana")

    snapshot = replace(make_snapshot(), records={"promise": (
        promise("Quarterly roadmap preview", "at_risk"), promise("SSO by March", "pending"),
        promise("Admin training", "fulfilled"))})
    letter = render_markdown(snapshot, CUSTOMER)
    assert "- Quarterly roadmap preview\n- SSO by March" in letter
    assert "Admin training" not in letter
    assert "risk" not in letter.lower() and "implied" not in letter


@pytest.mark.parametrize("account", [h.account for h in HANDOFFS])
def test_no_demo_customer_letter_holds_an_internal_value(demo_store, account) -> None:
    snapshot = demo_store.snapshot(demo_id(account))
    secrets = {str(value) for r in snapshot.all_records for spec in r.kind.fields
               if spec.internal and spec.type in (FieldType.TEXT, FieldType.LONG_TEXT)
               and len(str(value := r.values.get(spec.name) or "")) > 6}
    secrets |= {t.note for t in snapshot.tasks if len(t.note) > 6}
    secrets -= {snapshot.outgoing, snapshot.incoming}  # a risk's owner, say: named anyway
    for render in (render_markdown, render_json):
        out = render(snapshot, CUSTOMER)
        assert not [s for s in secrets if s in out]
        for word in ("skeptical", "disposition", "at risk", "at_risk", "acv", "mrr", "verified",
                     "overdue", "blocked"):
            assert word not in out.lower()


def test_globex_letter_says_who_when_how_and_what(demo_store) -> None:
    snapshot = demo_store.snapshot(demo_id("Globex Logistics"))
    options = replace(CUSTOMER, people=(("marco  bellini", "marco@vendor.example"),),
                      as_of_today=True)
    letter = render_markdown(snapshot, options)
    assert letter.splitlines()[2] == "As of today, 2026-11-25."
    assert ("From 2026-12-15, Marco Bellini takes over from Priya Raman as your Customer "
            "Success Manager.") in letter
    assert "E-mail: marco@vendor.example" in letter
    assert "**Thursday ops sync**: weekly, Thursday 16:00 CET" in letter
    assert "- SSO with their identity provider before the renewal" in letter
    assert "- 2027-02-15: Renewal" in letter
    data = json.loads(render_json(snapshot, options))
    assert data["audience"] == "customer" and data["incoming"]["email"] == "marco@vendor.example"
    assert next(c["primary"] for c in data["channels"]) is True


def test_a_passed_takeover_reads_in_the_past(demo_store) -> None:
    letter = render_markdown(demo_store.snapshot(demo_id("Initech")), CUSTOMER)
    assert "Since 2026-11-05, Jordan Rivera has taken over from Alex Chen" in letter


# -- manager ------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [h.account for h in HANDOFFS])
def test_the_manager_page_fits_one_page(demo_store, account) -> None:
    page = render_markdown(demo_store.snapshot(demo_id(account)),
                           ExportOptions(as_of=TODAY, audience="manager"))
    assert len(page.splitlines()) <= 60
    for heading in ("## Needs attention", "## Late", "## Progress by section"):
        assert heading in page
    assert "**Sign-off:**" in page and "**Readiness:**" in page and "**Renewal:**" in page


def test_manager_page_counts_what_is_late(demo_store) -> None:
    page = render_markdown(demo_store.snapshot(demo_id("Initech")),
                           ExportOptions(as_of=TODAY, audience="manager"))
    assert "24 open tasks overdue, the oldest 37 days late (due 2026-10-19)." in page
    assert "| Jordan Rivera (Incoming CSM) | 20 | 37 days late |" in page
    assert "**Blocked:** Agree how to fill an empty or stale plan" in page
    assert "**Renewal:** 2027-03-25 (in 120 days); outreach from 2026-12-25" in page


def test_readiness_plugs_in_when_the_snapshot_has_it() -> None:
    options = ExportOptions(as_of=TODAY, audience="manager")
    none = render_markdown(make_snapshot(), options)
    assert "**Readiness:** not checked" in none
    ready = replace(make_snapshot(), readiness=Readiness(5, 7, ("a license with its renewal "
                                                                "date (Context → License)",
                                                                "a sponsor with an email")))
    page = render_markdown(ready, options)
    assert "**Readiness:** 5 of 7 checks met; missing: a license with its renewal date" in page
    data = json.loads(render_json(ready, options))
    assert data["readiness"]["met"] == 5 and len(data["readiness"]["unmet"]) == 2


# -- team ---------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [h.account for h in HANDOFFS])
@pytest.mark.parametrize("as_of", [None, TODAY])
def test_the_team_summary_names_each_task_once(demo_store, account, as_of) -> None:
    snapshot = demo_store.snapshot(demo_id(account))
    text = render_markdown(snapshot, ExportOptions(as_of=as_of))
    for task in snapshot.tasks:
        mentions = len(re.findall(rf"(?<![\w]){re.escape(task.title)}(?![\w])", text))
        assert mentions == 1, (task.title, mentions)


def test_empty_kinds_make_one_line(demo_store) -> None:
    snapshot = demo_store.snapshot(demo_id("Globex Logistics"))
    empty = replace(snapshot, records={k: v for k, v in snapshot.records.items()
                                       if k not in ("risk", "ticket")})
    text = render_markdown(empty, ExportOptions(as_of=TODAY))
    assert "None recorded" not in text and "### Risks" not in text
    assert "Not recorded yet: tickets and risks." in text


def test_last_changes_is_one_row_per_person_since_the_start(demo_store) -> None:
    snapshot = demo_store.snapshot(demo_id("Initech"))
    text = render_markdown(snapshot, ExportOptions(as_of=TODAY))
    table = text.split("## Last changes", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ")][2:]
    assert [row.split(" | ")[0] for row in rows] == ["| Jordan Rivera", "| Alex Chen"]
    assert "22 tasks have not changed since" in table


def test_as_of_today_is_said_on_the_first_lines() -> None:
    for audience in ("team", "manager", "customer"):
        text = render_markdown(make_snapshot(), ExportOptions(as_of=TODAY, as_of_today=True,
                                                              audience=audience))
        assert "As of today, 2026-11-25" in "\n".join(text.splitlines()[:3])


@pytest.mark.parametrize("audience", ["team", "manager", "customer"])
def test_every_audience_parses_as_markdown_with_user_text_kept_as_text(audience) -> None:
    nasty = "<script>x</script> | # [link](y) `z` \n- [x] *b*"
    snapshot = make_snapshot(account=nasty, outgoing=nasty, incoming=nasty + "2")
    tree = parse(render_markdown(snapshot, ExportOptions(as_of=TODAY, audience=audience)))
    kinds = {node.type for node in walk(tree)
             if not (node.type == "html_inline" and node.content.startswith(CHECKBOX))}
    assert not kinds & {"html_inline", "html_block", "link", "code_inline", "em"}


def test_an_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audience"):
        ExportOptions(audience="board")


def test_overdue_needs_a_day_and_the_target_line_follows(demo_store) -> None:
    snapshot = demo_store.snapshot(demo_id("Initech"))
    later = render_markdown(snapshot, ExportOptions(as_of=TODAY + timedelta(days=1)))
    assert "As of 2026-11-26" in later and "(6 days late)" in later
