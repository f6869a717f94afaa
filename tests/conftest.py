"""Shared fixtures: every test gets its own database and never touches the real home folder."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs follows HOME and XDG_*: point them at a temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("TRANSFER_TUI_DB", raising=False)
    monkeypatch.setenv("TRANSFER_TUI_USER", "Tester")
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "handoffs.db"


@pytest.fixture
def store(db_path: Path):
    from transfer_tui.store import Store

    opened = Store(db_path, "Dana Whitfield", clock=fixed_clock)
    yield opened
    opened.close()


@pytest.fixture
def demo_store(db_path: Path):
    """A database holding the demo handoffs, as of TODAY."""
    from transfer_tui.demo import load_demo
    from transfer_tui.store import Store

    opened = Store(db_path, "Sam Okafor", clock=fixed_clock)
    load_demo(opened, today=TODAY)
    opened.now = fixed_clock
    opened.user = "Sam Okafor"
    yield opened
    opened.close()
