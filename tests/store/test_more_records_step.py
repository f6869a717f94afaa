"""Schema step 8 (products, opportunities, feature requests, tech environment, documents):
a file or a server at step 7 gains the five record tables, with everything it held kept."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock
from tests.server import poke
from transfer_tui.store import Store, migrations

NEW = migrations.NEW_RECORD_TABLES[8]


@pytest.fixture
def target(engine: str, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("db_path" if engine == "file" else "server_url"))


def _back_to_step_7(target: str, version: int = 7) -> None:
    """What an app of the previous release left: no new tables (nor the later step's
    columns), the version before."""
    for table in NEW:
        poke(target, f'DROP TABLE "{table}"')
    for column in ("outgoing_label", "incoming_label"):  # step 9
        poke(target, f"ALTER TABLE handoff DROP COLUMN {column}")
    if target.startswith("postgresql"):
        poke(target, f"UPDATE schema_version SET version = {version}")
    else:
        poke(target, f"PRAGMA user_version = {version}")


def test_step_8_adds_the_five_record_tables() -> None:
    assert migrations.STEPS[7][0].startswith("records: products, opportunities")
    assert set(NEW) == {"product", "opportunity", "feature_request", "environment",
                        "document"}


def test_a_step_7_database_gains_the_new_kinds_and_keeps_its_records(target: str) -> None:
    store = Store(target, "Dana Whitfield", clock=fixed_clock)
    handoff = store.create_handoff("Acme", "Dana Whitfield", "Sam Okafor")
    store.add_record(handoff.id, "license", {"plan": "Team"})
    store.close()
    _back_to_step_7(target)

    store = Store(target, "Dana Whitfield", clock=fixed_clock)
    try:
        assert store.migrated_from == 7
        assert [r.values["plan"] for r in store.records(handoff.id, "license")] == ["Team"]
        assert all(store.records(handoff.id, table) == [] for table in NEW)
        added = store.add_record(handoff.id, "document", {
            "title": "Order form", "kind": "order form",
            "link": "https://drive.example.com/acme/order-form.pdf"})
        assert store.records(handoff.id, "document") == [added]
        # a later handoff of the account carries the new kinds over too
        again = store.create_handoff("ACME", "Sam Okafor", "Lee Park")
        (carried,) = store.records(again.id, "document")
        assert carried.values == added.values and carried.verified_at is None
    finally:
        store.close()
