"""Playbooks: the checklists a handoff is made from, as TOML data files."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Where each name is defined, imported on first use (PEP 562): reading a handoff's
#: readiness rules (the checker) does not load the TOML loader, the built-in files or
#: the registry.
_HOME = {
    **dict.fromkeys(("DEFAULT_PLAYBOOK", "RECORD_KINDS", "PlaybookError", "Problem",
                     "builtin_playbooks", "get_builtin", "load_playbook", "parse_playbook"),
                    "loader"),
    **dict.fromkeys(("Playbook", "RelativeDate", "Section", "TaskTemplate"), "model"),
    **dict.fromkeys(("Entry", "Registry", "load_registry"), "registry"),
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
