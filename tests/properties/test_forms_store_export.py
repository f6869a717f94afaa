"""Any text, number and date through the forms' validation, the store and both exports:
never a crash; what the forms accept is saved, and exports still parse into their
structure (Markdown) and load (JSON) with the values as typed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.conftest import fixed_clock
from tests.export.helpers import parse, walk
from tests.export.test_escape import flat, merged, render, shape, structure
from tests.properties.strategies import SETTINGS, days, raw_values, texts
from transfer_tui.dates import FIRST_DAY, LAST_DAY
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.records import KINDS
from transfer_tui.store import Store, ValidationError, check_new_handoff, check_record
from transfer_tui.store.record_values import parse_field
from transfer_tui.store.validate import parse_date


@SETTINGS
@given(account=texts, outgoing=texts, incoming=texts, target=st.one_of(texts, days),
       renewal=st.one_of(texts, days, st.none()), mode=texts)
def test_the_new_handoff_form_never_crashes(account, outgoing, incoming, target, renewal,
                                            mode) -> None:
    values, errors = check_new_handoff(account, outgoing, incoming, target, mode, renewal)
    assert all(isinstance(m, str) and "\n" not in m for m in errors.values())
    for field in ("target_date", "renewal_date"):
        if field not in errors and values.get(field) is not None:
            assert FIRST_DAY <= values[field] <= LAST_DAY


@SETTINGS
@given(value=st.one_of(texts, days, st.none()))
def test_every_date_entry_point_keeps_the_range(value) -> None:
    try:
        day = parse_date(value, "d", "Day")
    except ValidationError as exc:
        assert "\n" not in exc.message
        return
    assert day is None or FIRST_DAY <= day <= LAST_DAY


@SETTINGS
@given(kind=st.sampled_from(KINDS), data=st.data())
def test_every_record_field_takes_anything_without_crashing(kind, data) -> None:
    raw = {spec.name: data.draw(raw_values, label=spec.name) for spec in kind.fields}
    _, errors = check_record(kind, raw)
    assert all("\n" not in message for message in errors.values())
    for spec in kind.fields:
        try:
            parse_field(spec, raw[spec.name])
        except ValidationError as exc:
            assert exc.field == spec.name


def _form_value(spec, draw):
    """Something a person types into this field: often valid, sometimes not."""
    from transfer_tui.records.fields import FieldType

    if spec.type is FieldType.CHOICE:
        return draw(st.one_of(st.sampled_from(spec.values), texts))
    if spec.type in (FieldType.INT, FieldType.MONEY):
        return draw(st.one_of(st.integers(0, 10**9).map(str), texts))
    if spec.type is FieldType.DATE:
        return draw(st.one_of(days.map(date.isoformat), texts))
    if spec.type is FieldType.LINK:
        return draw(st.one_of(st.sampled_from(LINKS), texts.map("https://x.example/".__add__),
                              texts))
    return draw(texts)


LINKS = ("https://drive.example.com/a?b=1&c=[2]", "/shared/Customers/Acme notes",
         "C:\\Deals\\order form.pdf", "javascript:alert(1)", "")


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One file for every example (a new handoff each): quick enough to shrink a failure."""
    store = Store(tmp_path_factory.mktemp("prop") / "h.db", "me", clock=fixed_clock)
    yield store
    store.close()


@SETTINGS
@given(data=st.data())
def test_what_the_forms_accept_is_saved_and_exports_cleanly(shared_store, data) -> None:
    from transfer_tui.store.database import person_name

    store = shared_store
    try:
        store.user = person_name(data.draw(texts, label="user"))
    except ValidationError:
        return
    fields, errors = check_new_handoff(
        data.draw(texts, label="account") or "Acme", "Dana", "Sam",
        data.draw(st.one_of(days, texts), label="target"),
        renewal_date=data.draw(st.one_of(days, st.none()), label="renewal"))
    if errors:
        return
    handoff = store.create_handoff(fields["account"], "Dana", "Sam",
                                   target_date=fields["target_date"],
                                   renewal_date=fields["renewal_date"])
    task = store.checklist(handoff.id).tasks[0]
    note = data.draw(texts, label="note")
    store.update_task(task.id, note=note, status="blocked")
    saved = {}
    for kind in data.draw(st.lists(st.sampled_from(KINDS), max_size=3, unique=True)):
        raw = {spec.name: _form_value(spec, data.draw) for spec in kind.fields}
        values, errors = check_record(kind, raw)
        if errors:
            with pytest.raises(ValidationError):
                store.add_record(handoff.id, kind.key, raw)
            continue
        saved[kind.key] = store.add_record(handoff.id, kind.key, raw).values
        assert saved[kind.key] == values
    for as_of in (None, data.draw(days, label="as_of")):
        snapshot = store.snapshot(handoff.id, history=True)
        options = ExportOptions(as_of=as_of, history=True)
        loaded = json.loads(render_json(snapshot, options))
        assert loaded["handoff"]["account"] == fields["account"]
        tree = parse(render_markdown(snapshot, options))
        assert next(n for n in walk(tree) if n.type == "heading").tag == "h1"
    store.checklist(handoff.id)
    store.handoff_records(handoff.id)
    store.summaries()


@SETTINGS
@given(text=texts)
def test_any_text_keeps_the_markdown_structure(text) -> None:
    assume(flat(text))  # names and titles are never blank (the forms refuse them)
    nasty = merged(parse(render(text)))
    baseline = merged(parse(render("plain", note=shape(text))))
    assert list(structure(nasty)) == list(structure(baseline))
