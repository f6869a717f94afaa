"""Any bytes as command-line arguments: a clear exit code and at most a few lines on
stderr, never a traceback (run in process, argv decoded as Python decodes it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import TODAY, fixed_clock
from tests.properties.strategies import NASTY, SETTINGS
from transfer_tui.cli import main
from transfer_tui.demo import load_demo
from transfer_tui.store import Store

COMMANDS = [["list"], ["list", "--json"], ["new"], ["export"], ["export", "--all", "-o"],
            ["dates"], ["handover"], ["accept"], ["reject", "--reason"], ["check"],
            ["backup", "-o"], ["share", "-o"], ["merge"], ["import"], ["playbooks"],
            ["playbook", "check"]]
WORDS = ["--db", "--as", "--from", "--to", "--target", "--renewal", "--mode", "--playbook",
         "--format", "--force", "--stamp", "--as-of", "--history", "--reason", "-o", "-h",
         "--help", "json", "md", "direct", "Globex", "Initech", "2026-12-31", "0001-03-01",
         "csm-account-transfer", "/dev/zero", "/dev/full", "/", ".", "..", "out.md", "x.db",
         "moves.csv", "Dana Whitfield", "Sam Okafor", "-", "--", "a1", "ab12"]
arguments = st.one_of(st.binary(max_size=12).map(os.fsdecode), st.sampled_from(WORDS),
                      st.sampled_from(NASTY).filter(lambda a: "\x00" not in a))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-props") / "demo.db"
    store = Store(path, "Sam Okafor", clock=fixed_clock)
    load_demo(store, today=TODAY)
    store.close()
    return path


@SETTINGS
@given(command=st.sampled_from(COMMANDS), args=st.lists(arguments, max_size=5))
def test_any_arguments_give_an_exit_code_never_a_traceback(template, tmp_path_factory,
                                                           capsys, command, args) -> None:
    folder = tmp_path_factory.mktemp("cwd")
    db = folder / "h.db"
    db.write_bytes(template.read_bytes())
    here = os.getcwd()
    os.chdir(folder)  # relative paths land in the example's own folder
    try:
        code = main(["--db", str(db), *command, *[a for a in args if "\x00" not in a]])
    finally:
        os.chdir(here)
    out, err = capsys.readouterr()
    assert isinstance(code, int) and code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0 and command[0] not in ("import", "playbook"):  # those list every problem
        assert err.startswith("transfer-tui: error:") and err.count("\n") == 1, err
