"""The playbooks people can use: built-in, their own folder, a file by path; ids unique."""

from __future__ import annotations

from pathlib import Path

import pytest

from transfer_tui.paths import user_playbooks_dir
from transfer_tui.playbooks import PlaybookError, load_registry

MINE = """\
id = "{id}"
name = "My playbook"

[[sections]]
key = "only"
title = "Only"

[[sections.tasks]]
key = "do-it"
title = "Do it"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_playbooks_follow_the_builtin_ones() -> None:
    write(user_playbooks_dir(), "mine.toml", MINE.format(id="mine"))
    registry = load_registry()
    assert next(p.id for p in registry.playbooks) == "csm-account-transfer"
    assert registry.playbooks[-1].id == "mine"
    assert registry.find("mine").name == "My playbook"
    assert registry.entries[-1].where == "~/.config/transfer-tui/playbooks/mine.toml"


def test_a_broken_file_is_listed_with_its_first_problem_and_the_rest_still_work() -> None:
    write(user_playbooks_dir(), "broken.toml", "id = \n")
    write(user_playbooks_dir(), "mine.toml", MINE.format(id="mine"))
    registry = load_registry()
    (broken,) = registry.broken
    assert broken.id == "broken" and "bad TOML" in str(broken.problems[0])
    assert "mine" in [p.id for p in registry.playbooks]
    with pytest.raises(PlaybookError) as caught:
        registry.find("broken")
    assert "bad TOML" in str(caught.value)


def test_reusing_a_builtin_id_is_a_problem_not_a_replacement() -> None:
    path = write(user_playbooks_dir(), "copy.toml", MINE.format(id="csm-account-transfer"))
    registry = load_registry()
    assert registry.find("csm-account-transfer").builtin
    (broken,) = registry.broken
    (problem,) = broken.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 1, "id")
    assert "already used by the built-in playbook 'CSM account transfer'" in problem.message


def test_two_user_files_with_one_id_the_second_is_refused() -> None:
    write(user_playbooks_dir(), "a.toml", MINE.format(id="same"))
    write(user_playbooks_dir(), "b.toml", MINE.format(id="same"))
    registry = load_registry()
    assert [e.path.name for e in registry.broken] == ["b.toml"]
    assert "a.toml" in registry.broken[0].problems[0].message


def test_a_file_given_by_path(tmp_path: Path) -> None:
    path = write(tmp_path, "elsewhere.toml", MINE.format(id="elsewhere"))
    registry = load_registry()
    assert registry.find(str(path)).id == "elsewhere"
    playbook, problems = registry.check_file(path)
    assert playbook is not None and problems == []


def test_a_file_in_the_folder_checked_by_path_does_not_clash_with_itself() -> None:
    path = write(user_playbooks_dir(), "mine.toml", MINE.format(id="mine"))
    playbook, problems = load_registry().check_file(path)
    assert playbook is not None and problems == []


def test_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(PlaybookError) as caught:
        load_registry().find("nope")
    assert "no playbook with this id (known: csm-account-transfer" in str(caught.value)


def test_missing_folder_is_fine() -> None:
    assert not user_playbooks_dir().exists()
    assert len(load_registry().playbooks) == 5
