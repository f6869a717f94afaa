"""The built-in playbooks load, and the default one is the seed's checklist, in order."""

from __future__ import annotations

from transfer_tui.playbooks import DEFAULT_PLAYBOOK, builtin_playbooks, get_builtin

CSM_SECTIONS = [
    "License",
    "Communication channels",
    "Health score & timeline",
    "Success plan",
    "Support tickets & technical issues",
    "Cadence calls",
    "Opportunities & renewal",
    "Meeting notes & call recordings",
    "Product sentiment & feature requests",
    "Hosting environment",
]


def test_csm_transfer_has_the_seed_sections_in_order() -> None:
    playbook = get_builtin(DEFAULT_PLAYBOOK)
    assert playbook.name == "CSM account transfer"
    assert [s.title for s in playbook.sections] == CSM_SECTIONS
    assert all(section.tasks for section in playbook.sections)


def test_every_builtin_task_has_one_line_of_guidance() -> None:
    for playbook in builtin_playbooks():
        for section in playbook.sections:
            for task in section.tasks:
                assert task.guidance, (playbook.id, task.key)
                assert "\n" not in task.guidance, (playbook.id, task.key)


def test_default_playbook_comes_first() -> None:
    assert builtin_playbooks()[0].id == DEFAULT_PLAYBOOK


def test_seed_facts_are_covered() -> None:
    """Things the seed says an incoming CSM must do are tasks, not forgotten."""
    playbook = get_builtin(DEFAULT_PLAYBOOK)
    text = " ".join(f"{t.title} {t.guidance}".lower() for s in playbook.sections
                    for t in s.tasks)
    for phrase in ("cc", "shadow", "recording", "feature request", "success plan", "renewal",
                   "health score", "hosted"):
        assert phrase in text, phrase
