"""`transfer-tui report` in its three formats; CSV opens in a spreadsheet as written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import TODAY
from transfer_tui.cli import main
from transfer_tui.export.team_report import BOM, neutral
from transfer_tui.store import Store


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("value", "shown"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Acme", "Acme"),
    ("a=b", "a=b"), ("", ""), (5, 5),
])
def test_a_cell_that_would_be_a_formula_is_text(value, shown) -> None:
    assert neutral(value) == shown


def test_csv_reads_back_with_formulas_neutralised(capsys, demo_file: Path,
                                                  tmp_path: Path) -> None:
    store = Store(demo_file, "Lead")
    store.handoffs.create("=1+2 Corp", "@Dana", "-Sam", target_date="2026-11-01")
    every = len(store.handoffs.summaries())
    store.close()
    out = tmp_path / "team.csv"
    code, _, err = run(capsys, "--db", str(demo_file), "report", "--format", "csv",
                       "--as-of", TODAY.isoformat(), "-o", str(out))
    assert code == 0, err
    raw = out.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))  # the byte-order mark, once
    assert b"\r\n" in raw
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    blank = rows.index([])
    people, handoffs = rows[:blank], rows[blank + 1:]
    assert people[0][0] == "CSM" and handoffs[0][0] == "Account"
    assert any(row[0] == "'@Dana" for row in people[1:])
    assert any(row[0] == "'-Sam" for row in people[1:])
    corp = next(row for row in handoffs if row[0] == "'=1+2 Corp")
    assert (corp[1], corp[2]) == ("'@Dana", "'-Sam")
    assert corp[3] == "active, late" and corp[8] == str((TODAY - TODAY.replace(day=1)).days)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert len(handoffs) - 1 == every


def test_json_holds_the_figures_and_every_handoff(capsys, demo_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_file), "report", "--format", "json",
                       "--as-of", TODAY.isoformat())
    assert code == 0
    document = json.loads(out)
    store = Store(demo_file, "Lead")
    summaries = store.handoffs.summaries(TODAY)
    store.close()
    assert document["as_of"] == TODAY.isoformat()
    assert document["totals"]["handoffs"] == len(summaries)
    assert document["totals"]["late"] == sum(s.overdue(TODAY) for s in summaries)
    assert len(document["handoffs"]) == len(summaries)
    people = {p["name"]: p for p in document["people"]}
    for summary in summaries:
        if summary.is_open:
            assert summary.incoming in people and summary.outgoing in people
    opened = sum(p["incoming_open"] for p in people.values())
    assert opened == sum(s.is_open for s in summaries)
    awaiting = [h for h in document["handoffs"] if h["state"] == "handed_over"]
    assert all(h["awaiting_since"] for h in awaiting)
    assert sum(p["awaiting"] for p in people.values()) == len(awaiting)


def test_markdown_has_the_three_tables(capsys, demo_file: Path) -> None:
    code, out, _ = run(capsys, "--db", str(demo_file), "report", "--as-of",
                       TODAY.isoformat())
    assert code == 0
    assert out.startswith(f"# Handoffs: the team as of {TODAY.isoformat()}")
    for heading in ("## People", "## By week of target date", "## Handoffs"):
        assert heading in out
    assert "| Globex Logistics |" in out


def test_markdown_escapes_what_people_typed(capsys, db_path: Path) -> None:
    store = Store(db_path, "Lead")
    store.handoffs.create("Pipe | Co", "A *b*", "C")
    store.close()
    code, out, _ = run(capsys, "--db", str(db_path), "report")
    assert code == 0
    assert "Pipe \\| Co" in out and "A \\*b\\*" in out


def test_a_bad_as_of_and_a_missing_file_are_one_line(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "report")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "none.db").exists()
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "report", "--as-of", "soon")
    assert code == 2 and "--as-of" in err
