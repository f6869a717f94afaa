"""Records in the export: every kind, escaped like the rest (whatever people type stays
text and reads back as typed), in "Needs attention" when someone must act, and in JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from markdown_it.tree import SyntaxTreeNode

from tests.conftest import TODAY
from tests.export.helpers import CHECKBOX, inline_text, make_snapshot, parse, walk
from tests.export.test_escape import CASES, flat, merged, note_text, shape, structure
from transfer_tui.cleantext import clean
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.records import KINDS, FieldType, Record, RecordKind, get_kind

STARTED = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 10, 9, 30, tzinfo=UTC)
TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.LINK)  # a link is escaped too


def make_record(kind: RecordKind, text: str, long: str | None = None, **values) -> Record:
    """Every field filled: ``text`` in each text field (``long`` in multi-line ones)."""
    filled = {}
    for spec in kind.fields:
        filled[spec.name] = {
            FieldType.TEXT: text, FieldType.LINK: text,
            FieldType.LONG_TEXT: text if long is None else long,
            FieldType.INT: 5, FieldType.MONEY: 12_345, FieldType.CURRENCY: "EUR",
            FieldType.DATE: date(2027, 1, 15), FieldType.BOOL: True,
            FieldType.LIST: [text, "second"],
        }.get(spec.type, spec.values[0] if spec.choices else None)
    filled.update(values)
    return Record(kind.key, f"id-{kind.key}", "handoff", filled, 2, STARTED, text, LATER,
                  text, LATER, text)


def snapshot_with(records: list[Record], **fields):
    by_kind = {kind.key: tuple(r for r in records if r.kind_key == kind.key) for kind in KINDS}
    return replace(make_snapshot(**fields), records=by_kind)


def render(text: str, *, long: str | None = None) -> str:
    return render_markdown(snapshot_with([make_record(k, text, long) for k in KINDS]))


def items_of(tree: SyntaxTreeNode, heading: str) -> list[SyntaxTreeNode]:
    """The list items right after the h3 ``heading``."""
    nodes = list(tree.children)
    for index, node in enumerate(nodes):
        if node.type == "heading" and inline_text(node.children[0]) == heading:
            return list(nodes[index + 1].children)
    raise AssertionError(f"no heading {heading!r}")


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_record_text_never_changes_the_structure(text: str) -> None:
    nasty = merged(parse(render(text)))
    baseline = merged(parse(render("plain", long=shape(text))))
    assert list(structure(nasty)) == list(structure(baseline))
    for node in walk(nasty):
        assert node.type != "html_inline" or node.content.startswith(CHECKBOX)
        assert node.type not in ("html_block", "link", "image", "em", "s", "code_inline",
                                 "code_block", "fence")


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_every_kind_reads_back_as_typed(kind: RecordKind, text: str) -> None:
    tree = parse(render(text))
    (item,) = items_of(tree, f"{kind.title} (1)")
    paragraphs = [inline_text(p.children[0]) for p in item.children]
    first, _, rest = paragraphs[0].partition("\n")
    title = flat(text) if kind.field(kind.title_field).type is FieldType.TEXT else "2027-01-15"
    assert first.startswith(f"{title} · ")  # the title, in bold
    for spec in kind.fields:
        if spec.type is FieldType.TEXT and spec.name != kind.title_field:
            assert f" · {spec.label}: {flat(text)} · " in first
        if spec.type is FieldType.LIST:
            assert f" · {spec.label}: {flat(text)}; second · " in first
    assert f"verified by {flat(text)} on 2026-11-10 09:30 UTC" in first
    long = [s for s in kind.fields if s.type is FieldType.LONG_TEXT]
    if long:
        assert "\n\n".join([rest, *paragraphs[1:]]) == f"{long[0].label}: {note_text(text)}"
    else:
        assert rest == "" and len(paragraphs) == 1


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_json_keeps_every_field_as_typed(kind: RecordKind) -> None:
    text = CASES["rich markup"] + CASES["control characters"] + "\nline two"
    data = json.loads(render_json(snapshot_with([make_record(kind, text)])))
    (record,) = data["records"][kind.key]
    assert set(data["records"]) == {k.key for k in KINDS}
    for spec in kind.fields:
        value = record["fields"][spec.name]
        if spec.type in TEXT_TYPES:
            assert value == clean(text)
        elif spec.type is FieldType.LIST:
            assert value == [clean(text), "second"]
        elif spec.type is FieldType.MONEY:
            assert value == 123.45
        elif spec.type is FieldType.DATE:
            assert value == "2027-01-15"
    assert record["verified_by"] == clean(text)
    assert record["verified_since_start"] is True


def test_open_promises_and_unhandled_risks_need_attention() -> None:
    promise, risk, license_ = get_kind("promise"), get_kind("risk"), get_kind("license")
    records = [
        make_record(promise, "Dashboard | board", status="pending"),
        make_record(promise, "Training", status="fulfilled"),
        make_record(promise, "SSO", status="at_risk"),
        make_record(risk, "CFO review", severity="high", mitigation="", owner=""),
        make_record(license_, "Team", renewal_date=date(2027, 1, 15)),
    ]
    snapshot = snapshot_with(records)
    text = render_markdown(snapshot, ExportOptions(as_of=TODAY))
    attention = text.split("## Needs attention")[1].split("## Progress")[0]
    assert "- **Promise pending:** Dashboard \\| board" in attention
    assert "- **Promise at risk:** SSO" in attention
    assert "Training" not in attention
    assert "- **High risk without a mitigation or an owner:** CFO review" in attention
    assert ("- **Renewal outreach due:** the renewal is on 2027-01-15 (in 51 days); "
            "outreach started 2026-10-17") in attention
    assert "| Promises (fulfilled of made) | 1/3 | 2 | 0 |" in text
    assert (snapshot.done, snapshot.total) == (snapshot.tasks_done + 1, snapshot.tasks_total + 3)
    without_day = render_markdown(snapshot)  # no clock: no outreach line
    assert "Renewal outreach due" not in without_day

    data = json.loads(render_json(snapshot, ExportOptions(as_of=TODAY)))
    reasons = [(e.get("kind"), e["reason"]) for e in data["needs_attention"]
               if "record_id" in e]
    assert reasons == [("promise", "promise_pending"), ("promise", "promise_at_risk"),
                       ("risk", "high_risk_unhandled"), ("renewal", "renewal_outreach")]
    assert data["progress"]["promises"] == {"fulfilled": 1, "total": 3, "open": 2}


def test_unverified_records_are_counted_and_marked() -> None:
    kind = get_kind("stakeholder")
    checked = make_record(kind, "Lena")
    never = replace(make_record(kind, "Henrik"), verified_at=None, verified_by=None)
    before = replace(make_record(kind, "Tomasz"), verified_at=datetime(2026, 6, 1, tzinfo=UTC))
    text = render_markdown(snapshot_with([checked, never, before]))
    assert "2 of 3 records are **not verified** since the handoff started" in text
    henrik = next(line for line in text.splitlines() if line.startswith("- **Henrik** ·"))
    assert henrik.endswith(" · **not verified** since the handoff started\\")
    assert "(last by Tomasz on 2026-06-01 00:00 UTC)" in text
    data = json.loads(render_json(snapshot_with([checked, never, before])))
    assert [r["verified_since_start"] for r in data["records"]["stakeholder"]] == [
        True, False, False]


def test_a_handoff_without_records_says_so() -> None:
    text = render_markdown(make_snapshot())
    assert "## Account context\n\nNothing recorded yet" in text
