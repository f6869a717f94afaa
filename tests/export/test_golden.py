"""The demo handoffs exported, compared byte for byte with the files in golden/.

The demo is deterministic under the fixed clock of tests/conftest.py, and task ids
are made deterministic here. When the export changes on purpose, regenerate the
files and read the diff before committing it:

    TRANSFER_TUI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/export/test_golden.py
"""

from __future__ import annotations

import itertools
import os
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import TODAY, fixed_clock
from transfer_tui.demo import demo_id, load_demo
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.store import Store

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("TRANSFER_TUI_UPDATE_GOLDEN") == "1"

CASES = [
    ("globex-logistics", "Globex Logistics", None),
    ("initech", "Initech", None),
    ("initech-as-of-2026-11-25", "Initech", TODAY),
    ("umbrella-health", "Umbrella Health", None),
]


@pytest.fixture
def golden_store(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The demo data with ids numbered in creation order instead of random."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
    monkeypatch.setattr("transfer_tui.store.models.ordered_id",  # tasks', events' ids
                        lambda: uuid.uuid4().hex)
    store = Store(db_path, "Sam Okafor", clock=fixed_clock)
    load_demo(store, today=TODAY)
    yield store
    store.close()


def _render(store: Store, account: str, as_of, fmt: str) -> str:
    snapshot = store.snapshots.read(demo_id(account))
    render = render_json if fmt == "json" else render_markdown
    return render(snapshot, ExportOptions(as_of=as_of))


@pytest.mark.parametrize("fmt", ["md", "json"])
@pytest.mark.parametrize(("name", "account", "as_of"), CASES, ids=[c[0] for c in CASES])
def test_demo_export_matches_golden_file(golden_store, name, account, as_of, fmt) -> None:
    text = _render(golden_store, account, as_of, fmt)
    golden = GOLDEN / f"{name}.{fmt}"
    if UPDATE:
        golden.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == golden.read_bytes()


def test_the_reader_time_zone_changes_nothing(golden_store, monkeypatch) -> None:
    """Times are written in UTC: a reader in Tokyo gets the same bytes."""
    before = _render(golden_store, "Globex Logistics", TODAY, "md")
    monkeypatch.setenv("TZ", "JST-9")  # POSIX form: needs no tz database
    time.tzset()
    try:
        assert _render(golden_store, "Globex Logistics", TODAY, "md") == before
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
