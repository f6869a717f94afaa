"""The built-in playbooks load, and the default one is the seed's checklist, in order."""

from __future__ import annotations

from transfer_tui.playbooks import DEFAULT_PLAYBOOK, builtin_playbooks, get_builtin

CSM_SECTIONS = [
    "License",
    "Communication channels",
    "Relationship & introductions",
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


def _sections(playbook_id: str) -> list[tuple[str, int]]:
    return [(s.title, len(s.tasks)) for s in get_builtin(playbook_id).sections]


def _all_text(playbook_id: str) -> str:
    return " ".join(f"{t.title} {t.guidance}".lower() for s in get_builtin(playbook_id).sections
                    for t in s.tasks)


def test_the_five_builtin_playbooks() -> None:
    assert [(p.id, p.task_count) for p in builtin_playbooks()] == [
        ("csm-account-transfer", 38),
        ("desktop-study-handover", 31),
        ("post-sale-handoff", 30),
        ("sales-to-cs-internal", 18),
        ("sales-to-cs-raci", 11),
    ]


def test_sales_to_cs_internal_follows_its_seed() -> None:
    """Seed 000: each "info needed" row, CS confirming at the first meeting, the external
    handoff, and outreach 90 days before the renewal date."""
    assert _sections("sales-to-cs-internal") == [
        ("Internal handoff (Sales shares)", 8),
        ("First meeting (CS confirms)", 6),
        ("External handoff", 3),
        ("Renewal", 1),
    ]
    playbook = get_builtin("sales-to-cs-internal")
    shared = [t.title.lower() for t in playbook.sections[0].tasks]
    for item in ("use case", "va", "pricing", "billing frequency", "billing account",
                 "contacts", "renewal date", "tool they used before"):
        assert any(item in title for title in shared), item
    assert all(t.owner.value == "outgoing" for t in playbook.sections[0].tasks)
    assert all(t.owner.value == "incoming" for t in playbook.sections[1].tasks)
    (outreach,) = playbook.sections[3].tasks
    assert outreach.title == "Start renewal outreach"
    assert (outreach.due.anchor, outreach.due.days) == ("renewal", -90)
    intro, follow_up, _ = playbook.sections[2].tasks
    assert intro.owner.value == "outgoing" and "introduce" in intro.title.lower()
    assert follow_up.owner.value == "incoming" and "follow-up" in follow_up.title.lower()


RACI_ROLES = ("Sales Rep", "Sales Manager", "Sales Engineer", "Onboarding Rep",
              "Onboarding Manager", "CSM", "CS Executive")


def test_raci_procedure_has_eleven_steps_each_with_r_a_c_i() -> None:
    """Seed 003: the 11 steps in order, each naming roles among the seven personnel."""
    playbook = get_builtin("sales-to-cs-raci")
    assert playbook.roles == RACI_ROLES
    tasks = [t for s in playbook.sections for t in s.tasks]
    assert [t.key for t in tasks] == [f"step-{n:02d}" for n in range(1, 12)]
    for task in tasks:
        assert len(task.raci["A"]) == 1, task.key  # one accountable person per step
        assert task.raci["R"], task.key
        assert set(task.raci) <= {"R", "A", "C", "I"}
        assert {"C", "I"} & set(task.raci), task.key
    used = {role for t in tasks for names in t.raci.values() for role in names}
    assert used == set(RACI_ROLES)
    text = _all_text("sales-to-cs-raci")
    for phrase in ("champions", "roi", "promises", "sow", "renewal", "mission", "role",
                   "success plan", "support"):
        assert phrase in text, phrase


def test_desktop_study_has_criteria_data_four_stages_and_deliverables() -> None:
    """Seed 001."""
    assert _sections("desktop-study-handover") == [
        ("Acceptance criteria", 9),
        ("Data to collect", 6),
        ("Stage 1: Sales handover", 4),
        ("Stage 2: Scope of works", 3),
        ("Stage 3: Data & config", 3),
        ("Stage 4: Presentation", 3),
        ("CS deliverables", 3),
    ]
    text = _all_text("desktop-study-handover")
    for phrase in ("50k", "at least 2 committed stakeholders", "spiced", "business case",
                   "plod", "invoices", "schedule of rates", "5 rigs", "gap analysis",
                   "technical solutions"):
        assert phrase in text, phrase


def test_post_sale_handoff_has_the_eight_sections_linked_to_records() -> None:
    """Seed 004: the eight sections of the handoff document, with their record kinds."""
    playbook = get_builtin("post-sale-handoff")
    assert [(s.title, s.record) for s in playbook.sections] == [
        ("Account overview & deal summary", "license"),
        ("Stakeholder intelligence brief", "stakeholder"),
        ("Success criteria & measurement plan", "objective"),
        ("Promises & commitments register", "promise"),
        ("Risk register & early warning signals", "risk"),
        ("Implementation & onboarding roadmap", None),
        ("Expansion & growth roadmap", "opportunity"),
        ("Warm introduction plan", "stakeholder"),
    ]
    assert [len(s.tasks) for s in playbook.sections] == [5, 4, 4, 3, 3, 4, 3, 4]
    text = _all_text("post-sale-handoff")
    for phrase in ("enthusiastic, supportive, neutral or skeptical", "fulfilled, pending or at "
                   "risk", "severity", "trigger", "mitigation", "qbr", "did not buy"):
        assert phrase in text, phrase


def test_only_the_raci_playbook_has_roles() -> None:
    assert [p.id for p in builtin_playbooks() if p.roles] == ["sales-to-cs-raci"]
