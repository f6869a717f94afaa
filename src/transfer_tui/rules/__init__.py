"""The handoff's rules, each written once and free of I/O: readiness, who may verify,
what changes hands on acceptance. The store enforces them; screens and export show them."""

from transfer_tui.rules.ownership import Move, closes_the_other_sides_task, moves_on_accept
from transfer_tui.rules.readiness import (
    NEEDS,
    STEPS,
    Readiness,
    ReadyRule,
    RuleResult,
    evaluate,
    rules_for,
    verified,
)
from transfer_tui.rules.verification import why_not_verify

__all__ = [
    "NEEDS",
    "STEPS",
    "Move",
    "Readiness",
    "ReadyRule",
    "RuleResult",
    "closes_the_other_sides_task",
    "evaluate",
    "moves_on_accept",
    "rules_for",
    "verified",
    "why_not_verify",
]
