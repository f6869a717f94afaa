"""Which handoff a command means: its id, the start of its id, or its account name."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from transfer_tui.store import HandoffSummary, Store

MAX_CANDIDATES = 8


def _listing(summaries: list[HandoffSummary]) -> str:
    from transfer_tui.cleantext import one_line

    shown = [f"{s.short_id} {one_line(s.account, 40)} ({one_line(s.outgoing, 20)} -> "
             f"{one_line(s.incoming, 20)})" for s in summaries[:MAX_CANDIDATES]]
    more = len(summaries) - MAX_CANDIDATES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def find_one(store: Store, ref: str) -> HandoffSummary:
    """The handoff ``ref`` names, or one line that lists the candidates (exit 1)."""
    from transfer_tui.cleantext import one_line

    found = store.handoffs.find(ref)
    if len(found) == 1:
        return found[0]
    if found:
        raise click.ClickException(
            f"{one_line(ref, 60)!r} matches {len(found)} handoffs: {_listing(found)}; "
            "give the id (its first 8 characters will do)")
    everyone = store.handoffs.summaries()
    if not everyone:
        raise click.ClickException(f"no handoff matches {one_line(ref, 60)!r}: there are no "
                                   "handoffs in this database yet")
    raise click.ClickException(f"no handoff matches {one_line(ref, 60)!r}; the handoffs "
                               f"are: {_listing(everyone)}")
