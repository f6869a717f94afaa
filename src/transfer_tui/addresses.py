"""What an e-mail address looks like here: plain ``name@example.com``.

One pattern for the stakeholder form and the intro e-mail, so an address the form
takes is one the draft can send to.
"""

from __future__ import annotations

import re

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


def is_address(text: str) -> bool:
    """A plain ``name@example.com`` address (no display name, no comments, ASCII)."""
    return len(text) <= 254 and EMAIL.fullmatch(text) is not None
