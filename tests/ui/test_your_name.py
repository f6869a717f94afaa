"""The first-run question: asked once when nobody said who you are; enter remembers the
name in the settings file, escape keeps the login name for this run; a refused name keeps
the dialog open with what was typed; keys never reach the screen below."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from tests.conftest import fixed_clock
from tests.ui.test_intro import settle
from tests.ui.test_user_text import screen_text
from transfer_tui.app import TransferApp
from transfer_tui.cli import main
from transfer_tui.config import config_path, load_config
from transfer_tui.screens.handoffs import HandoffsScreen
from transfer_tui.screens.your_name import YourName
from transfer_tui.store import Store

SIZES = [(120, 36), (80, 24)]


@pytest.fixture
def login_store(db_path: Path):
    store = Store(db_path, "login-name")
    yield store
    store.close()


@pytest.mark.parametrize("size", SIZES)
async def test_enter_remembers_the_name_and_works_as_it(login_store, size) -> None:
    app = TransferApp(login_store, clock=fixed_clock, ask_name=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, YourName)
        assert app.screen.query_one("#name", Input).value == "login-name"
        assert "Who are you?" in screen_text(app)
        await pilot.press(*"Priya Raman")  # the default is selected: typing replaces it
        await pilot.press("enter")
        await settle(app, pilot, lambda: config_path().exists()
                     and not any(w.is_running for w in app.workers))
        assert isinstance(app.screen, HandoffsScreen)
        assert login_store.user == "Priya Raman" and "as Priya Raman" in app.sub_title
    assert load_config().name == "Priya Raman"


async def test_escape_keeps_the_login_name_for_this_run_only(login_store) -> None:
    app = TransferApp(login_store, clock=fixed_clock, ask_name=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HandoffsScreen)
        assert login_store.user == "login-name" and "as login-name" in app.sub_title
    assert not config_path().exists()


@pytest.mark.parametrize("size", SIZES)
async def test_a_refused_name_keeps_the_dialog_and_what_was_typed(login_store, size) -> None:
    app = TransferApp(login_store, clock=fixed_clock, ask_name=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#name", Input)
        field.value = "x" * 201
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, YourName) and field.value == "x" * 201
        error = app.screen.query_one("#name-error", Label)
        assert error.display and "too long" in str(error.render())
        assert "too long" in screen_text(app)
        field.value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, YourName) and "empty" in str(error.render())
    assert not config_path().exists() and login_store.user == "login-name"


async def test_keys_never_fall_through_to_the_handoffs(login_store) -> None:
    app = TransferApp(login_store, clock=fixed_clock, ask_name=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n", "q", "/", "d", "?")  # New, Quit, Filter, Delete, Help below
        await pilot.pause()
        assert isinstance(app.screen, YourName) and app.is_running
        assert app.screen.query_one("#name", Input).value == "nq/d?"


async def test_not_asked_when_the_name_is_known(login_store) -> None:
    app = TransferApp(login_store, clock=fixed_clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoffsScreen)


async def test_a_broken_settings_file_is_told_in_the_app(login_store) -> None:
    app = TransferApp(login_store, clock=fixed_clock, notice="config.toml: is not valid TOML")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("is not valid TOML" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(("env", "file", "asks"), [
    (None, None, True),  # nobody said: ask
    ("Env Name", None, False),
    (None, "File Name", False),
])
def test_the_tui_asks_only_when_nobody_said(monkeypatch, db_path: Path, env, file,
                                            asks) -> None:
    seen = {}

    def run(self, **_kwargs) -> None:
        seen["asks"], seen["user"] = self._ask_name, self.store.user

    monkeypatch.setattr(TransferApp, "run", run)
    monkeypatch.setattr("transfer_tui.cli.options.current_user", lambda: "login-name")
    if env is None:
        monkeypatch.delenv("TRANSFER_TUI_USER")
    else:
        monkeypatch.setenv("TRANSFER_TUI_USER", env)
    if file:
        assert main(["config", "set", "name", file]) == 0
    assert main(["--db", str(db_path)]) == 0
    assert seen == {"asks": asks, "user": env or file or "login-name"}
    assert main(["--db", str(db_path), "--as", "Option Name"]) == 0
    assert seen == {"asks": False, "user": "Option Name"}
