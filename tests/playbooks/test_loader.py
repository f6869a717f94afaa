"""Reading playbook files: every problem reported with its place; relative dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from transfer_tui.playbooks import PlaybookError, RelativeDate, load_playbook, parse_playbook

GOOD = """
format = 1
id = "mini"
name = "Mini"

[[sections]]
key = "one"
title = "One"

[[sections.tasks]]
key = "first"
title = "First"
owner = "incoming"
due = "target-7d"
"""


def problems(source: str) -> list[str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(source, "mini.toml")
    return [str(p) for p in caught.value.problems]


def test_a_good_file_loads() -> None:
    playbook = parse_playbook(GOOD)
    assert playbook.id == "mini" and playbook.task_count == 1
    assert str(playbook.sections[0].tasks[0].due) == "target-7d"


def test_bad_toml_names_the_line() -> None:
    source = GOOD + "\nthis is = = bad\n"
    line = source.splitlines().index("this is = = bad") + 1
    (message,) = problems(source)
    assert message.startswith(f"mini.toml:{line}:") and "bad TOML" in message


def test_missing_name() -> None:
    assert any("missing name" in m for m in problems(GOOD.replace('name = "Mini"', "")))


def test_unknown_owner_names_line_and_field() -> None:
    source = GOOD.replace('owner = "incoming"', 'owner = "boss"')
    line = source.splitlines().index('owner = "boss"') + 1
    (message,) = problems(source)
    assert message.startswith(f"mini.toml:{line}:")
    assert "sections[1].tasks[1].owner" in message and "unknown owner 'boss'" in message


def test_duplicate_task_key() -> None:
    source = GOOD + '\n[[sections.tasks]]\nkey = "first"\ntitle = "Again"\n'
    assert any("duplicate task key 'first'" in m for m in problems(source))


def test_bad_relative_date() -> None:
    (message,) = problems(GOOD.replace("target-7d", "next week"))
    assert "sections[1].tasks[1].due" in message and "not a relative date" in message


@pytest.mark.parametrize(
    ("text", "anchor", "days"),
    [("start+14d", "start", 14), ("target-7d", "target", -7), ("renewal-90d", "renewal", -90),
     ("start+2w", "start", 14), ("target", "target", 0), (" Start + 3d ", "start", 3)],
)
def test_relative_dates(text: str, anchor: str, days: int) -> None:
    due = RelativeDate.parse(text)
    assert (due.anchor, due.days) == (anchor, days)


def test_relative_date_without_its_anchor_has_no_date() -> None:
    due = RelativeDate.parse("renewal-90d")
    assert due.resolve({"start": date(2026, 1, 1), "renewal": None}) is None
    assert due.resolve({"renewal": date(2026, 12, 31)}) == date(2026, 10, 2)


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError) as caught:
        load_playbook(tmp_path / "nope.toml")
    assert "no such file" in str(caught.value)
