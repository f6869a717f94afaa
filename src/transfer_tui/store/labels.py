"""What a handoff calls its two sides: its playbook's ``outgoing_label`` and
``incoming_label`` ("Account Executive" -> "CSM"), kept on the handoff when it is made.

A handoff made before labels were kept follows the built-in playbook of the same id,
else says "Outgoing CSM" and "Incoming CSM" (what every handoff said until then).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

DEFAULT = ("Outgoing CSM", "Incoming CSM")


def side_labels(handoff: Any) -> tuple[str, str]:
    """(outgoing, incoming) labels of a handoff: a model, or a row as a dict."""
    def get(name: str) -> Any:
        return handoff.get(name) if isinstance(handoff, dict) else getattr(handoff, name, None)

    outgoing, incoming = str(get("outgoing_label") or ""), str(get("incoming_label") or "")
    if outgoing and incoming:
        return outgoing, incoming
    builtin = _builtin_labels(str(get("playbook_id") or ""))
    return outgoing or builtin[0], incoming or builtin[1]


@lru_cache(maxsize=16)
def _builtin_labels(playbook_id: str) -> tuple[str, str]:
    from transfer_tui.playbooks import PlaybookError, get_builtin

    try:
        playbook = get_builtin(playbook_id)
    except (KeyError, PlaybookError, OSError):
        return DEFAULT
    return playbook.outgoing_label, playbook.incoming_label


def in_sentence(label: str) -> str:
    """A label inside a sentence: "the outgoing CSM", but "the Account Executive"."""
    first = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first in ("Outgoing", "Incoming") else label
