"""`[[ready]]` tables: read into rules, every mistake named with its line, kept on a
handoff as JSON that reads back the same."""

from __future__ import annotations

import pytest

from tests.playbooks.test_checker import BASE, only_problem
from transfer_tui.playbooks import builtin_playbooks, parse_playbook
from transfer_tui.playbooks.checker import dump_ready_rules, read_ready_rules
from transfer_tui.rules import ReadyRule

SPONSOR = """
[[ready]]
key = "sponsor"
title = "An executive sponsor with an email"
record = "stakeholder"
where = { sponsor = true }
filled = ["email"]
"""


def test_a_rule_reads_into_its_fields() -> None:
    (rule,) = parse_playbook(BASE + SPONSOR, "mini.toml").ready
    assert rule == ReadyRule("sponsor", "An executive sponsor with an email", "stakeholder",
                             where=(("sponsor", (True,)),), filled=("email",))


@pytest.mark.parametrize(("change", "line", "field", "message"), [
    ('record = "stakeholder"', 'record = "stakeholders"', "ready[1].record",
     "unknown record kind 'stakeholders'"),
    ('filled = ["email"]', 'filled = ["e-mail"]', "ready[1].filled",
     "stakeholder has no field 'e-mail'"),
    ("where = { sponsor = true }", 'where = { sponsor = "yes" }', "ready[1].where.sponsor",
     "must be true or false"),
    ('key = "sponsor"', 'key = "sponsor"\nneed = "all"', "ready[1].need",
     "unknown need 'all'"),
    ('key = "sponsor"', 'key = "sponsor"\nwithin_days = 30', "ready[1].within_days",
     "within_days needs a date_field"),
    ('key = "sponsor"', 'key = "sponsor"\nat = "later"', "ready[1].at", "unknown step"),
])
def test_each_mistake_is_named_with_its_line(change, line, field, message) -> None:
    source = BASE + SPONSOR.replace(change, line)
    found_line, found_field, found = only_problem(source)
    assert found_field == field and message in found
    header = (BASE + SPONSOR).splitlines().index("[[ready]]") + 1
    assert found_line is not None and found_line >= header


def test_a_rule_on_a_field_that_is_not_a_date() -> None:
    source = BASE + SPONSOR.replace('filled = ["email"]',
                                    'date_field = "email"\nwithin_days = 3')
    assert only_problem(source)[1:] == ("ready[1].date_field", "'email' is not a date field")


def test_every_builtin_playbook_has_rules_that_survive_being_kept() -> None:
    for playbook in builtin_playbooks():
        assert playbook.ready, playbook.id
        rules, problems = read_ready_rules(dump_ready_rules(playbook.ready))
        assert not problems and tuple(rules) == playbook.ready


@pytest.mark.parametrize("kept", ["not json", "{}", '[{"key": "x"}]', "[" * 5000,
                                  '[{"key": "x", "title": "t", "record": "license", '
                                  '"filled": ["nope"]}]'])
def test_kept_rules_that_do_not_read_are_reported_not_raised(kept: str) -> None:
    rules, problems = read_ready_rules(kept)
    assert problems and not rules
