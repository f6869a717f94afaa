"""Dates outside 1900-01-01..2199-12-31 are refused at every entry point with the same one
line, no date computation ever overflows, and a file that already holds such a date
still opens, lists and exports."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import fixed_clock
from transfer_tui.cli import main
from transfer_tui.dates import FIRST_DAY, LAST_DAY, RANGE, moved, out_of_range, shifted
from transfer_tui.importer import read_import
from transfer_tui.playbooks import RelativeDate, load_registry
from transfer_tui.records import get_kind
from transfer_tui.store import Store, ValidationError, check_new_handoff, check_record
from transfer_tui.store.validate import parse_date

OUTSIDE = ["0001-03-01", "1899-12-31", "2200-01-01", "9999-12-31"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_range_is_declared_once_and_its_edges_are_in_it() -> None:
    assert (date(1900, 1, 1), date(2199, 12, 31)) == (FIRST_DAY, LAST_DAY)
    assert parse_date("1900-01-01", "d", "Day") == FIRST_DAY
    assert parse_date(LAST_DAY, "d", "Day") == LAST_DAY


@pytest.mark.parametrize("text", OUTSIDE)
def test_every_pure_entry_point_gives_the_same_line(text: str) -> None:
    expected = out_of_range("Renewal date", text)
    assert RANGE in expected
    with pytest.raises(ValidationError) as caught:  # the checklist's `t` dialog calls this
        parse_date(text, "renewal_date", "Renewal date")
    assert caught.value.message == expected
    _, errors = check_new_handoff("Acme", "A", "B", renewal_date=text)  # new, CSV, the form
    assert errors == {"renewal_date": expected}
    _, errors = check_record(get_kind("license"), {"plan": "Pro", "renewal_date": text})
    assert errors == {"renewal_date": expected}  # record forms
    with pytest.raises(ValidationError):  # a date object from code is checked too
        parse_date(date.fromisoformat(text), "renewal_date", "Renewal date")


def test_every_date_field_of_every_record_kind_is_checked() -> None:
    from transfer_tui.records import KINDS
    from transfer_tui.records.fields import FieldType

    checked = 0
    for kind in KINDS:
        for spec in kind.fields:
            if spec.type is FieldType.DATE:
                _, errors = check_record(kind, {spec.name: "2200-01-01"})
                assert errors.get(spec.name) == out_of_range(spec.label, "2200-01-01")
                checked += 1
    assert checked >= 5


def test_cli_new_dates_and_as_of_refuse_with_one_line(capsys, db_path: Path) -> None:
    db = ("--db", str(db_path))
    code, _, err = run(capsys, *db, "new", "Acme", "--from", "A", "--to", "B",
                       "--renewal", "0001-03-01")
    assert code == 1 and err.count("\n") == 1 and RANGE in err
    assert run(capsys, *db, "new", "Acme", "--from", "A", "--to", "B")[0] == 0
    code, _, err = run(capsys, *db, "dates", "Acme", "--target", "9999-12-31")
    assert code == 1 and err.count("\n") == 1 and RANGE in err
    code, _, err = run(capsys, *db, "export", "Acme", "--as-of", "0001-01-01")
    assert code != 0 and RANGE in err and "Traceback" not in err
    store = Store(db_path, "x")
    assert store.handoffs.summaries()[0].target_date is None  # nothing changed
    store.close()


def test_csv_columns_refuse_dates_outside_the_range(tmp_path: Path) -> None:
    csv = tmp_path / "moves.csv"
    csv.write_text("account,from,to,target date,renewal date\n"
                   "Acme,A,B,9999-12-31,\nGlobex,A,B,,0001-03-01\n")
    rows, problems = read_import(csv, load_registry(include_user=False))
    assert len(rows) == 0
    assert [p.line for p in problems] == [2, 3]
    assert all(RANGE in p.message for p in problems)


def test_store_calls_refuse_them_too(store: Store) -> None:
    handoff = store.handoffs.create("Acme", "A", "B")
    task = store.handoffs.checklist(handoff.id).tasks[0]
    for call in (
        lambda: store.schedule.change_dates(handoff.id, renewal_date="2200-01-01"),
        lambda: store.tasks.update(task.id, due_date="1899-12-31"),
        lambda: store.records.add(handoff.id, "license",
                                  {"plan": "P", "renewal_date": "0001-03-01"}),
        lambda: store.records.add(handoff.id, "key_date", {"name": "x", "day": "9999-12-31"}),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert RANGE in str(caught.value)


@pytest.mark.parametrize("day", [date.min, date(1, 3, 1), FIRST_DAY, LAST_DAY, date.max])
@pytest.mark.parametrize("days", [-10**9, -69993, -90, 0, 90, 69993, 10**9])
def test_date_arithmetic_never_overflows(day: date, days: int) -> None:
    result = shifted(day, days)
    assert result is None or FIRST_DAY <= result <= LAST_DAY
    assert FIRST_DAY <= moved(day, days) <= LAST_DAY
    rule = RelativeDate("target", days)
    assert rule.resolve({"target": day}) == result


def _with_raw_dates(path: Path, value: str) -> str:
    """A file someone wrote dates outside the range into (an older tool, by hand)."""
    store = Store(path, "Ann", clock=fixed_clock)
    handoff = store.handoffs.create("Acme", "Ann", "Bo")
    store.records.add(handoff.id, "license", {"plan": "Pro", "renewal_date": "2027-01-01"})
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE handoff SET target_date = ?, renewal_date = ?", (value, value))
        conn.execute("UPDATE license SET renewal_date = ?, contract_end = ?", (value, value))
        conn.execute("UPDATE task SET due_date = ?", (value,))
    conn.close()
    return handoff.id


@pytest.mark.parametrize("value", ["0001-03-01", "9999-12-31"])
def test_a_file_holding_such_dates_still_opens_lists_and_exports(
        capsys, tmp_path: Path, value: str) -> None:
    path = tmp_path / "old.db"
    handoff_id = _with_raw_dates(path, value)
    db = ("--db", str(path))
    code, out, err = run(capsys, *db, "list", "--json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["renewal_date"] == value
    assert run(capsys, *db, "list")[0] == 0
    for args in (("--stamp",), ("--format", "json", "--stamp"), ("--history",)):
        code, out, err = run(capsys, *db, "export", "Acme", *args)
        assert code == 0 and out, err
    code, _, err = run(capsys, *db, "export", "--all", "-o", str(tmp_path / "all"), "--stamp")
    assert code == 0, err
    store = Store(path, "Ann")
    checklist = store.handoffs.checklist(handoff_id)  # what the checklist screen reads
    assert checklist.handoff.target_date == date.fromisoformat(value)
    store.snapshots.read(handoff_id)
    summary = store.handoffs.summaries()[0]
    summary.outreach_missed(date(2026, 11, 25))
    assert summary.outreach is not None
    # due dates written as rules follow a new target: with an extreme one they stay safe
    store.schedule.change_dates(handoff_id, renewal_date="2199-12-31")
    store.close()
