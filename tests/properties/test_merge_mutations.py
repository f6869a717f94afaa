"""Any mutation of a share file through merge: refused (changing nothing) or merged, never a
crash, and never a file that list, export or check cannot read afterwards."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from tests.conftest import TODAY, fixed_clock
from tests.properties.strategies import SETTINGS, sqlite_values
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.store import Store, StoreError
from transfer_tui.store.maintenance import check

GLOBEX = demo_id("Globex Logistics")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Priya's share of Globex, and Marco's database (the demo, Globex changed since)."""
    folder = tmp_path_factory.mktemp("merge-props")
    priya = Store(folder / "priya.db", "Priya Raman", clock=fixed_clock)
    load_demo(priya, today=TODAY)
    priya.sharing.share(GLOBEX, folder / "share.db")
    priya.close()
    marco = Store(folder / "marco.db", "Marco Bellini", clock=fixed_clock)
    load_demo(marco, today=TODAY)
    task = marco.handoffs.checklist(GLOBEX).tasks[0]
    marco.tasks.update(task.id, note="Marco's note")
    marco.close()
    return {"share": folder / "share.db", "mine": folder / "marco.db", "folder": folder}


def _tables(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: [r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        conn.close()


@st.composite
def mutations(draw, tables: dict[str, list[str]]):
    """A few edits anyone could make with the sqlite3 shell."""
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["set", "set", "set", "delete", "pragma"]))
        table = draw(st.sampled_from(sorted(tables)))
        if kind == "set":
            edits.append(("set", table, draw(st.sampled_from(tables[table])),
                          draw(st.integers(0, 40)), draw(sqlite_values)))
        elif kind == "delete":
            edits.append(("delete", table, None, draw(st.integers(0, 40)), None))
        else:
            edits.append(("pragma", draw(st.sampled_from(["user_version", "application_id"])),
                          None, draw(st.integers(-5, 2**31 - 1)), None))
    return edits


def _apply(path: Path, edits) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        for kind, table, column, number, value in edits:
            if kind == "pragma":
                conn.execute(f"PRAGMA {table} = {int(number)}")
                continue
            rowid = conn.execute(f'SELECT rowid FROM "{table}" LIMIT 1 OFFSET ?',
                                 (number,)).fetchone()
            if rowid is None:
                continue
            if kind == "delete":
                conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', rowid)
            elif isinstance(value, tuple):  # text that is not UTF-8
                conn.execute(f'UPDATE "{table}" SET "{column}" = CAST(? AS TEXT) '
                             "WHERE rowid = ?", (value[1], *rowid))
            else:
                conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                             (value, *rowid))
        conn.commit()
    except sqlite3.IntegrityError:  # NOT NULL, UNIQUE: not a file anyone could write
        conn.close()
        assume(False)
    conn.close()


def _everything_reads(path: Path) -> None:
    report = check(path)
    assert report.ok, report.problems
    store = Store(path, "Marco Bellini")
    try:
        summaries = store.handoffs.summaries()
        json.dumps([s.as_json() for s in summaries])
        for summary in summaries:
            snapshot = store.snapshots.read(summary.id, history=True)
            options = ExportOptions(as_of=TODAY, history=True)
            json.loads(render_json(snapshot, options))
            assert render_markdown(snapshot, options).startswith("# ")
            store.handoffs.checklist(summary.id)
            store.records.of_handoff(summary.id)
            store.history.activity(summary.id)
    finally:
        store.close()


@SETTINGS
@given(data=st.data())
def test_any_edited_share_is_refused_or_merged_never_a_crash(files, data) -> None:
    folder = files["folder"]
    share, mine = folder / "edited-share.db", folder / "edited-mine.db"
    shutil.copyfile(files["share"], share)
    shutil.copyfile(files["mine"], mine)
    _apply(share, data.draw(mutations(_tables(share)), label="edits"))
    before = mine.read_bytes()
    store = Store(mine, "Marco Bellini")
    try:
        store.sharing.merge(share)
    except StoreError as exc:
        event("refused")
        assert "\n" not in str(exc)
        store.close()
        assert mine.read_bytes() == before  # refused: nothing changed
        return
    event("merged")
    store.close()
    _everything_reads(mine)
