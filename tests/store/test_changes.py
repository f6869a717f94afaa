"""Which handoffs changed since the home screen last read them, and finding one by its
id, id prefix or name without reading every summary."""

from __future__ import annotations

from tests.server import poke
from transfer_tui.store import Store
from transfer_tui.store.summary import list_order


def test_a_save_names_only_the_handoff_it_touched(store: Store) -> None:
    first = store.handoffs.create("Acme", "A", "B")
    second = store.handoffs.create("Globex", "A", "B")
    mark = store.handoffs.change_mark()
    assert store.handoffs.changed_since(mark) == (mark, set())
    task = store.handoffs.checklist(second.id).tasks[0]
    store.tasks.update(task.id, expected_version=task.version, seen={"status": task.status},
                       status=task.state.cycled())
    later, changed = store.handoffs.changed_since(mark)
    assert changed == {second.id} and later > mark
    assert first.id not in changed
    assert store.handoffs.changed_since(later) == (later, set())


def test_another_processs_create_and_delete_are_named_too(store: Store) -> None:
    kept = store.handoffs.create("Acme", "A", "B")
    mark = store.handoffs.change_mark()
    other = Store(store.target, "Sam Okafor")
    made = other.handoffs.create("Initech", "A", "B")
    other.handoffs.delete(kept.id)
    other.close()
    _, changed = store.handoffs.changed_since(mark)
    assert changed == {made.id, kept.id}
    assert [s.id for s in store.handoffs.summaries_of(changed)] == [made.id]  # the deleted is gone


def test_a_log_shorter_than_the_mark_asks_for_a_full_read(store: Store) -> None:
    store.handoffs.create("Acme", "A", "B")
    mark = store.handoffs.change_mark()
    # as if the database were restored from an older backup
    poke(store.target, "DELETE FROM event WHERE rowid > ?", (mark // 2,))
    assert store.handoffs.changed_since(mark)[1] is None


def test_summaries_of_some_ids_come_in_the_lists_order(store: Store) -> None:
    for account in ("beta", "Alpha", "gamma", "alpha", "Ärger", "Zulu"):
        store.handoffs.create(account, "A", "B")
    everyone = store.handoffs.summaries()
    assert everyone == sorted(everyone, key=list_order)
    some = [everyone[4].id, everyone[0].id, everyone[2].id, "no such id"]
    assert store.handoffs.summaries_of(some) == [everyone[0], everyone[2], everyone[4]]


def test_find_by_name_folds_case_beyond_ascii(store: Store) -> None:
    made = store.handoffs.create("Straße AG", "A", "B")
    store.handoffs.create("Straße AG Nord", "A", "B")
    assert [s.id for s in store.handoffs.find("STRASSE AG")] == [made.id]
    assert [s.id for s in store.handoffs.find("straße ag")] == [made.id]
    assert len(store.handoffs.find("strasse")) == 2


def test_find_by_prefix_is_a_range_of_ids_and_ignores_case(store: Store) -> None:
    made = [store.handoffs.create(f"Acme {n}", "A", "B") for n in range(5)]
    target = made[3]
    assert [s.id for s in store.handoffs.find(target.id[:5].upper())] == [target.id]
    assert [s.id for s in store.handoffs.find(target.id.upper())] == [target.id]


def test_the_first_page_says_how_many_or_gives_the_mark_in_one_read(store: Store) -> None:
    for account in ("beta", "Alpha", "gamma"):
        store.handoffs.create(account, "A", "B")
    everyone = store.handoffs.summaries()
    # more than a page: the page and the count (the rest is read next, with its mark)
    assert store.handoffs.first_page(2) == (None, everyone[:2], 3)
    assert store.handoffs.first_page(3) == (None, everyone, 3)  # maybe more: counted
    # all of it: the mark of that same moment, so what changes next is seen
    mark, page, total = store.handoffs.first_page(4)
    assert (mark, page, total) == (store.handoffs.change_mark(), everyone, None)
    store.handoffs.create("Delta", "A", "B")
    assert len(store.handoffs.changed_since(mark)[1] or ()) == 1


def test_an_accounts_handoffs_are_found_by_its_name_in_any_case(store: Store) -> None:
    """The account's other handoffs: the name with ASCII case and spacing ignored (a file
    walks the list's index from the first word), never another account's."""
    first = store.handoffs.create("Northwind Traders", "A", "B")
    for account in ("Northwind Logistics", "Globex", "Northwinds Traders", "Acme Northwind"):
        store.handoffs.create(account, "A", "B")
    again = store.handoffs.create("NORTHWIND  traders", "B", "C")
    ids = [turn.handoff_id for turn in store.accounts.history(again.id)]
    assert sorted(ids) == sorted([first.id, again.id])
    assert [t.handoff_id for t in store.accounts.history(first.id)] == ids


def test_a_new_handoff_starts_with_its_accounts_records_found_in_any_case(store: Store
                                                                          ) -> None:
    """The account's earlier handoff is found by its name with ASCII case and spacing
    ignored (a file walks the list's index from the first word), never a look-alike's."""
    earlier = store.handoffs.create("Northwind Traders", "A", "B")
    store.records.add(earlier.id, "license", {"plan": "Enterprise"})
    for account in ("Northwind Logistics", "Northwinds Traders", "Acme Northwind Traders"):
        other = store.handoffs.create(account, "A", "B")
        store.records.add(other.id, "license", {"plan": account})
    again = store.handoffs.create("NORTHWIND   traders", "C", "D")
    plans = [r.values["plan"] for r in store.records.of_handoff(again.id)["license"]]
    assert plans == ["Enterprise"]
    fresh = store.handoffs.create("Northwind", "C", "D")
    assert store.records.of_handoff(fresh.id)["license"] == []


def test_an_accounts_handoffs_are_looked_up_in_an_index_on_a_file(db_path) -> None:
    """A new handoff's records and an export's account history look the account up from
    its name's first word in ix_handoff_home, not by reading every handoff."""
    import sqlite3

    from transfer_tui.store.accounts import latest_of_account

    store = Store(db_path, "Ann")
    store.handoffs.create("Northwind Traders", "Ann", "Bo")
    store.close()
    conn = sqlite3.connect(db_path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    latest_of_account(conn, "northwind  TRADERS", "")
    conn.set_trace_callback(None)
    (looked_up,) = [sql for sql in statements if "FROM handoff" in sql]
    plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + looked_up))
    conn.close()
    assert "SCAN" not in plan and "ix_handoff_home" in plan, plan
