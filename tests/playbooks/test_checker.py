"""Every checker message, each with its place: file, line and field."""

from __future__ import annotations

import pytest

from transfer_tui.playbooks import PlaybookError, parse_playbook

BASE = """\
format = 1
id = "mini"
name = "Mini"
roles = ["CSM", "CS Lead"]

[[sections]]
key = "one"
title = "One"

[[sections.tasks]]
key = "first"
title = "First"
owner = "incoming"
due = "target-7d"
raci = { R = ["CSM"], A = ["CS Lead"] }

[[sections.tasks]]
key = "second"
title = "Second"
record = "license"
"""


def only_problem(source: str) -> tuple[int | None, str, str]:
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(source, "mini.toml")
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"mini.toml:{problem.line}:" if problem.line else "mini.toml:")
    return problem.line, problem.field, problem.message


def line_of(source: str, text: str) -> int:
    return source.splitlines().index(text) + 1


def test_the_base_file_is_clean() -> None:
    playbook = parse_playbook(BASE)
    assert playbook.task_count == 2 and playbook.roles == ("CSM", "CS Lead")


def test_bad_toml() -> None:
    source = BASE.replace('title = "Second"', 'title = "Second')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'title = "Second')
    assert field == "" and message.startswith("bad TOML")


def test_missing_name() -> None:
    line, field, message = only_problem(BASE.replace('name = "Mini"\n', ""))
    assert (line, field) == (None, "name") and message.startswith("missing name")


def test_title_is_accepted_for_the_playbook_name() -> None:
    assert parse_playbook(BASE.replace('name = "Mini"', 'title = "Mini"')).name == "Mini"


def test_missing_task_title() -> None:
    source = BASE.replace('title = "Second"\n', "")
    line, field, message = only_problem(source)
    assert line == line_of(source, 'key = "second"') - 1  # the task's [[sections.tasks]] line
    assert (field, message) == ("sections[1].tasks[2].title", "missing title")


def test_missing_section_title() -> None:
    source = BASE.replace('title = "One"\n', "")
    line, field, message = only_problem(source)
    assert line == line_of(source, "[[sections]]")
    assert (field, message) == ("sections[1].title", "missing title")


def test_unknown_owner() -> None:
    source = BASE.replace('owner = "incoming"', 'owner = "boss"')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'owner = "boss"')
    assert field == "sections[1].tasks[1].owner"
    assert message == "unknown owner 'boss' (one of: outgoing, incoming, both)"


def test_unknown_raci_role() -> None:
    source = BASE.replace('A = ["CS Lead"]', 'A = ["VP Sales"]')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'raci = { R = ["CSM"], A = ["VP Sales"] }')
    assert field == "sections[1].tasks[1].raci.A"
    assert message == "unknown role 'VP Sales' (the playbook's roles are: CSM, CS Lead)"


def test_raci_without_roles_says_to_list_them() -> None:
    source = BASE.replace('roles = ["CSM", "CS Lead"]\n', "")
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(source, "mini.toml")
    assert len(caught.value.problems) == 2
    assert all("add them to roles = [...]" in p.message for p in caught.value.problems)


def test_unknown_raci_letter() -> None:
    _line, field, message = only_problem(BASE.replace('R = ["CSM"]', 'X = ["CSM"]'))
    assert field == "sections[1].tasks[1].raci.X" and "unknown RACI letter 'X'" in message


def test_duplicate_task_key() -> None:
    source = BASE.replace('key = "second"', 'key = "first"')
    line, field, message = only_problem(source)
    assert line == len(source.splitlines()) - 2  # the second task's key line
    assert field == "sections[1].tasks[2].key"
    assert message.startswith("duplicate task key 'first': sections[1].tasks[1] already uses it")


def test_bad_relative_date() -> None:
    source = BASE.replace('due = "target-7d"', 'due = "next week"')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'due = "next week"')
    assert field == "sections[1].tasks[1].due"
    assert "'next week' is not a relative date" in message and "start+14d" in message


def test_unknown_record_kind() -> None:
    source = BASE.replace('record = "license"', 'record = "invoice"')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'record = "invoice"')
    assert field == "sections[1].tasks[2].record"
    assert message.startswith("unknown record kind 'invoice' (one of: license, product, channel")


def test_unknown_field_suggests_the_right_one() -> None:
    source = BASE.replace('owner = "incoming"', 'ownr = "incoming"')
    line, field, message = only_problem(source)
    assert line == line_of(source, 'ownr = "incoming"')
    assert (field, message) == ("sections[1].tasks[1].ownr",
                                "unknown field 'ownr' (did you mean 'owner'?)")


def test_bad_key() -> None:
    _line, field, message = only_problem(BASE.replace('key = "one"', 'key = "Step One"'))
    assert field == "sections[1].key" and "lowercase letters, digits and dashes" in message


def test_no_sections() -> None:
    _line, field, message = only_problem(BASE[:BASE.index("[[sections]]")])
    assert field == "sections" and "at least one [[sections]]" in message


def test_every_problem_is_reported_at_once() -> None:
    source = (BASE.replace('owner = "incoming"', 'owner = "boss"')
              .replace('record = "license"', 'record = "invoice"')
              .replace('due = "target-7d"', 'due = "soon"'))
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(source, "mini.toml")
    assert [p.field.rsplit(".", 1)[-1] for p in caught.value.problems] == ["owner", "due",
                                                                           "record"]


@pytest.mark.parametrize("version", ["99999999999999999999999", "0", "1000001", "true"])
def test_version_is_a_whole_number_sqlite_can_keep(version: str) -> None:
    _line, field, message = only_problem(BASE.replace('name = "Mini"',
                                                     f'name = "Mini"\nversion = {version}'))
    assert field == "version" and "from 1 to 1,000,000" in message
