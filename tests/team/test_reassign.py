"""`reassign`: a different incoming CSM before acceptance, one handoff or a CSV of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.test_signoff import IN, OUT, as_, finish
from transfer_tui.cli import main
from transfer_tui.domain import Side, owned_by
from transfer_tui.playbooks import get_builtin
from transfer_tui.store import Reassignment, Store, ValidationError

NEW = "Kim Lee"


@pytest.fixture
def handoff_id(store: Store) -> str:
    store.user = OUT
    return store.handoffs.create("Acme", OUT, IN, playbook=get_builtin("sales-to-cs-raci")).id


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_incoming_side_and_its_tasks_follow(store: Store, handoff_id: str) -> None:
    before = store.handoffs.checklist(handoff_id)
    theirs = [t.id for t in before.tasks if owned_by(t.side, before.side(IN))]
    assert theirs
    store.user = "Lead"
    handoff, previous = store.reassign.one(handoff_id, f"  {NEW} ")
    assert (handoff.incoming, previous) == (NEW, IN)
    after = store.handoffs.checklist(handoff_id)
    assert after.side(NEW) is Side.INCOMING and after.side(IN) is Side.NEITHER
    assert [t.id for t in after.tasks if owned_by(t.side, after.side(NEW))] == theirs
    change = [e for e in store.history.of(handoff_id) if e.field == "incoming"]
    assert len(change) == 1
    assert (change[0].old, change[0].new, change[0].actor) == (IN, NEW, "Lead")


def test_undo_takes_it_back(store: Store, handoff_id: str) -> None:
    store.user = "Lead"
    store.reassign.one(handoff_id, NEW)
    assert "incoming" in store.history.undo_last(handoff_id)
    assert store.handoffs.checklist(handoff_id).handoff.incoming == IN


def test_refused_after_acceptance_and_to_the_outgoing_csm(store: Store,
                                                          handoff_id: str) -> None:
    with pytest.raises(ValidationError, match="must be someone else"):
        store.reassign.one(handoff_id, OUT.upper())
    finish(store, handoff_id)
    as_(store, OUT).signoff.hand_over(handoff_id)
    store.reassign.one(handoff_id, NEW)  # awaiting acceptance: still allowed
    as_(store, NEW).signoff.accept(handoff_id)
    with pytest.raises(ValidationError, match="only before acceptance"):
        store.reassign.one(handoff_id, IN)
    assert store.handoffs.checklist(handoff_id).handoff.incoming == NEW


def test_the_same_person_changes_nothing(store: Store, handoff_id: str) -> None:
    version = store.handoffs.checklist(handoff_id).handoff.version
    _, previous = store.reassign.one(handoff_id, IN.lower())
    assert previous == IN
    handoff = store.handoffs.checklist(handoff_id).handoff
    assert (handoff.incoming, handoff.version) == (IN, version)


def test_cli_single_and_one_line_refusal(capsys, db_path: Path, store: Store,
                                         handoff_id: str) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "reassign", "Acme", "--to", NEW)
    assert code == 0 and f"{IN} -> {NEW}" in out
    finish(store, handoff_id)
    as_(store, OUT).signoff.hand_over(handoff_id)
    as_(store, NEW).signoff.accept(handoff_id)
    code, out, err = run(capsys, "--db", str(db_path), "reassign", "Acme", "--to", IN)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "only before acceptance" in err


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "moves.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_bulk_all_or_nothing_names_each_bad_row(capsys, demo_file: Path,
                                                    tmp_path: Path) -> None:
    store = Store(demo_file, "Lead")
    store.handoffs.create("Globex Logistics East", "Priya Raman", "Marco Bellini")
    before = {s.id: s.incoming for s in store.handoffs.summaries()}
    store.close()
    file = _csv(tmp_path, "handoff,to\nInitech,Kim Lee\nNowhere Inc,Bob\nGlobex,Ann\n"
                          "Northwind Traders,Dana Whitfield\nInitech,Zoe\nUmbrella Health,\n")
    code, out, err = run(capsys, "--db", str(demo_file), "reassign", "--csv", str(file))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{file}:3: no handoff matches 'Nowhere Inc'")
    assert lines[1].startswith(f"{file}:4: 'Globex' matches 2 handoffs")
    assert lines[2].startswith(f"{file}:5: Dana Whitfield hands Northwind Traders over")
    assert lines[3].startswith(f"{file}:6: Initech") and "line 2" in lines[3]
    assert lines[4] == f"{file}:7: to is empty"
    assert lines[5].startswith("Nothing moved: 5 bad rows")
    store = Store(demo_file, "Lead")
    assert {s.id: s.incoming for s in store.handoffs.summaries()} == before
    store.close()


def test_cli_bulk_moves_every_row(capsys, demo_file: Path, tmp_path: Path) -> None:
    store = Store(demo_file, "Lead")
    ids = {s.account: s.id for s in store.handoffs.summaries()}
    store.close()
    file = _csv(tmp_path, f"Account;New incoming CSM\nInitech;{NEW}\n{ids['Globex Logistics']};"
                          f"{NEW}\nNorthwind Traders;Sam Okafor\n")
    code, out, err = run(capsys, "--db", str(demo_file), "reassign", "--csv", str(file))
    assert code == 0, err
    assert out.startswith("Moved 2 handoffs") and "1 already had" in out
    store = Store(demo_file, "Tester")  # who ran the command (TRANSFER_TUI_USER)
    incoming = {s.account: s.incoming for s in store.handoffs.summaries()}
    assert incoming["Initech"] == incoming["Globex Logistics"] == NEW
    assert "incoming" in store.history.undo_last(ids["Initech"])  # each handoff undoes on its own
    assert store.handoffs.checklist(ids["Initech"]).handoff.incoming == "Jordan Rivera"
    assert store.handoffs.checklist(ids["Globex Logistics"]).handoff.incoming == NEW
    store.close()


def test_store_bulk_rolls_back_when_a_row_no_longer_holds(store: Store,
                                                          handoff_id: str) -> None:
    other = store.handoffs.create("Beta", OUT, IN).id
    with pytest.raises(ValidationError, match=r"line 3: .*someone else"):
        store.reassign.many([Reassignment(other, NEW, 2), Reassignment(handoff_id, OUT, 3)])
    assert store.handoffs.checklist(other).handoff.incoming == IN
