"""Shared fixtures: every test gets its own database and never touches the real home folder."""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

os.environ["TZ"] = "UTC"
time.tzset()

pytest_plugins = [
    "tests.server",  # server_url: a PostgreSQL database per test (team mode, issue 11)
    "tests.throwaway",  # throwaway_server: a PostgreSQL of a test's own, to kill (faults)
]

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
    monkeypatch.delenv("TRANSFER_TUI_CONFIG", raising=False)
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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo handoffs as of TODAY, written once per test run (a few hundred transactions)."""
    from transfer_tui.demo import load_demo
    from transfer_tui.store import Store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path, "Sam Okafor", clock=fixed_clock)
    load_demo(store, today=TODAY)
    store.close()
    return path


@pytest.fixture
def demo_file(db_path: Path, demo_template: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    shutil.copyfile(demo_template, db_path)
    return db_path


@pytest.fixture
def demo_store(demo_file: Path):
    """A database holding the demo handoffs, as of TODAY."""
    from transfer_tui.store import Store

    opened = Store(demo_file, "Sam Okafor", clock=fixed_clock)
    yield opened
    opened.close()


@pytest.fixture
def demo_db(demo_store, db_path: Path) -> str:
    """The demo database's path, for the command line."""
    return str(db_path)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh current folder, where the app saves and writes by default."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


async def settle(pilot) -> None:
    """Let the store calls the screens run in workers answer, then the screen redraw."""
    await pilot.pause()
    app = pilot.app
    for _ in range(3):  # an answer may start the next call (a save, then a reload)
        running = [w for w in app.workers
                   if not w.is_finished and w.group.startswith("store:")]
        if not running:
            break
        await app.workers.wait_for_complete(running)
        await pilot.pause()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked file_only (the file's locks, its backup and check) runs on the file
    alone: its server variant is not collected (not skipped: nothing is left unsaid)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_server = callspec is not None and "server" in callspec.params.values()
        (dropped if on_server and item.get_closest_marker("file_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
