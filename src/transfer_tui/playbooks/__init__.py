"""Playbooks: the checklists a handoff is made from, as TOML data files."""

from transfer_tui.playbooks.loader import (
    DEFAULT_PLAYBOOK,
    RECORD_KINDS,
    PlaybookError,
    Problem,
    builtin_playbooks,
    get_builtin,
    load_playbook,
    parse_playbook,
)
from transfer_tui.playbooks.model import Playbook, RelativeDate, Section, TaskTemplate
from transfer_tui.playbooks.registry import Entry, Registry, load_registry

__all__ = [
    "DEFAULT_PLAYBOOK",
    "RECORD_KINDS",
    "Entry",
    "Playbook",
    "PlaybookError",
    "Problem",
    "Registry",
    "RelativeDate",
    "Section",
    "TaskTemplate",
    "builtin_playbooks",
    "get_builtin",
    "load_playbook",
    "load_registry",
    "parse_playbook",
]
