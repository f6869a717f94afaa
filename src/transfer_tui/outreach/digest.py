"""The reminder digest: what is due for one person across every handoff, as Markdown, JSON,
or a chat message.

Built from a plain list of :class:`DueItem` (the store's query makes them), so how
they are found and how they read are apart: the rendering is tested on its own and
the query can change with the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from transfer_tui.cleantext import one_line
from transfer_tui.timefmt import days_until

DIGEST_SCHEMA_VERSION = 1
MARKDOWN_LIMIT = 100  # lines per kind a person reads; the JSON holds every item

#: The kinds of item, in the order the digest shows them, with their heading.
KINDS = {
    "overdue_task": "Overdue tasks",
    "due_task": "Due soon",
    "renewal_outreach": "Renewal outreach has started",
    "awaiting_acceptance": "Awaiting your acceptance",
    "promise_due": "Promises you own that are due",
}


class DueItem(NamedTuple):
    """One thing due: a task, a renewal, a handoff to accept, a promise.

    ``day`` is when it is due (a task's due date, the day renewal outreach starts,
    the day the handoff was handed over, a promise's handoff target date); ``ref``
    names the task, record or handoff it is about, so a calendar event keeps its id.
    A tuple: a busy person's digest holds tens of thousands of them.
    """

    kind: str
    handoff_id: str
    account: str
    what: str
    day: date | None
    who: str
    ref: str = ""


@dataclass(frozen=True)
class Digest:
    person: str
    today: date
    days: int  # "due soon" means within this many days
    items: tuple[DueItem, ...]

    def of_kind(self, kind: str) -> list[DueItem]:
        return sorted((i for i in self.items if i.kind == kind),
                      key=lambda i: (i.day or date.max, i.account.casefold(), i.what))

    @property
    def empty(self) -> bool:
        return not self.items


def make_digest(person: str, today: date, days: int, items: Iterable[DueItem]) -> Digest:
    """The digest; an item of an unknown kind is a mistake in the query (ValueError)."""
    found = tuple(items)
    if unknown := {item.kind for item in found} - KINDS.keys():
        raise ValueError(f"unknown kind of due item: {', '.join(sorted(unknown))}")
    return Digest(person, today, days, found)


def _when(item: DueItem, today: date) -> str:
    if item.day is None:
        return ""
    if item.kind == "awaiting_acceptance":
        waited = (today - item.day).days
        since = "since today" if waited <= 0 else f"{waited} day{'s' if waited != 1 else ''}"
        return f"handed over {item.day.isoformat()}, waiting {since}"
    if item.kind == "renewal_outreach":
        return f"outreach from {item.day.isoformat()}"
    return f"due {item.day.isoformat()} ({days_until(item.day, today)})"


def lines(digest: Digest, limit: int | None = None) -> list[tuple[str, list[str], int]]:
    """(heading, plain lines, how many more) per kind that has items, at most ``limit``
    lines each: the words every format shares."""
    out = []
    for kind, heading in KINDS.items():
        found = digest.of_kind(kind)
        if not found:
            continue
        title = f"Due in the next {digest.days} days" if kind == "due_task" else heading
        shown = found if limit is None else found[:limit]
        out.append((f"{title} ({len(found):,})", [
            " · ".join(part for part in (one_line(i.account, 60), one_line(i.what, 120),
                                         _when(i, digest.today)) if part)
            for i in shown], len(found) - len(shown)))
    return out


def empty_sentence(digest: Digest) -> str:
    return (f"Nothing is due for {one_line(digest.person, 60)} in the next {digest.days} days: "
            "no overdue task, no renewal outreach, no handoff waiting for you, no promise due.")


def render_digest_markdown(digest: Digest) -> str:
    from transfer_tui.export import escape

    head = [f"# Due for {escape.inline(digest.person, heading=True)}",
            f"As of {digest.today.isoformat()}, across every handoff."]
    if digest.empty:
        return "\n\n".join([*head, escape.inline(empty_sentence(digest))]) + "\n"
    blocks = list(head)
    for heading, items, more in lines(digest, MARKDOWN_LIMIT):
        blocks.append(f"## {heading}")
        blocks.append("\n".join(f"- {escape.inline(item)}" for item in items))
        if more:
            blocks.append(f"And {more:,} more: `--format json` lists every one.")
    return "\n\n".join(blocks) + "\n"


def digest_json(digest: Digest) -> dict[str, Any]:
    return {
        "schema_version": DIGEST_SCHEMA_VERSION,
        "person": digest.person,
        "as_of": digest.today.isoformat(),
        "days": digest.days,
        "counts": {kind: len(digest.of_kind(kind)) for kind in KINDS},
        "items": [{"kind": i.kind, "handoff_id": i.handoff_id, "account": i.account,
                   "what": i.what, "date": i.day.isoformat() if i.day else None,
                   "who": i.who, "ref": i.ref}
                  for kind in KINDS for i in digest.of_kind(kind)],
    }


def render_digest_json(digest: Digest) -> str:
    return json.dumps(digest_json(digest), ensure_ascii=False, indent=2) + "\n"


def chat_text(digest: Digest, limit: int = 10) -> str:
    """The digest as a chat message: bold headings, bullets, at most ``limit`` lines per
    kind. Plain text: the webhook module escapes it for the chat's markup."""
    title = f"Due for {one_line(digest.person, 60)} ({digest.today.isoformat()})"
    if digest.empty:
        return f"{title}\n{empty_sentence(digest)}"
    out = [title]
    for heading, items, more in lines(digest, limit):
        out.append("")
        out.append(f"**{heading}**")
        out.extend(f"• {item}" for item in items)
        if more:
            out.append(f"• and {more:,} more: run transfer-tui due")
    return "\n".join(out)
