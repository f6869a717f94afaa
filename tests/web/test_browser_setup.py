"""How the browser tests find Chromium: installed with apt-get when missing and root, never
attempted otherwise (and then the tests skip, or fail under CI: test_browser.py)."""

from __future__ import annotations

import pytest

from tests.web import browser


def test_without_root_nothing_is_installed(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000, raising=False)
    monkeypatch.setattr(browser.subprocess, "run", lambda *a, **k: pytest.fail("ran apt-get"))
    assert browser.install_chromium() is None
    assert "could not be installed" in browser.missing()
    assert "could not be installed" in browser.missing(install=False)


def test_as_root_apt_get_installs_it_updating_its_lists_if_need_be(monkeypatch,
                                                                     tmp_path) -> None:
    target = tmp_path / "chromium"
    ran = []

    def run(command, **options):
        ran.append(command[:2] + command[-1:])
        if command[1] == "install" and ["apt-get", "update", "-q"] in ran:
            target.touch()  # the second try, after the update, works

    monkeypatch.setattr(browser, "CHROMIUM", target)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(browser.subprocess, "run", run)
    assert browser.install_chromium() == target
    assert ran == [["apt-get", "install", "chromium"], ["apt-get", "update", "-q"],
                   ["apt-get", "install", "chromium"]]
