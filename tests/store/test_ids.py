"""Ids: a handoff's is random (its first characters are the short id people type); a
task's and an event's are time-ordered, so a big import appends to their indexes. Both
are 32 hex characters, valid by the store's own rules, unique across copies."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.conftest import fixed_clock
from transfer_tui.store import Store
from transfer_tui.store.models import new_id, ordered_id
from transfer_tui.store.row_rules import file_problems

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_ordered_ids_are_hex_unique_and_in_the_order_they_were_made() -> None:
    made = [ordered_id() for _ in range(5000)]
    assert all(HEX32.match(i) for i in made)
    assert len(set(made)) == len(made)
    assert [i[:12] for i in made] == sorted(i[:12] for i in made)  # the time comes first
    assert HEX32.match(new_id())


def test_handoffs_made_together_keep_distinct_short_ids(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db", "Dana", clock=fixed_clock)
    made = [store.handoffs.create(f"Account {n}", "Dana", "Sam") for n in range(30)]
    assert len({h.short_id for h in made}) == 30
    assert len({h.id[:4] for h in made}) > 20  # random: `export 3f9a` finds one, not all
    assert [s.id for s in store.handoffs.find(made[7].id[:8])] == [made[7].id]
    store.close()


def test_tasks_and_events_of_two_copies_merge_without_a_clash(tmp_path: Path) -> None:
    """Two people's copies make tasks and events in the same milliseconds: every id stays
    unique when one's handoff is merged into the other's file, and valid by check's
    rules."""
    mine = Store(tmp_path / "mine.db", "Dana", clock=fixed_clock)
    theirs = Store(tmp_path / "theirs.db", "Marco", clock=fixed_clock)
    for n in range(5):
        mine.handoffs.create(f"Mine {n}", "Dana", "Sam")
        shared = theirs.handoffs.create(f"Theirs {n}", "Marco", "Lee")
    theirs.sharing.share(shared.id, tmp_path / "share.db")
    mine.sharing.merge(tmp_path / "share.db")
    ids = [row[0] for table in ("task", "event")
           for row in mine.query(f"SELECT id FROM {table}")]
    assert len(ids) > 200 and all(HEX32.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    theirs_tasks = {r[0] for r in theirs.query("SELECT id FROM task WHERE handoff_id = ?",
                                                (shared.id,))}
    assert theirs_tasks <= {r[0] for r in mine.query("SELECT id FROM task")}
    mine.close()
    theirs.close()
    conn = sqlite3.connect(tmp_path / "mine.db")
    assert file_problems(conn) == []
    conn.close()
